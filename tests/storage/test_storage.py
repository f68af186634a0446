"""Stored files on the local folder and on real S3 (SeaweedFS): one interface, same behaviour."""

import io

import pytest

from compmgr import storage
from compmgr.registration.models import Document
from tests.certificates.conftest import contest  # noqa: F401
from tests.certificates.test_images import _images, png, template_page  # noqa: F401
from tests.factories import ProjectFactory, make_pdf
from tests.forms import submit
from tests.registration.conftest import setup  # noqa: F401


@pytest.fixture(params=["local", "s3"])
def storage_kind(request):
    return request.param


@pytest.fixture
def app_config(storage_kind, request):
    if storage_kind == "s3":
        return {"STORAGE_URL": request.getfixturevalue("s3_url")}
    return {}


def test_the_backend_follows_the_setting(app, storage_kind):
    store = storage.backend()
    assert type(store).__name__ == {"local": "LocalStorage", "s3": "S3Storage"}[storage_kind]


def test_a_file_is_stored_read_listed_and_deleted(app):
    data = b"%PDF-1.7 " + bytes(range(256)) * 4000  # ~1 MB, every byte value
    name, digest = storage.store_bytes(data)
    store = storage.backend()
    assert storage.exists(name) and store.size(name) == len(data)
    assert storage.read_bytes(name) == data
    assert storage.checksum(store, name) == (digest, len(data))
    assert store.names() == [name]
    storage.delete(name)
    storage.delete(name)  # deleting twice is no error
    assert not storage.exists(name) and store.names() == []
    with pytest.raises(FileNotFoundError):
        storage.read_bytes(name)


@pytest.mark.parametrize("name", ["../etc/passwd", "a/b", "x.pdf", "", "ä" * 8])
def test_only_our_own_names_are_accepted(app, name):
    with pytest.raises(ValueError):
        storage.backend().put(name, b"x")
    assert not storage.exists(name)


def test_a_download_streams_and_never_reads_the_whole_file(app):
    data = make_pdf() + b"\0" * (3 * 1024 * 1024)
    name, _ = storage.store_bytes(data)
    with app.test_request_context():
        response = storage.send(name, "application/pdf", "Arbeit.pdf")
        assert not response.is_sequence  # a file wrapper read chunk by chunk, not bytes
        assert response.content_length == len(data)
        assert "attachment" in response.headers["Content-Disposition"]
        assert b"".join(response.response) == data
        response.close()
        with pytest.raises(FileNotFoundError):
            storage.send("0" * 32, "application/pdf", "Arbeit.pdf")


def test_a_paper_uploaded_by_the_school_downloads_for_the_organiser(setup, login_as, db):  # noqa: F811
    project = ProjectFactory(competition=setup.comp, school=setup.school)
    db.session.commit()
    paper = make_pdf(3)
    web = login_as(setup.user)
    page = web.get(f"/c/{setup.comp.id}/school/projects/{project.id}")
    submit(page, having={"kind": "paper"}, file=(io.BytesIO(paper), "arbeit.pdf"))
    doc = db.session.scalars(db.select(Document)).one()
    assert storage.backend().names() == [doc.stored_name]
    web.logout()
    web = login_as(setup.organiser)
    response = web.get(f"/c/{setup.comp.id}/org/entries/projects/{project.id}/document?kind=paper")
    assert response.status_code == 200 and response.data == paper
    assert response.headers["Cache-Control"] == "no-store"
    storage.delete(doc.stored_name)  # lost from the store: a clean 404, no error page
    missing = web.get(f"/c/{setup.comp.id}/org/entries/projects/{project.id}/document?kind=paper")
    assert missing.status_code == 404


def test_a_certificate_logo_is_kept_in_the_store_and_printed(template_page):  # noqa: F811
    assert template_page(logo=png(60, 30)).status_code == 302
    assert len(storage.backend().names()) == 1
    assert _images(template_page.preview().data) >= 1


def _documents(db, n):
    project = ProjectFactory()
    db.session.commit()
    docs = []
    for i in range(n):
        data = make_pdf(i + 1)
        name, digest = storage.store_bytes(data)
        doc = Document(
            project_id=project.id,
            kind=f"k{i}",
            stored_name=name,
            original_name="arbeit.pdf",
            size=len(data),
            page_count=i + 1,
            sha256=digest,
        )
        db.session.add(doc)
        docs.append((name, data))
    db.session.commit()
    return docs


def test_migrate_moves_every_file_verifies_and_can_run_again(app, db, runner, tmp_path, s3_url):
    docs = _documents(db, 3)
    logo, _ = storage.store_bytes(png(10, 10))  # no Document row: copied all the same
    source = storage.backend()
    target_url = (
        s3_url if type(source).__name__ == "LocalStorage" else (tmp_path / "moved").as_uri()
    )
    result = runner.invoke(args=["storage", "migrate", "--to", target_url])
    assert result.exit_code == 0, result.output
    assert "4 kopiert und geprüft, 0 waren schon da" in result.output
    target = storage.from_url(target_url)
    assert target.names() == sorted([n for n, _ in docs] + [logo])
    for name, data in docs:
        with target.open(name) as fh:
            assert fh.read() == data
    # Interrupted half-way: one file missing in the target, then the command runs again.
    target.delete(docs[1][0])
    again = runner.invoke(args=["storage", "migrate", "--to", target_url])
    assert again.exit_code == 0, again.output
    assert "1 kopiert und geprüft, 3 waren schon da" in again.output
    assert source.names() == target.names()  # the source is left as it was


def test_migrate_refuses_a_file_that_no_longer_matches_its_checksum(app, db, runner, tmp_path):
    docs = _documents(db, 2)
    storage.backend().put(docs[0][0], b"%PDF- damaged on disk")
    target_url = (tmp_path / "moved").as_uri()
    result = runner.invoke(args=["storage", "migrate", "--to", target_url])
    assert result.exit_code == 1
    assert "1 kopiert" in result.output and docs[0][0] in result.output
    assert storage.from_url(target_url).names() == [docs[1][0]]


def test_a_storage_url_that_cannot_work_is_refused(app, runner):
    result = runner.invoke(args=["storage", "migrate", "--to", "ftp://example.org/x"])
    assert result.exit_code == 1 and "Unbekannte Ablage" in result.output
