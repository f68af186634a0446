"""Import every feature's models so SQLAlchemy and Alembic see the whole schema."""

from compmgr.audit.models import AuditEntry  # noqa: F401
from compmgr.auth.models import LoginAttempt, Role, RoleGrant, RoleOffer, User, UserSession  # noqa: F401
from compmgr.certificates.models import CertificateTemplate  # noqa: F401
from compmgr.competitions.models import Competition, Division, Subject  # noqa: F401
from compmgr.extensions import db
from compmgr.judging.models import (  # noqa: F401
    Assignment,
    Conflict,
    Criterion,
    Judge,
    Jury,
    JuryMember,
    Review,
    Score,
)
from compmgr.privacy.models import AccessLogEntry, CompetitionStatistics, SitePage  # noqa: F401
from compmgr.registration.models import (  # noqa: F401
    ConsentRecord,
    Document,
    Participant,
    Project,
    ProjectMember,
    School,
)
from compmgr.results.models import Decision, SpecialPrize, SpecialPrizeAward  # noqa: F401
from compmgr.text import strip_bidi_on_set

strip_bidi_on_set(db.Model)  # names and titles never store bidi controls, whoever sets them
