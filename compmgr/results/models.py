"""The jury's final decisions and special prizes."""

from compmgr.database import UTCDateTime, utcnow
from compmgr.extensions import db


class Decision(db.Model):
    """The jury's binding place, prize and qualification for one project."""

    __tablename__ = "decisions"

    id = db.Column(db.Integer, primary_key=True)
    project_id = db.Column(
        db.Integer, db.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    jury_id = db.Column(
        db.Integer, db.ForeignKey("juries.id", ondelete="CASCADE"), nullable=False, index=True
    )
    place = db.Column(db.Integer)
    prize = db.Column(db.Integer)  # 1, 2, 3 or None
    qualified = db.Column(db.Boolean, nullable=False, default=False)  # Regionalsieg
    reason = db.Column(db.String(500), nullable=False, default="")  # required when off the scores
    # the chair's "Gleichstand ausdrücklich beschlossen", kept with the decision it allowed
    tie_decided = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    project = db.relationship("Project")
    jury = db.relationship("Jury")


class SpecialPrize(db.Model):
    """A Sonderpreis funded by a sponsor."""

    __tablename__ = "special_prizes"

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name = db.Column(db.String(200), nullable=False)
    sponsor = db.Column(db.String(200), nullable=False, default="")
    amount = db.Column(db.String(50), nullable=False, default="")
    description = db.Column(db.String(1000), nullable=False, default="")

    awards = db.relationship(
        "SpecialPrizeAward", back_populates="prize", cascade="all, delete-orphan"
    )


class SpecialPrizeAward(db.Model):
    __tablename__ = "special_prize_awards"
    __table_args__ = (db.UniqueConstraint("prize_id", "project_id"),)

    id = db.Column(db.Integer, primary_key=True)
    prize_id = db.Column(
        db.Integer, db.ForeignKey("special_prizes.id", ondelete="CASCADE"), nullable=False
    )
    project_id = db.Column(
        db.Integer, db.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, index=True
    )
    awarded_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    prize = db.relationship("SpecialPrize", back_populates="awards")
    project = db.relationship("Project")
