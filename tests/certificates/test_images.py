"""Logo and signature images: a few kB that declare gigapixels are refused before decoding."""

import io
import re
import struct
import zlib

import pytest
from PIL import Image

from compmgr import storage
from compmgr.auth.models import Role
from compmgr.certificates.models import CertificateTemplate
from compmgr.extensions import db
from tests.factories import UserFactory, grant
from tests.forms import submit


def png(width, height):
    """A black-and-white PNG of width × height: small on disk, huge once decoded."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    row = b"\0" * (1 + (width + 7) // 8)  # filter byte + 1 bit a pixel
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


def jpeg_claiming(width, height):
    """A real 16 × 16 JPEG whose frame header claims width × height."""
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "#1f4e79").save(out, "JPEG")
    data = out.getvalue()
    sof = data.index(b"\xff\xc0")
    return data[: sof + 5] + struct.pack(">HH", height, width) + data[sof + 9 :]


@pytest.fixture
def template_page(contest, login_as):
    web = login_as(grant(UserFactory(), contest["comp"], Role.ORGANISER))
    url = f"/c/{contest['comp'].id}/print/template"

    def post(**files):
        """Upload the images through the template page's form, everything else as shown."""
        return submit(web.get(url), **{k: (io.BytesIO(v), f"{k}.png") for k, v in files.items()})

    post.preview = lambda: web.get(f"{url}/preview.pdf")
    return post


def _error_of(html, field):
    match = re.search(rf'id="{field}-error"[^>]*>(.*?)</div>', html, re.S)
    return " ".join(match.group(1).split()) if match else ""


def _stored_files(app):
    return storage.backend().names()


def test_a_144_megapixel_png_of_a_few_kb_is_refused_next_to_the_field(app, template_page):
    bomb = png(12000, 12000)
    assert len(bomb) < 200_000
    response = template_page(logo=bomb)
    assert response.status_code == 422
    error = _error_of(response.get_data(as_text=True), "logo")
    assert "12000 × 12000 Pixel" in error and "höchstens 25 Megapixel" in error
    assert db.session.scalars(db.select(CertificateTemplate)).all() == []
    assert _stored_files(app) == []


def test_a_signature_over_the_limit_is_refused_too(template_page):
    response = template_page(sig2_image=png(6000, 5000))
    assert response.status_code == 422
    assert "6000 × 5000 Pixel" in _error_of(response.get_data(as_text=True), "sig2_image")


def test_a_jpeg_past_pillows_own_bomb_limit_is_refused_as_too_many_pixels(template_page):
    response = template_page(logo=jpeg_claiming(60000, 60000))
    assert response.status_code == 422
    assert "zu viele Pixel" in _error_of(response.get_data(as_text=True), "logo")


@pytest.mark.parametrize("app_config", [{"CERTIFICATE_IMAGE_MAX_PIXELS": 10_000}])
def test_the_limit_is_a_setting(template_page):
    assert template_page(logo=png(100, 100)).status_code == 302
    response = template_page(logo=png(101, 100))
    assert response.status_code == 422
    assert "höchstens 0,01 Megapixel" in _error_of(response.get_data(as_text=True), "logo")


def test_an_oversized_image_stored_before_the_limit_is_left_out_of_the_print(template_page):
    assert template_page(logo=png(60, 30)).status_code == 302
    with_logo = _images(template_page.preview().data)
    template = db.session.scalars(db.select(CertificateTemplate)).one()
    storage.backend().put(template.logo_stored_name, png(12000, 12000))  # an old upload
    preview = template_page.preview()
    assert preview.status_code == 200 and preview.mimetype == "application/pdf"
    assert _images(preview.data) == with_logo - 1  # the logo is left out, never decoded


def _images(pdf):
    return len(re.findall(rb"/Subtype\s*/Image", pdf))
