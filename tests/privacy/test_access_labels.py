"""Access log entries read as words in the reader's language; the subject access PDF stays German."""

import html
import io
import re
from datetime import UTC, datetime

from pypdf import PdfReader

from compmgr.audit.access_log import log_access
from compmgr.audit.models import AccessLogEntry
from tests.factories import UserFactory
from tests.forms import submit
from tests.privacy.scene import published_competition
from tests.test_i18n import app_config  # noqa: F401  (English from the committed .po file)

EXPORTED_AT = datetime(2027, 2, 25, 13, 30, tzinfo=UTC)  # 14:30 in Berlin


def _access_list(page):
    """Return the items of the participant page's list of accesses, as text."""
    section = page.get_data(as_text=True).split('id="l-h"', 1)[1].split("</section>", 1)[0]
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).split())
        for item in re.findall(r"<li>(.*?)</li>", section, re.S)
    ]


def test_participant_page_names_each_access_with_time_and_who(login_as, db):
    s = published_competition()
    entry = log_access(s.org, "export", s.lena, competition_id=s.comp.id, endpoint="review.export")
    entry.at = EXPORTED_AT
    db.session.commit()
    web = login_as(s.org)
    items = _access_list(web.get(f"/c/{s.comp.id}/org/privacy/participants/{s.lena.id}"))
    assert any(i.endswith(" · Olga Orga · angesehen · privacy.participant") for i in items)
    assert "25.02.2027 14:30 · Olga Orga · exportiert · review.export" in items
    assert not any(" · export · " in i or " · view · " in i or "UTC" in i for i in items)

    assert submit(web.get("/roles"), button="English").status_code == 302
    items = _access_list(web.get(f"/c/{s.comp.id}/org/privacy/participants/{s.lena.id}"))
    assert "25 Feb 2027, 14:30 · Olga Orga · exported · review.export" in items
    assert any(i.endswith(" · Olga Orga · viewed · privacy.participant") for i in items)


def test_subject_access_pdf_keeps_german_labels_in_the_english_ui(login_as, db):
    s = published_competition()
    web = login_as(s.org)
    assert submit(web.get("/roles"), button="English").status_code == 302
    web.get(f"/c/{s.comp.id}/org/privacy/participants/{s.oemer.id}")
    response = web.get(f"/c/{s.comp.id}/org/privacy/participants/{s.oemer.id}/export.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "angesehen" in text and "exportiert" in text
    assert "viewed" not in text and "exported" not in text


def test_access_log_page_shows_labels_and_an_unknown_code_as_it_is(login_as, db):
    s = published_competition()
    log_access(s.org, "download", s.lena, competition_id=s.comp.id, endpoint="certificates.one")
    db.session.add(
        AccessLogEntry(
            user_id=s.org.id,
            competition_id=s.comp.id,
            participant_id=s.lena.id,
            action="printed",
            endpoint="old",
        )
    )
    admin = UserFactory(email="admin@example.org", is_admin=True)
    db.session.commit()
    page = login_as(admin).get("/admin/access-log")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<td>heruntergeladen</td>" in text and "<td>printed</td>" in text
    assert "<td>download</td>" not in text
