"""Form pieces every feature shares."""

from flask_babel import lazy_gettext as _l

REQUIRED = _l("Dieses Feld ist erforderlich.")
