"""Messaging tables: an organiser's texts, messages sent to a selection, mail preferences."""

from compmgr.database import UTCDateTime, utcnow
from compmgr.extensions import db


class MailTemplate(db.Model):
    """An organiser's own subject and body for one kind of mail, language and competition."""

    __tablename__ = "mail_templates"
    __table_args__ = (db.UniqueConstraint("competition_id", "kind", "locale"),)

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False
    )
    kind = db.Column(db.String(40), nullable=False)
    locale = db.Column(db.String(5), nullable=False, default="de")
    subject = db.Column(db.String(300), nullable=False)
    body = db.Column(db.Text, nullable=False)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)


class Message(db.Model):
    """A message an organiser wrote to a selection of schools or judges."""

    __tablename__ = "mail_messages"

    id = db.Column(db.Integer, primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    author_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    selection = db.Column(db.String(40), nullable=False)
    selection_label = db.Column(db.String(300), nullable=False, default="")
    subject = db.Column(db.String(300), nullable=False)
    body = db.Column(db.Text, nullable=False)
    essential = db.Column(db.Boolean, nullable=False, default=False)
    recipients = db.Column(db.Integer, nullable=False, default=0)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    author = db.relationship("User")

    @property
    def batch(self):
        return f"message:{self.id}"


class SchoolMailPreference(db.Model):
    """A school that asked for essential mail only (no reminders, newsletters, results)."""

    __tablename__ = "school_mail_preferences"

    school_id = db.Column(
        db.Integer, db.ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True
    )
    essential_only = db.Column(db.Boolean, nullable=False, default=True)
    changed_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)


class DigestSubscription(db.Model):
    """An organiser who wants the daily digest of one competition."""

    __tablename__ = "digest_subscriptions"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), primary_key=True
    )
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
