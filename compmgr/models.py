"""Import every feature's models so SQLAlchemy and Alembic see the whole schema."""

from compmgr.audit.models import AccessLogEntry, AuditEntry
from compmgr.auth.models import LoginAttempt, Role, RoleGrant, RoleOffer, User, UserSession
from compmgr.certificates.models import CertificateTemplate
from compmgr.competitions.models import Competition, Division, Subject
from compmgr.extensions import db
from compmgr.judging.models import (
    Assignment,
    Conflict,
    Criterion,
    Judge,
    Jury,
    JuryMember,
    Review,
    Score,
)
from compmgr.judging.plan_models import (
    Consultant,
    ConsultantWindow,
    Consultation,
    Hall,
    JudgeWindow,
    JudgingDay,
    JuryPlan,
    PlanSettings,
    ScheduleChange,
    ScheduleSeen,
    Stand,
)
from compmgr.messaging.models import (
    DigestSubscription,
    MailTemplate,
    Message,
    SchoolMailPreference,
)
from compmgr.outbox import OutboxMail
from compmgr.privacy.models import SitePage
from compmgr.registration.models import (
    ConsentRecord,
    Document,
    Participant,
    Project,
    ProjectMember,
    School,
)
from compmgr.results.models import Decision, SpecialPrize, SpecialPrizeAward
from compmgr.statistics.models import CompetitionStatistics
from compmgr.text import strip_bidi_on_set

__all__ = [
    "Stand",
    "ScheduleSeen",
    "ScheduleChange",
    "PlanSettings",
    "JuryPlan",
    "JudgingDay",
    "JudgeWindow",
    "Hall",
    "Consultation",
    "ConsultantWindow",
    "Consultant",
    "AccessLogEntry",
    "Assignment",
    "AuditEntry",
    "CertificateTemplate",
    "Competition",
    "CompetitionStatistics",
    "Conflict",
    "ConsentRecord",
    "Criterion",
    "Decision",
    "DigestSubscription",
    "Division",
    "Document",
    "Judge",
    "Jury",
    "JuryMember",
    "LoginAttempt",
    "MailTemplate",
    "Message",
    "OutboxMail",
    "Participant",
    "Project",
    "ProjectMember",
    "Review",
    "Role",
    "RoleGrant",
    "RoleOffer",
    "School",
    "SchoolMailPreference",
    "Score",
    "SitePage",
    "SpecialPrize",
    "SpecialPrizeAward",
    "Subject",
    "User",
    "UserSession",
]

strip_bidi_on_set(db.Model)  # names and titles never store bidi controls, whoever sets them
