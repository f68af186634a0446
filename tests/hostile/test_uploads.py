"""Hostile uploads are refused with a clear message and leave nothing behind."""

import io
from datetime import date

import pytest

from compmgr.auth.models import Role
from compmgr.registration.documents import expanded_size, safe_filename
from compmgr.registration.models import Document
from tests.factories import (
    CompetitionFactory,
    ParticipantFactory,
    SchoolFactory,
    UserFactory,
    grant,
    make_pdf,
    make_project,
)
from tests.hostile.pdfs import bomb, lying_count, raw_pdf


@pytest.fixture
def app_config():
    return {"PDF_MAX_EXPANDED_MB": 8, "MAX_CONTENT_LENGTH": 4 * 1024 * 1024}


@pytest.fixture
def school_web(db, login_as):
    comp = CompetitionFactory(registration_deadline=date(2099, 11, 30), paper_deadline=date(2099, 12, 15))
    comp.paper_max_mb = 2
    school = SchoolFactory(competition_id=comp.id)
    user = grant(UserFactory(email="schule@example.org"), comp, Role.SCHOOL, school)
    lena = ParticipantFactory(competition_id=comp.id, school=school, birth_date=date(2010, 5, 17))
    project = make_project(comp, school, [lena])
    db.session.commit()
    web = login_as(user)
    return web, f"/c/{comp.id}/school/projects/{project.id}"


def upload(web, base, data, name="arbeit.pdf"):
    return web.post(f"{base}/upload", {"kind": "paper", "file": (io.BytesIO(data), name)},
                    content_type="multipart/form-data", follow_redirects=True)


def documents(db):
    db.session.rollback()
    return db.session.scalars(db.select(Document)).all()


def many_pages(n):
    kids = b" ".join(b"3 0 R" for _ in range(n))
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                    b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"])


@pytest.mark.parametrize("data,message", [
    (b"", "Die Datei ist leer"),
    (b"MZ\x90\x00 an .exe renamed to .pdf", "keine PDF-Datei"),
    (b"\x89PNG\r\n\x1a\n picture renamed", "keine PDF-Datei"),
    (b"%PDF-1.7\n" + b"A" * (2 * 1024 * 1024 + 10), "erlaubt sind höchstens 2 MB"),
    (bomb(64 * 1024 * 1024), "entpackt sich auf über 8 MB"),
    (many_pages(5000), "höchstens 500 Seiten"),
    (lying_count(10**12)[:-40], "beschädigt"),
], ids=["empty", "exe", "png", "oversized", "bomb", "pages", "truncated"])
def test_hostile_pdf_is_refused_with_a_clear_message(school_web, db, data, message):
    web, base = school_web
    html = upload(web, base, data).get_data(as_text=True)
    assert message in html
    assert documents(db) == []


def test_request_over_the_hard_limit_gets_the_413_page(school_web, db):
    web, base = school_web
    response = upload(web, base, b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024))
    assert response.status_code == 413
    assert "Datei zu groß" in response.get_data(as_text=True)
    assert documents(db) == []


@pytest.mark.parametrize("name,shown", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
    ("..", "dokument.pdf"),
    ("arbeit\x00.exe.pdf", "arbeit.exe.pdf"),
    ("ä" * 5000 + ".pdf", None),
], ids=["dotdot", "backslash", "only-dots", "nul", "long"])
def test_hostile_file_names_are_cleaned(school_web, db, name, shown):
    web, base = school_web
    response = upload(web, base, make_pdf(), name=name)
    assert response.status_code == 200
    (doc,) = documents(db)
    assert doc.stored_name.isalnum() and len(doc.stored_name) == 32
    assert "/" not in doc.original_name and "\\" not in doc.original_name and "\x00" not in doc.original_name
    if shown is None:
        assert len(doc.original_name) == 120 and doc.original_name.endswith("….pdf")
    else:
        assert doc.original_name.endswith(shown) and not doc.original_name.startswith(".")


def test_a_good_pdf_still_passes(school_web, db):
    web, base = school_web
    assert "3 Seiten" in upload(web, base, make_pdf(3)).get_data(as_text=True)
    assert len(documents(db)) == 1


def test_expanded_size_stops_early_and_ignores_other_streams():
    assert expanded_size(bomb(20 * 1024 * 1024), 1024 * 1024) <= 2 * 1024 * 1024
    assert expanded_size(make_pdf(2), 10**9) < 10_000
    assert expanded_size(b"%PDF stream\n\xff\xd8 jpeg data endstream", 10) == 0


def test_safe_filename_keeps_normal_names():
    assert safe_filename("Schriftliche Arbeit – Müller.pdf") == "Schriftliche Arbeit – Müller.pdf"
    assert safe_filename("") == safe_filename(None) == "dokument.pdf"
    assert safe_filename("zeile\r\nSet-Cookie: x.pdf") == "zeileSet-Cookie: x.pdf"
    assert safe_filename("rechts\u202eexe.pdf") == "rechtsexe.pdf"  # no right-to-left override
