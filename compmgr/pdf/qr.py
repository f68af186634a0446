"""QR codes for the verification links, encoded fast and drawn as one path of rectangles.

``qrcode`` builds, once per version, the module template (finder patterns, timing, format
information for a fixed mask) and the order in which data bits are placed. Each code then
only needs its codewords (byte mode, Reed–Solomon by log tables) flipped into a copy of the
template: about 15 times cheaper than ``qrcode.make`` per code, and the result is identical
(tests/certificates/test_qr.py compares both).
"""

import re

import qrcode
from qrcode import base
from qrcode.constants import ERROR_CORRECT_L
from qrcode.util import LUT, MODE_8BIT_BYTE, QRData, length_in_bits

ERROR_CORRECTION = ERROR_CORRECT_L
MASK = 2
_layouts = {}
_versions = {}


class _Recorder(qrcode.QRCode):
    """A QRCode that records the positions of the data bits while placing them."""

    positions = None

    def map_data(self, data, mask_pattern):
        n = self.modules_count
        order, row, inc = [], n - 1, -1
        for col in range(n - 1, 0, -2):
            if col <= 6:
                col -= 1
            while True:
                for c in (col, col - 1):
                    if self.modules[row][c] is None:
                        order.append((row, c))
                row += inc
                if row < 0 or row >= n:
                    row -= inc
                    inc = -inc
                    break
        self.positions = order
        super().map_data(data, mask_pattern)


def version_for(length):
    """Return the smallest QR version that holds length bytes."""
    if length not in _versions:
        probe = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=0, mask_pattern=MASK)
        probe.add_data(QRData(b"x" * length))
        probe.best_fit()
        _versions[length] = probe.version
    return _versions[length]


def _layout(version):
    """Return (template rows, positions, blocks, generators, flip cache, whole template) for a
    version, built once; the whole template is the matrix as one integer, row 0 highest.

    Rows are integers, the leftmost module in the highest bit; a generator is the table
    of the generator polynomial times each byte value, as integers of ec bytes.
    """
    if version not in _layouts:
        blocks = base.rs_blocks(version, ERROR_CORRECTION)
        recorder = _Recorder(
            version=version, error_correction=ERROR_CORRECTION, border=0, mask_pattern=MASK
        )
        recorder.data_cache = [0] * sum(b.total_count for b in blocks)  # all-zero data
        recorder.makeImpl(False, MASK)
        n = recorder.modules_count
        rows = [
            sum(1 << (n - 1 - c) for c, dark in enumerate(row) if dark) for row in recorder.modules
        ]
        positions = [(r, 1 << (n - 1 - c)) for r, c in recorder.positions]
        generators = {}
        for block in blocks:
            ec = block.total_count - block.data_count
            if ec not in generators:
                generators[ec] = _product_table(LUT.rsPoly_LUT[ec][1:])
        whole = sum(line << (n * (n - 1 - r)) for r, line in enumerate(rows))  # row 0 highest
        _layouts[version] = (rows, positions, blocks, generators, {}, whole)
    return _layouts[version]


def _product_table(generator):
    """Return, for each byte value f, the generator polynomial times f as one integer."""
    exp, log = base.EXP_TABLE, base.LOG_TABLE
    table = [0]
    for factor in range(1, 256):
        value = 0
        for g in generator:
            value = (value << 8) | exp[(log[factor] + log[g]) % 255]
        table.append(value)
    return table


def _ec_bytes(data, table, ec):
    """Compute the Reed–Solomon error correction bytes of one block (an LFSR on integers)."""
    shift, mask, reg = 8 * (ec - 1), (1 << 8 * ec) - 1, 0
    for byte in data:
        reg = ((reg << 8) & mask) ^ table[byte ^ (reg >> shift)]
    return list(reg.to_bytes(ec, "big"))


def codewords(data, version):
    """Return the interleaved data and error correction codewords of bytes in byte mode."""
    _, _, blocks, generators, _, _ = _layout(version)
    capacity = sum(b.data_count for b in blocks)
    count_bits = length_in_bits(MODE_8BIT_BYTE, version)
    value = (MODE_8BIT_BYTE << count_bits) | len(data)
    value = (value << 8 * len(data)) | int.from_bytes(data, "big")
    bits = 4 + count_bits + 8 * len(data)
    if bits > capacity * 8:
        raise ValueError("data too long for this QR version")
    terminator = min(capacity * 8 - bits, 4)
    bits += terminator
    pad = (-bits) % 8
    value <<= terminator + pad
    bits += pad
    stream = list(value.to_bytes(bits // 8, "big"))
    stream += [0xEC, 0x11] * ((capacity - len(stream)) // 2 + 1)
    stream = stream[:capacity]
    dc, ec, offset = [], [], 0
    for block in blocks:
        part = stream[offset : offset + block.data_count]
        offset += block.data_count
        dc.append(part)
        count = block.total_count - block.data_count
        ec.append(_ec_bytes(part, generators[count], count))
    out = [part[i] for i in range(max(map(len, dc))) for part in dc if i < len(part)]
    out += [part[i] for i in range(max(map(len, ec))) for part in ec if i < len(part)]
    return out


def rows(text):
    """Encode text into module rows (integers, leftmost module highest) with a fixed mask."""
    data = text.encode()
    version = version_for(len(data))
    template, positions, _, _, flips, whole = _layout(version)
    n = len(template)
    for index, byte in enumerate(codewords(data, version)):
        if byte:
            table = flips.get(index)
            if table is None:
                table = flips[index] = [None] * 256
            mask = table[byte]
            if mask is None:  # which modules a byte at this index flips
                mask = 0
                for bit in range(8):
                    if byte & (0x80 >> bit):
                        r, m = positions[index * 8 + bit]
                        mask |= m << (n * (n - 1 - r))
                table[byte] = mask
            whole ^= mask
    full = (1 << n) - 1
    return [(whole >> (n * (n - 1 - r))) & full for r in range(n)]


def matrix(text):
    """Encode text into a module matrix (rows of booleans)."""
    lines = rows(text)
    n = len(lines)
    return [[bool(line >> (n - 1 - c) & 1) for c in range(n)] for line in lines]


_RUN = re.compile("1+")
_pieces = {}


def _piece(n, row_index, chunk, value):
    """Return the rectangles of 8 modules of one row: cached, as codes share most of them."""
    key = (n, row_index, chunk, value)
    text = _pieces.get(key)
    if text is None:
        bottom, offset = n - 1 - row_index, chunk * 8
        text = _pieces[key] = "".join(
            f"{offset + m.start()} {bottom} {m.end() - m.start()} 1 re "
            for m in _RUN.finditer(format(value, "08b"))
        )
    return text


def draw(canvas, text, x, y, size):
    """Draw the QR code of text with its lower left corner at (x, y), size points wide.

    The modules become one path of rectangles, one per run of dark modules within each
    8-module piece of a row; filled as one path, the pieces join without seams.
    """
    lines = rows(text)
    n = len(lines)
    width = (n + 7) // 8
    pad = width * 8 - n
    parts = []
    for index, line in enumerate(lines):
        line <<= pad
        for chunk in range(width):
            value = (line >> (8 * (width - 1 - chunk))) & 0xFF
            if value:
                parts.append(_piece(n, index, chunk, value))
    canvas.saveState()
    canvas.transform(size / n, 0, 0, size / n, x, y)
    canvas.addLiteral("".join(parts) + "f")
    canvas.restoreState()
