"""The organiser's audit page says in words what changed: the kind of change, what, old → new."""

import html
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import compmgr.models  # noqa: F401  (every feature fills the label registry on import)
from compmgr.audit.labels import ACTION_LABELS, describe
from compmgr.audit.models import AuditEntry
from compmgr.auth.models import Role
from compmgr.judging import scoring
from compmgr.registration import review_services
from tests.factories import UserFactory, grant
from tests.forms import submit
from tests.judging.scene import build_scene
from tests.test_i18n import app_config  # noqa: F401  (English from the committed .po file)

SOURCE = Path(__file__).resolve().parents[2] / "compmgr"
HIDDEN = re.compile(r'<span class="visually-hidden">.*?</span>')


def rows(page):
    """Return the audit table's rows as a reader sees them: cell texts joined by " | "."""
    raw = page if isinstance(page, str) else page.get_data(as_text=True)
    body = raw.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        texts = [
            " ".join(html.unescape(re.sub(r"<[^>]+>", " ", HIDDEN.sub("", c))).split())
            for c in cells
        ]
        found.append(" | ".join(texts))
    return found


@pytest.fixture
def scored(db):
    """A judge scores a criterion 7 and then 9; the organiser may read the audit page."""
    scene = build_scene(n_projects=1, n_judges=1)
    judge, project, criterion = scene.judges[0], scene.projects[0], scene.criteria[0]
    scoring.save_sheet(judge, project, {criterion.id: 7}, user=scene.users[0])
    scoring.save_sheet(
        judge, project, {criterion.id: 9}, note="Gute Messreihe", user=scene.users[0]
    )
    grant(UserFactory(email="orga@example.org", name="Orga Nisatorin"), scene.comp, Role.ORGANISER)
    db.session.commit()
    return scene


def test_a_score_change_reads_as_words_with_old_and_new_value(scored, web):
    web.login("orga@example.org")
    page = web.get(f"/c/{scored.comp.id}/org/audit/")
    criterion, judge = scored.criteria[0].name, scored.judges[0].full_name
    newest = rows(page)
    changed = [r for r in newest if "| Bewertung geändert |" in r]
    assert len(changed) == 2
    assert f"Projekt: Projekt 1 Juror(in): {judge} | {criterion}: 7 → 9" in changed[0]
    assert f"| {criterion}: – → 9" not in changed[0] and f"| {criterion}: – → 7" in changed[1]
    assert any(
        "| Notiz zur Bewertung geändert |" in r and "Notiz: – → Gute Messreihe" in r for r in newest
    )
    raw = page.get_data(as_text=True)
    assert "score.set" not in raw.replace('value="score.set"', "")
    assert "criterion_id" not in raw and "{" not in raw.split("<tbody>", 1)[1]
    # the arrow is for the eye, the words for a screen reader
    assert (
        '7 <span aria-hidden="true">→</span><span class="visually-hidden">geändert in</span> 9'
        in raw
    )


def test_the_filter_lists_labels_and_keeps_the_code_as_value(scored, web):
    web.login("orga@example.org")
    raw = web.get(f"/c/{scored.comp.id}/org/audit/?action=review.note").get_data(as_text=True)
    assert '<option value="score.set" >Bewertung geändert</option>' in raw
    assert '<option value="review.note" selected>Notiz zur Bewertung geändert</option>' in raw
    assert [r.split(" | ")[2] for r in rows(raw)] == ["Notiz zur Bewertung geändert"]


def test_english_ui_shows_english_labels_and_dates(scored, web):
    web.login("orga@example.org")
    assert submit(web.get(f"/c/{scored.comp.id}/org/audit/"), button="English").status_code == 302
    page = web.get(f"/c/{scored.comp.id}/org/audit/")
    criterion = scored.criteria[0].name
    changed = [r for r in rows(page) if "| Score changed |" in r]
    assert len(changed) == 2 and "Project: Projekt 1 Judge:" in changed[0]
    assert f"| {criterion}: 7 → 9" in changed[0]
    raw = html.unescape(page.get_data(as_text=True))
    assert "Bewertung geändert" not in raw and "changed to" in raw
    assert re.search(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d:\d\d", raw)


def test_organiser_decisions_read_as_words(db, web):
    scene = build_scene(n_projects=1, n_judges=1)
    project, school = scene.projects[0], scene.projects[0].school
    review_services.set_status(project, "admitted")
    review_services.extend_registration(school, date(2026, 12, 7))
    db.session.add(
        AuditEntry(
            competition_id=scene.comp.id,
            action="legacy.code",
            object_type="Project",
            object_id=project.id,
            after={"colour": "blau"},
        )
    )
    grant(UserFactory(email="orga@example.org"), scene.comp, Role.ORGANISER)
    db.session.commit()
    web.login("orga@example.org")
    found = rows(web.get(f"/c/{scene.comp.id}/org/audit/"))
    named = f"Projekt: {project.stand_title}"  # keyed by stand: "B01 · Projekt 1"
    assert named.startswith("Projekt: B01 · ")
    assert any(
        f"| System | Status des Projekts geändert | {named} | Status: Angemeldet → Zugelassen" in r
        for r in found
    ), found
    assert any(
        f"| Anmeldung für eine Schule verlängert | Schule: {school.label} "
        "| Anmeldung verlängert bis: – → 07.12.2026" in r
        for r in found
    ), found
    # a code without a label is shown as it is, its values too
    assert any(f"| legacy.code | {named} | colour: blau" in r for r in found), found


def test_a_jury_decision_names_prize_and_regional_win(app):
    entry = AuditEntry(
        action="decision.set",
        object_type="Decision",
        object_id=1,
        before={"place": 2, "prize": None, "qualified": False, "reason": ""},
        after={
            "place": 1,
            "prize": 1,
            "qualified": True,
            "reason": "",
            "jury": "Biologie",
            "project_id": 5,
            "suggested": 2,
        },
    )
    with app.test_request_context():
        d = describe(entry, {("Project", 5): "Bioplastik"})
        assert str(d.label) == "Entscheidung der Jury geändert"
        assert d.context == [("Projekt", "Bioplastik"), ("Jury", "Biologie")]
        assert [(str(c.label), c.before, c.after) for c in d.changes] == [
            ("Platz", "2", "1"),
            ("Preis", "kein Preis", "1. Preis"),
            ("Regionalsieg", "nein", "ja"),
            ("Platz nach den Punkten", None, "2"),
        ]
        unlocked = AuditEntry(
            action="jury.unlock",
            object_type="Jury",
            object_id=1,
            before={
                "locked": True,
                "locked_at": datetime(2027, 2, 25, 13, 30, tzinfo=UTC).isoformat(),
                "locked_by": "Dr. Vorsitz",
            },
            after={"locked": False, "jury": "Biologie", "reason": "Tippfehler"},
        )
        d = describe(unlocked)
        assert [(str(c.label), c.before, c.after) for c in d.changes] == [
            ("Abgeschlossen am", "25.02.2027 14:30", None),
            ("Abgeschlossen von", "Dr. Vorsitz", None),
            ("Begründung", None, "Tippfehler"),
        ]


def test_every_recorded_action_has_a_label():
    codes = set()
    for path in SOURCE.rglob("*.py"):
        codes |= set(
            re.findall(r'\brecord(?:_now)?\(\s*"([a-z_.]+)"', path.read_text(encoding="utf-8"))
        )
    assert codes and "score.set" in codes
    assert codes <= set(ACTION_LABELS), sorted(codes - set(ACTION_LABELS))
