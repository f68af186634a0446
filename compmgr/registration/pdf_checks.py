"""Look inside an uploaded PDF: what its streams unpack to, and content that acts on its own."""

import base64
import binascii
import re
import zlib

MB = 1024 * 1024
_STREAM = re.compile(rb"(?<!end)stream")
_SPACE = b" \t\r\n\x0c\x00"  # PDF white space
_CHUNK = 64 * 1024
MAX_LAYERS = 4  # /Filter [/FlateDecode /FlateDecode …]: each layer can multiply by 1,000
MAX_OBJECTS = 50_000  # a paper has a few thousand objects; reading 50,000 takes about a second
MAX_STREAMS = 100_000  # likewise for streams; each costs a few microseconds to look at
_DICT_LOOKBACK = 2048  # a stream's /Filter sits in the dictionary just before the keyword
_FILTERS = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9#]+)")
_ASCII_FILTERS = {b"/ASCIIHexDecode": b">", b"/AHx": b">", b"/ASCII85Decode": b"~>", b"/A85": b"~>"}

# Names that make a viewer run code, start programs, send data or carry other files.
SCRIPT, LAUNCH, EMBEDDED, MEDIA = "script", "launch", "embedded", "media"
ACTIVE_NAMES = {
    "/JS": SCRIPT,
    "/JavaScript": SCRIPT,
    "/Launch": LAUNCH,
    "/SubmitForm": LAUNCH,
    "/ImportData": LAUNCH,
    "/EmbeddedFile": EMBEDDED,
    "/EmbeddedFiles": EMBEDDED,
    "/EF": EMBEDDED,
    "/FileAttachment": EMBEDDED,
    "/GoToE": EMBEDDED,
    "/RichMedia": MEDIA,
    "/XFA": MEDIA,
}


class TooComplex(Exception):
    """The PDF has more objects than any paper needs."""


def _is_zlib(head):
    """Say whether two bytes are a zlib header (deflate, valid check bits)."""
    return (
        len(head) == 2
        and head[0] & 0x0F == 8
        and head[0] >> 4 <= 7
        and (head[0] << 8 | head[1]) % 31 == 0
    )


def _skip_space(data, pos):
    while pos < len(data) and data[pos] in _SPACE:
        pos += 1
    return pos


def data_start(data, pos):
    """Return where the zlib data of the stream whose keyword ends at pos begins, or None.

    The spec puts CRLF or LF after ``stream``; readers also take a lone CR, spaces before the
    line end, or (pdf.js) anything up to it. Zlib data never begins with PDF white space, so
    skipping all of it finds the data whichever line end the file uses.
    """
    start = _skip_space(data, pos)
    if _is_zlib(data[start : start + 2]):
        return start
    ends = [
        i for i in (data.find(b"\r", pos, pos + 256), data.find(b"\n", pos, pos + 256)) if i >= 0
    ]
    if not ends:
        return None
    start = _skip_space(data, min(ends) + 1)
    return start if _is_zlib(data[start : start + 2]) else None


def _ascii_layers(data, keyword_start, pos):
    """Undo the ASCII filters in front of a stream's Flate data; return the zlib bytes or None.

    ``/Filter [/ASCIIHexDecode /FlateDecode]`` hides a bomb's zlib header behind hex digits.
    The ASCII filters only shrink their input (hex by half, base 85 by a fifth), so decoding
    them in memory costs at most the upload's size.
    """
    lo = max(0, keyword_start - _DICT_LOOKBACK)
    lo = max(lo, data.rfind(b"obj", lo, keyword_start))  # this stream's object only
    found = list(_FILTERS.finditer(data, lo, keyword_start))
    if not found:
        return None
    match = found[-1]
    names = re.findall(rb"/[A-Za-z0-9#]+", match.group(1))
    layers = [n for n in names[:MAX_LAYERS] if n in _ASCII_FILTERS]
    if not layers or names[: len(layers)] != layers:
        return None
    chunk = data[pos:]
    for name in layers:
        chunk = chunk.lstrip(_SPACE)
        end = chunk.find(_ASCII_FILTERS[name])
        body = chunk[: end if end >= 0 else len(chunk)]
        try:
            if name in (b"/ASCIIHexDecode", b"/AHx"):
                digits = re.sub(rb"[^0-9A-Fa-f]", b"", bytes(body))
                chunk = binascii.unhexlify(digits + b"0" * (len(digits) % 2))
            else:
                chunk = base64.a85decode(re.sub(rb"\s", b"", bytes(body)).removeprefix(b"<~"))
        except ValueError:
            return None  # not what the filter says: a reader shows an error, not a bomb
    chunk = chunk.lstrip(_SPACE)
    return chunk if _is_zlib(chunk[:2]) else None


