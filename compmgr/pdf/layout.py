"""Fit text into boxes: wrap, then shrink, then break long words; never clip."""

from reportlab.lib.colors import HexColor
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth


def color(value, fallback="#000000"):
    try:
        return HexColor(value)
    except (ValueError, TypeError):
        return HexColor(fallback)


def _break_word(word, font, size, width):
    """Split one word that is wider than width into pieces that fit."""
    pieces, current = [], ""
    for ch in word:
        if current and stringWidth(current + ch, font, size) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    return pieces + ([current] if current else [])


def wrap(text, font, size, width):
    """Wrap text into lines no wider than width, breaking over-long words."""
    lines = []
    for line in simpleSplit(text, font, size, width):
        if stringWidth(line, font, size) <= width:
            lines.append(line)
        else:
            for word in line.split(" "):
                if stringWidth(word, font, size) <= width:
                    if lines and stringWidth(lines[-1] + " " + word, font, size) <= width:
                        lines[-1] += " " + word
                    else:
                        lines.append(word)
                else:
                    lines.extend(_break_word(word, font, size, width))
    return lines or [""]


def fit(text, font, max_size, min_size, width, max_lines):
    """Return (size, lines): the largest size ≥ min_size whose wrap has at most max_lines.

    At min_size the text may take more lines than max_lines; it is still never clipped.
    """
    size = max_size
    if stringWidth(text, font, size) <= width:  # the common case: one line at full size
        return size, [text]
    while size > min_size:
        lines = wrap(text, font, size, width)
        if len(lines) <= max_lines:
            return size, lines
        size = max(min_size, size - 1)
    return min_size, wrap(text, font, min_size, width)


class Block:
    """Lines of one font and size, centred or left-aligned, with a leading factor."""

    __slots__ = ("lines", "font", "size", "color", "leading", "space_after")

    def __init__(self, lines, font, size, color, leading=1.22, space_after=0.0):
        self.lines, self.font, self.size, self.color = lines, font, size, color
        self.leading, self.space_after = leading, space_after

    @property
    def height(self):
        return len(self.lines) * self.size * self.leading + self.space_after

    def draw(self, canvas, top, left, right, centred=True):
        """Draw from top down; return the y below the block."""
        canvas.setFillColor(self.color)
        canvas.setFont(self.font, self.size)
        y = top
        middle = (left + right) / 2
        for line in self.lines:
            y -= self.size * self.leading
            baseline = y + self.size * (self.leading - 1) / 2 + self.size * 0.2
            if centred:
                canvas.drawCentredString(middle, baseline, line)
            else:
                canvas.drawString(left, baseline, line)
        return y - self.space_after
