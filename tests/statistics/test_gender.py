"""The optional gender: asked in the participant form, counted in the statistics, shown nowhere else."""

from compmgr.registration.models import Participant
from tests.factories import ProjectFactory
from tests.forms import submit
from tests.registration.conftest import setup  # noqa: F401
from tests.registration.test_school_pages import PERSON, url


def test_gender_is_optional_saved_and_counted_only_as_a_total(setup, login_as, db):  # noqa: F811
    web = login_as(setup.user)
    form = web.get(url(setup, "/participants/new")).get_data(as_text=True)
    assert "Geschlecht (freiwillig, nur für die Statistik)" in form
    assert submit(web.get(url(setup, "/participants/new")), **PERSON).status_code == 302
    lena = db.session.scalars(db.select(Participant)).one()
    assert lena.gender == ""  # "keine Angabe" unless given

    edit = url(setup, f"/participants/{lena.id}")
    assert submit(web.get(edit), **{**PERSON, "gender": "w"}).status_code == 302
    db.session.refresh(lena)
    assert lena.gender == "w"

    ProjectFactory(competition=setup.comp, school=setup.school, participants=[lena])
    db.session.commit()
    web.logout()
    web = login_as(setup.organiser)
    stats = web.get(f"/c/{setup.comp.id}/org/statistics/gender.csv").get_data().decode("utf-8-sig")
    assert "weiblich;1" in stats
    for page in (
        f"/c/{setup.comp.id}/org/entries/",
        f"/c/{setup.comp.id}/org/entries/export?table=participants&format=csv",
    ):
        assert "weiblich" not in web.get(page).get_data(as_text=True)
