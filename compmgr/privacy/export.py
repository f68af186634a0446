"""Subject access (Art. 15 DSGVO): everything stored about one participant, as plain data."""

from flask_babel import force_locale

from compmgr.audit.models import ACCESS_ACTION_LABELS
from compmgr.extensions import db
from compmgr.privacy.services import access_log, consent_rows
from compmgr.results.models import Decision, SpecialPrizeAward


def _iso(value):
    return value.isoformat() if value is not None else None


def _project(membership):
    project = membership.project
    decision = db.session.execute(
        db.select(Decision).filter_by(project_id=project.id)
    ).scalar_one_or_none()
    awards = db.session.scalars(db.select(SpecialPrizeAward).filter_by(project_id=project.id)).all()
    locked = decision is not None and decision.jury.is_locked
    return {
        "id": project.id,
        "title": project.title,
        "abstract": project.abstract,
        "subject": project.subject.name,
        "division": project.division.name if project.division else None,
        "status": project.status,
        "stand": project.stand,
        "is_speaker": membership.is_speaker,
        "team_size": len(project.members),
        "supervisor_name": project.supervisor_name,
        "supervisor_email": project.supervisor_email,
        "stand_needs": {
            "space": project.needs_space,
            "power": project.needs_power,
            "water": project.needs_water,
            "gas": project.needs_gas,
            "notes": project.needs_notes,
        },
        "involves_animals": project.involves_animals,
        "patent_consultation": project.patent_consultation,
        "remote_link": project.remote_link,
        "documents": [
            {
                "kind": d.kind,
                "file_name": d.original_name,
                "size_bytes": d.size,
                "pages": d.page_count,
                "uploaded_at": _iso(d.uploaded_at),
                "sha256": d.sha256,
            }
            for d in project.documents
        ],
        "decision": {
            "place": decision.place,
            "prize": decision.prize,
            "qualified": decision.qualified,
        }
        if locked
        else None,
        "special_prizes": [{"name": a.prize.name, "sponsor": a.prize.sponsor} for a in awards],
    }


def subject_access_export(participant, log=None):
    """Return everything stored about one participant as a JSON-ready dict.

    ``log`` is the participant's access log when the caller has read it already.
    """
    competition = participant.school.competition
    if log is None:
        log = access_log(participant_id=participant.id, competition_id=participant.competition_id)
    return {
        "participant": {
            "id": participant.id,
            "first_name": participant.first_name,
            "last_name": participant.last_name,
            "birth_date": _iso(participant.birth_date),
            "grade": participant.grade,
            "email": participant.email,
            "phone": participant.phone,
            "created_at": _iso(participant.created_at),
            "updated_at": _iso(participant.updated_at),
        },
        "school": {"name": participant.school.name, "city": participant.school.city},
        "competition": {
            "id": competition.id,
            "name": competition.name,
            "round_year": competition.round_year,
            "host": competition.host,
            "retention_until": _iso(competition.retention_until),
        },
        "consents": [
            {
                "kind": r.kind,
                "granted": r.granted,
                "given_by": r.given_by,
                "text_version": r.text_version,
                "given_at": _iso(r.given_at),
            }
            for r in consent_rows(participant)
        ],
        "projects": [_project(m) for m in participant.memberships],
        "access_log": [
            {
                "at": _iso(e.at),
                "action": e.action,
                "by": e.user.name if e.user else None,
                "page": e.endpoint,
            }
            for e in log
        ],
    }


def german_action_labels():
    """Name every access log action in German, as the subject access PDF prints them."""
    with force_locale("de"):  # the PDF is a German document, whatever the reader's language
        return {code: str(label) for code, label in ACCESS_ACTION_LABELS.items()}
