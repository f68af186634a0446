"""Text hygiene for names and titles: no bidi controls that spoof lists and certificates.

A right-to-left override (U+202E) in a name turns ``Lena\u202eregieM`` into "LenaMeiger" on
screen, in exports and on certificates while the list sorts and searches by the hidden
order. No German name or title needs one, so forms, imports and every string column of the
models drop them.
"""

from sqlalchemy import String, event
from wtforms import PasswordField, StringField

BIDI_CONTROLS = frozenset(
    "\u061c"  # Arabic letter mark
    "\u200e\u200f"  # left-to-right / right-to-left mark
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings, pop, overrides
    "\u2066\u2067\u2068\u2069"  # isolates and their pop
)
_TABLE = {ord(ch): None for ch in BIDI_CONTROLS}


def strip_bidi(value):
    """Return value without Unicode bidi control characters; anything but a string unchanged."""
    return value.translate(_TABLE) if isinstance(value, str) else value


def bind_field(meta, form, unbound_field, options):
    """Bind a form field, giving every text field except passwords the strip_bidi filter.

    Used by ``forms.BaseForm.Meta.bind_field``: the filter runs before validation, so a name
    of bidi controls alone counts as empty, and the form shows the cleaned value again.
    """
    cls = unbound_field.field_class
    if issubclass(cls, StringField) and not issubclass(cls, PasswordField):
        filters = [*unbound_field.kwargs.get("filters", ()), strip_bidi]
        options = {**options, "filters": filters}
    return unbound_field.bind(form=form, **options)


def strip_bidi_on_set(base):
    """Let every String/Text column of the models under base drop bidi controls when set.

    Covers whatever writes through the ORM: forms, imports, services, the command line.
    """
    for mapper in base.registry.mappers:
        for prop in mapper.column_attrs:
            if any(isinstance(col.type, String) for col in prop.columns):
                attr = getattr(mapper.class_, prop.key)
                if not event.contains(attr, "set", _on_set):
                    event.listen(attr, "set", _on_set, retval=True)


def _on_set(target, value, oldvalue, initiator):
    return strip_bidi(value)
