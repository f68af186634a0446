"""Privacy notice and imprint: edited by the instance admin, linked in every page's footer."""

from tests.factories import UserFactory
from tests.forms import submit


def test_admin_writes_the_privacy_notice_and_everyone_reads_it(login_as, client, db):
    admin = UserFactory(email="admin@example.org", is_admin=True)
    web = login_as(admin)
    empty = submit(web.get("/admin/pages/datenschutz"), title="", body="")
    assert empty.status_code == 422 and "Bitte den Text der Seite eingeben." in empty.get_data(
        as_text=True
    )
    saved = submit(
        empty,
        title="Datenschutzhinweise",
        body="Verantwortlich: IHK Görlitz.\n\nWir löschen Daten.",
    )
    assert saved.status_code == 302
    web.logout()
    html = client.get("/datenschutz").get_data(as_text=True)
    assert "Verantwortlich: IHK Görlitz." in html and "Wir löschen Daten." in html


def test_footer_links_both_notices(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'href="/datenschutz"' in html and 'href="/impressum"' in html
    assert client.get("/impressum").status_code == 200


def test_only_admins_edit_notices(login_as, db):
    from compmgr.auth.models import Role
    from tests.factories import CompetitionFactory, grant

    org = grant(UserFactory(email="org@example.org"), CompetitionFactory(), Role.ORGANISER)
    web = login_as(org)
    assert web.get("/admin/pages/impressum").status_code == 403
    forged = web.post_raw("/admin/pages/impressum", {"title": "X", "body": "Y"})
    assert forged.status_code == 403
