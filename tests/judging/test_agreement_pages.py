"""The agreement pages: the report for organiser and chair, a judge's own private chart."""

from compmgr.auth.models import Role
from compmgr.extensions import db
from compmgr.judging import scoring
from tests.factories import UserFactory, grant
from tests.judging.scene import build_scene, full_values


def _harsh_scene():
    """Five projects, three judges scoring all; Juror3 gives 3 points (of 10) less throughout.

    Juror1 and Juror2 give 9, 8, 7, 6, 5 with Juror2 one point up on project 3; Juror3 gives
    6, 5, 4, 3, 2: a 30-point offset, named; the ICC has five projects to go on.
    """
    scene = build_scene(n_projects=5, n_judges=3)
    a, b, c = scene.judges
    for k, project in enumerate(scene.projects):
        scoring.save_sheet(a, project, full_values(scene, 9 - k))
        scoring.save_sheet(b, project, full_values(scene, 9 - k + (k == 2)))
        scoring.save_sheet(c, project, full_values(scene, 6 - k))
    db.session.commit()
    return scene


def test_organiser_and_chair_see_the_harsh_judge_named(db, login_as):
    scene = _harsh_scene()
    organiser = UserFactory(email="orga@example.org")
    grant(organiser, scene.comp, Role.ORGANISER)
    db.session.commit()
    web = login_as(organiser)
    page = web.get(f"/c/{scene.comp.id}/org/judging/juries/{scene.jury.id}/agreement")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "ICC =" in html and "deutlich strenger" in html
    harsh_row = html[html.index(f'data-judge="{scene.judges[2].id}"') :][:600]
    assert "Juror3 Nachname3" in harsh_row and "deutlich strenger" in harsh_row
    assert "zerfallen" not in html  # everyone scored everything: linked
    web.logout()

    chair = login_as(scene.users[0])
    chair_page = chair.get(f"/c/{scene.comp.id}/jury/chair/{scene.jury.id}/")
    link = f"/c/{scene.comp.id}/jury/chair/{scene.jury.id}/agreement"
    assert link in chair_page.get_data(as_text=True)
    assert "deutlich strenger" in chair.get(link).get_data(as_text=True)


def test_a_judge_sees_only_their_own_offset(db, login_as):
    scene = _harsh_scene()
    web = login_as(scene.users[2])  # the harsh one, not a chair
    assert web.get(f"/c/{scene.comp.id}/jury/chair/{scene.jury.id}/agreement").status_code == 404
    html = web.get(f"/c/{scene.comp.id}/jury/offset").get_data(as_text=True)
    assert "deutlich strenger" in html
    for other in scene.judges[:2]:
        assert other.last_name not in html
    chart = web.get(f"/c/{scene.comp.id}/jury/offset.svg")
    assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
    svg = chart.get_data(as_text=True)
    assert "<svg" in svg and "Biologie" in svg and "Nachname" not in svg
    assert "<script src" not in svg and "http://" not in svg.split("<defs>")[-1]
