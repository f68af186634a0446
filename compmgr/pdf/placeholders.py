"""The ``{name}`` placeholders of certificate texts: found and filled in one way."""

import re

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def fill(text, values):
    """Replace the known placeholders in text; the text was checked on saving."""
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)
