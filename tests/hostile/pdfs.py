"""Hand-made hostile PDFs: bombs, lying page counts, scripts and attachments."""

import base64
import io
import struct
import zlib

PAGES = [
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
]


def raw_pdf(objects, root=1):
    """Assemble a PDF from object bodies (bytes), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, root, xref)
    )
    return out.getvalue()


def lying_count(count):
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % count,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


def stream_pdf(data, filters=b"/FlateDecode", eol=b"\n"):
    """A one-page PDF whose page content is data, with eol after the stream keyword."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter %s >>\nstream" % (len(data), filters)
            + eol
            + data
            + b"\nendstream",
        ]
    )


def bomb(expanded, eol=b"\n"):
    return stream_pdf(zlib.compress(b"\0" * expanded, 9), eol=eol)


def double_bomb(expanded):
    """Flate of Flate: the outer layer unpacks to a few hundred kB, the inner to expanded."""
    return stream_pdf(
        zlib.compress(zlib.compress(b"\0" * expanded, 9), 9), filters=b"[/FlateDecode /FlateDecode]"
    )


def hex_bomb(expanded):
    """A Flate bomb written as hex digits: its zlib header is no longer in the file's bytes."""
    packed = zlib.compress(zlib.compress(b"\0" * expanded, 9), 9)
    return stream_pdf(
        packed.hex().encode() + b">", filters=b"[/ASCIIHexDecode /FlateDecode /FlateDecode]"
    )


def a85_bomb(expanded):
    """A Flate-of-Flate bomb behind ASCII85: three filters in a chain."""
    packed = zlib.compress(zlib.compress(b"\0" * expanded, 9), 9)
    return stream_pdf(
        base64.a85encode(packed, wrapcol=76) + b"~>", filters=b"[/A85 /FlateDecode /FlateDecode]"
    )


def endstream_bomb(expanded):
    """A bomb whose zlib data begins with a stored block holding the bytes ``endstream``."""
    stored = b"endstream"
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = b"\0" * expanded
    body = (
        b"\x00"
        + struct.pack("<HH", len(stored), 0xFFFF ^ len(stored))
        + stored
        + deflater.compress(zeros)
        + deflater.flush()
    )
    data = b"\x78\xda" + body + struct.pack(">I", zlib.adler32(stored + zeros))
    assert zlib.decompress(data) == stored + zeros
    return stream_pdf(data)


def catalog_pdf(catalog_extra, *objects, page_extra=b""):
    """A one-page PDF whose catalog (object 1) carries catalog_extra; objects follow as 4, 5, …"""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
            PAGES[0],
            PAGES[1][:-2] + page_extra + b" >>",
            *objects,
        ]
    )


def objstm_pdf(hidden):
    """A PDF 1.5 whose object 4 (hidden) sits compressed in an object stream, with an xref stream.

    The catalog opens with 4 0 R; a byte search of the file cannot see what object 4 says.
    """
    header = b"4 0 "
    objstm = zlib.compress(header + hidden)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        *PAGES,
        None,  # object 4 lives in object 5
        b"<< /Type /ObjStm /N 1 /First %d /Length %d /Filter /FlateDecode >>\nstream\n"
        % (len(header), len(objstm))
        + objstm
        + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n")
    rows = [b"\x00" + struct.pack(">IH", 0, 65535)]
    for n, body in enumerate(objects, 1):
        if body is None:
            rows.append(b"\x02" + struct.pack(">IH", 5, 0))
            continue
        rows.append(b"\x01" + struct.pack(">IH", out.tell(), 0))
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref_at = out.tell()
    rows.append(b"\x01" + struct.pack(">IH", xref_at, 0))
    table = b"".join(rows)
    out.write(
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\n"
    )
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref_at)
    return out.getvalue()
