"""Certificate template settings: defaults and the check of their placeholders."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from compmgr import storage
from compmgr.pdf.placeholders import PLACEHOLDER

# Placeholder → what it stands for (shown next to the text fields).
PLACEHOLDERS = {
    "vorname": _l("Vorname"),
    "nachname": _l("Nachname"),
    "name": _l("vollständiger Name"),
    "schule": _l("Schule"),
    "titel": _l("Projekttitel"),
    "fachgebiet": _l("Fachgebiet"),
    "sparte": _l("Sparte"),
    "leistung": _l("Leistung, z. B. „1. Preis im Fachgebiet Chemie“"),
    "wettbewerb": _l("Name des Wettbewerbs"),
    "ebene": _l("Ebene, z. B. Regionalwettbewerb"),
    "jahr": _l("Runde (Jahr)"),
    "pate": _l("Patenunternehmen"),
    "ort": _l("Veranstaltungsort"),
    "datum": _l("Datum des Wettbewerbs"),
}

TEXT_FIELDS = (
    "heading",
    "title_participation",
    "title_prize",
    "title_special",
    "text_participation",
    "text_prize",
    "text_special",
    "footer",
)

DEFAULT_TEXTS = {
    "heading": "{wettbewerb} {jahr}",
    "title_participation": "Teilnahmeurkunde",
    "title_prize": "Preisurkunde",
    "title_special": "Sonderpreis-Urkunde",
    "text_participation": (
        "hat mit dem Projekt „{titel}“ im Fachgebiet {fachgebiet} (Sparte {sparte}) "
        "erfolgreich am {ebene} {jahr} teilgenommen."
    ),
    "text_prize": (
        "erhält für das Projekt „{titel}“ (Fachgebiet {fachgebiet}, Sparte {sparte}) "
        "im {ebene} {jahr} den"
    ),
    "text_special": (
        "erhält für das Projekt „{titel}“ (Fachgebiet {fachgebiet}, Sparte {sparte}) "
        "im {ebene} {jahr} den"
    ),
    "footer": "{ort}, {datum}",
}

DEFAULTS = {
    **DEFAULT_TEXTS,
    "accent_color": "#1f4e79",
    "text_color": "#1a1a1a",
    "signatures": [
        {"name": "", "role": "Wettbewerbsleitung", "image": None},
        {"name": "", "role": "Patenbeauftragte(r)", "image": None},
    ],
    "preprinted": False,
    # Positions on stock paper, in mm from the top edge and the left/right margin.
    "pos_name_mm": 110,
    "pos_text_mm": 130,
    "pos_footer_mm": 230,
    "margin_mm": 25,
}

_TOKEN = PLACEHOLDER  # the syntax the certificate builder fills


def placeholder_errors(text):
    """Return German messages for unknown or malformed placeholders in text."""
    errors = []
    for name in _TOKEN.findall(text):
        if name not in PLACEHOLDERS:
            errors.append(_("Unbekannter Platzhalter {%(name)s}.", name=name))
    rest = _TOKEN.sub("", text)
    if "{" in rest or "}" in rest:
        errors.append(_("Jede geschweifte Klammer muss einen Platzhalter wie {name} umschließen."))
    return errors


@dataclass
class Signature:
    name: str = ""
    role: str = ""
    image: str | None = None  # stored name in compmgr.storage


@dataclass
class TemplateSettings:
    """The settings of one competition's certificates, defaults filled in."""

    texts: dict
    accent_color: str
    text_color: str
    signatures: list = field(default_factory=list)
    preprinted: bool = False
    pos_name_mm: float = 110
    pos_text_mm: float = 130
    pos_footer_mm: float = 230
    margin_mm: float = 25
    logo: str | None = None  # stored name


def merged(stored):
    """Return stored settings on top of the defaults."""
    data = {**DEFAULTS, **(stored or {})}
    return data


def template_settings(template):
    """Build TemplateSettings from a CertificateTemplate row (or None for the defaults)."""
    data = merged(template.settings if template is not None else None)
    sigs = [
        Signature(s.get("name", ""), s.get("role", ""), s.get("image"))
        for s in data["signatures"][:3]
        if s.get("name") or s.get("role")
    ]
    return TemplateSettings(
        texts={k: data[k] for k in TEXT_FIELDS},
        accent_color=data["accent_color"],
        text_color=data["text_color"],
        signatures=sigs,
        preprinted=bool(data["preprinted"]),
        pos_name_mm=float(data["pos_name_mm"]),
        pos_text_mm=float(data["pos_text_mm"]),
        pos_footer_mm=float(data["pos_footer_mm"]),
        margin_mm=float(data["margin_mm"]),
        logo=template.logo_stored_name if template is not None else None,
    )


IMAGE_SLOTS = ("logo", "sig1", "sig2", "sig3")


def save_settings(template, values, images, remove):
    """Store new settings on a CertificateTemplate; return the stored names no longer used.

    values holds the texts, colours, positions and signature names/roles; images maps an
    image slot (IMAGE_SLOTS) to new bytes; remove names the slots whose image goes away.
    The caller commits, and deletes the returned files only after the commit.
    """
    old = merged(template.settings)
    settings = {k: values[k] for k in TEXT_FIELDS}
    settings.update(
        accent_color=values["accent_color"],
        text_color=values["text_color"],
        preprinted=bool(values["preprinted"]),
        **{
            k: float(values[k])
            for k in ("pos_name_mm", "pos_text_mm", "pos_footer_mm", "margin_mm")
        },
    )
    unused = []
    old_sigs = old["signatures"] + [{}] * 3
    signatures = []
    for i in range(3):
        slot = f"sig{i + 1}"
        image = old_sigs[i].get("image")
        if slot in remove or images.get(slot):
            unused.append(image)
            image = None
        if images.get(slot):
            image = storage.store_bytes(images[slot])[0]
        signatures.append(
            {
                "name": values[f"{slot}_name"].strip(),
                "role": values[f"{slot}_role"].strip(),
                "image": image,
            }
        )
    settings["signatures"] = signatures
    if "logo" in remove or images.get("logo"):
        unused.append(template.logo_stored_name)
        template.logo_stored_name = None
    if images.get("logo"):
        template.logo_stored_name = storage.store_bytes(images["logo"])[0]
    template.settings = settings
    return [name for name in unused if name]


def form_defaults(template):
    """Return the values a settings form starts with."""
    data = merged(template.settings if template is not None else None)
    values = {k: data[k] for k in TEXT_FIELDS}
    values.update(
        {
            k: data[k]
            for k in (
                "accent_color",
                "text_color",
                "preprinted",
                "pos_name_mm",
                "pos_text_mm",
                "pos_footer_mm",
                "margin_mm",
            )
        }
    )
    sigs = data["signatures"] + [{}] * 3
    for i in range(3):
        values[f"sig{i + 1}_name"] = sigs[i].get("name", "")
        values[f"sig{i + 1}_role"] = sigs[i].get("role", "")
        values[f"sig{i + 1}_has_image"] = bool(sigs[i].get("image"))
    return values