def _unpacked(inflater, data, limit):
    """Feed data through inflater in chunks; return the bytes produced (stops past limit)."""
    total, view = 0, memoryview(data)
    for offset in range(0, len(data), _CHUNK):
        total += inflater.feed(view[offset : offset + _CHUNK], limit - total)
        if total > limit or inflater.zlib.eof:
            break
    return total


class _Inflater:
    """Unpack one zlib layer; output that is zlib data itself goes on to the next layer."""

    def __init__(self, depth=1):
        self.zlib = zlib.decompressobj()
        self.depth = depth
        self.head = b""  # the first output bytes, until it is clear whether they are zlib
        self.inner = None

    def feed(self, chunk, budget):
        """Unpack chunk; return the bytes this and the inner layers produced (past budget: stop)."""
        produced = 0
        while chunk and not self.zlib.eof and produced <= budget:
            out = self.zlib.decompress(chunk, MB)
            chunk = self.zlib.unconsumed_tail
            produced += len(out)
            if self.head is not None:
                self.head += out
                if len(self.head) < 2 and not self.zlib.eof:
                    continue
                out, self.head = self.head, None
                if self.depth < MAX_LAYERS and _is_zlib(out[:2]):
                    self.inner = _Inflater(self.depth + 1)
            if self.inner is not None and out:
                try:
                    produced += self.inner.feed(out, budget - produced)
                except zlib.error:
                    self.inner = None  # looked like zlib, was not: the outer size counts
        return produced


def expanded_size(data, limit):
    """Add up what the Flate streams of a PDF unpack to, through every layer; stop past limit.

    Each stream is unpacked to the end of its zlib data, not to the next ``endstream``, which
    may well be part of the compressed bytes. Unpacks in chunks and keeps nothing, so a bomb
    never gets into memory. Raises TooComplex for more than MAX_STREAMS stream keywords.
    """
    total = 0
    view = memoryview(data)
    for count, match in enumerate(_STREAM.finditer(data)):
        if count >= MAX_STREAMS:
            raise TooComplex()
        start = data_start(data, match.end())
        if start is not None:
            body = view[start:]
        elif (body := _ascii_layers(data, match.start(), match.end())) is None:
            continue  # not Flate (JPEG images, plain text): counts as its own size
        try:
            total += _unpacked(_Inflater(), body, limit - total)
        except zlib.error:
            continue  # broken data: a reader shows an error, not a bomb
        if total > limit:
            return total
    return total


def active_content(reader, limit=MAX_OBJECTS):
    """Return the kinds of active content (ACTIVE_NAMES values) in a PDF read by pypdf.

    Walks every object in the cross-reference tables and everything reachable from the
    trailer, object streams included; pypdf decodes escaped names (/J#61vaScript).
    """
    # Lazy on purpose: pypdf is not loaded at app start; only uploads need it.
    from pypdf.generic import IndirectObject, NameObject

    found, seen = set(), set()
    stack = [reader.trailer]
    stack += [
        IndirectObject(num, gen, reader) for gen, table in reader.xref.items() for num in table
    ]
    stack += [IndirectObject(num, 0, reader) for num in reader.xref_objStm]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            if len(seen) > limit:
                raise TooComplex()
            obj = obj.get_object()
        if isinstance(obj, dict):
            for key, value in obj.items():
                found.update(
                    ACTIVE_NAMES[n]
                    for n in (key, value)
                    if isinstance(n, NameObject) and n in ACTIVE_NAMES
                )
                stack.append(value)
        elif isinstance(obj, list):
            stack.extend(obj)
    return found
