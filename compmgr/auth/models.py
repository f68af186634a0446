"""User accounts, role grants and offers, server-side sessions, and throttled attempts."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from compmgr.database import UTCDateTime, utcnow
from compmgr.extensions import db


class Role(StrEnum):
    ADMIN = "admin"  # instance admin; not bound to a competition
    ORGANISER = "organiser"
    SCHOOL = "school"
    JUDGE = "judge"

    @property
    def label(self):
        return {
            "admin": _l("Administration"),
            "organiser": _l("Wettbewerbsleitung"),
            "school": _l("Schule"),
            "judge": _l("Jury"),
        }[self.value]


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), nullable=False, unique=True)
    name = db.Column(db.String(200), nullable=False)
    password_hash = db.Column(db.String(255))  # None until the invitation is accepted
    is_admin = db.Column(db.Boolean, nullable=False, default=False)
    active = db.Column(db.Boolean, nullable=False, default=True)
    locale = db.Column(db.String(5))
    # Bumped on every password change: old sessions and one-time links die with it.
    auth_nonce = db.Column(db.Integer, nullable=False, default=0)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    last_login_at = db.Column(UTCDateTime)

    grants = db.relationship(
        "RoleGrant",
        back_populates="user",
        cascade="all, delete-orphan",
        order_by="RoleGrant.id",
    )

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        return f"{self.id}:{self.auth_nonce}"

    def set_password(self, password):
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.auth_nonce = (self.auth_nonce or 0) + 1

    def check_password(self, password):
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def has_role(self, role, competition_id=None):
        """Tell whether the user holds role (in one competition, or in any when None)."""
        if role == Role.ADMIN:
            return self.is_admin
        return any(
            g.role == role and (competition_id is None or g.competition_id == competition_id)
            for g in self.grants
        )

    def __repr__(self):
        return f"<User {self.email}>"


class RoleGrant(db.Model):
    """One role of one user in one competition; a school grant names its school."""

    __tablename__ = "role_grants"
    __table_args__ = (db.UniqueConstraint("user_id", "competition_id", "role", "school_id"),)

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(
        db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    role = db.Column(db.String(20), nullable=False)
    school_id = db.Column(db.Integer, db.ForeignKey("schools.id", ondelete="CASCADE"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    user = db.relationship("User", back_populates="grants")
    competition = db.relationship("Competition")
    school = db.relationship("School")

    @property
    def role_enum(self):
        return Role(self.role)

    def __repr__(self):
        return f"<RoleGrant {self.role} c={self.competition_id} u={self.user_id}>"


class RoleOffer(db.Model):
    """A role offered to an account that already exists; it takes effect when its holder accepts.

    An invitation never touches an existing account's credentials: its holder, logged in as
    themselves, accepts or declines the offer under *Rolle wählen*.
    """

    __tablename__ = "role_offers"
    __table_args__ = (db.UniqueConstraint("user_id", "competition_id", "role", "school_id"),)

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(
        db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    competition_id = db.Column(
        db.Integer, db.ForeignKey("competitions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    role = db.Column(db.String(20), nullable=False)
    school_id = db.Column(db.Integer, db.ForeignKey("schools.id", ondelete="CASCADE"))
    invited_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    user = db.relationship("User", foreign_keys=[user_id])
    invited_by = db.relationship("User", foreign_keys=[invited_by_id])
    competition = db.relationship("Competition")
    school = db.relationship("School")

    @property
    def role_enum(self):
        return Role(self.role)


class UserSession(db.Model):
    """One logged-in browser; the signed cookie carries a random id whose hash is the key.

    Logout, "log out everywhere", a password change or reset revoke rows here, so a copied
    cookie dies on the server; every worker and host sees the same table.
    """

    __tablename__ = "user_sessions"

    id = db.Column(db.String(64), primary_key=True)  # sha256 of the random id in the cookie
    user_id = db.Column(
        db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    last_seen_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    revoked_at = db.Column(UTCDateTime)


class LoginAttempt(db.Model):
    """A failed login or a reset request, kept for a short window, shared by every worker."""

    __tablename__ = "login_attempts"

    id = db.Column(db.Integer, primary_key=True)
    account_key = db.Column(db.String(64), nullable=False, index=True)  # sha256 of the e-mail
    ip = db.Column(db.String(45), nullable=False, index=True)
    # "ip:<address>" or "device:<id>" of a device cookie this account logged in with before.
    client_key = db.Column(db.String(80), nullable=False, default="")
    kind = db.Column(db.String(10), nullable=False, default="login")  # login | reset
    at = db.Column(UTCDateTime, nullable=False, default=utcnow, index=True)
