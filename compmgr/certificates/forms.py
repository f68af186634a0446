"""Forms: the certificate template settings and the bulk print selection."""

import io
import re

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields import ColorField, DecimalField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from compmgr.certificates.images import TooManyPixels, check_pixels, max_pixels
from compmgr.certificates.settings import PLACEHOLDERS, placeholder_errors
from compmgr.forms import BaseForm

MAX_IMAGE_BYTES = 2 * 1024 * 1024
HELP = _l("Platzhalter: %(names)s", names=", ".join("{" + p + "}" for p in PLACEHOLDERS))


class Placeholders:
    """Reject unknown placeholders, so no blank ever reaches the paper."""

    def __call__(self, form, field):
        errors = placeholder_errors(field.data or "")
        if errors:
            raise ValidationError(" ".join(errors))


def image_bytes(storage_file):
    """Return the bytes of an uploaded PNG or JPEG, checked by content; raise otherwise."""
    from PIL import Image  # Pillow: loaded when an image is uploaded, not at app start

    data = storage_file.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationError(_l("Das Bild ist größer als 2 MB."))
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")):
        raise ValidationError(_l("Bitte ein Bild im Format PNG oder JPEG hochladen."))
    try:
        check_pixels(data)  # before verify(): a few kB may declare gigabytes of pixels
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except TooManyPixels as exc:
        raise ValidationError(_too_many_pixels(exc)) from None
    except Exception as exc:  # Pillow raises many kinds for broken files
        raise ValidationError(_l("Die Bilddatei ist beschädigt.")) from exc
    return data


def _too_many_pixels(exc):
    limit = format_decimal(max_pixels() / 1_000_000)
    if exc.width is None:
        return _(
            "Das Bild hat zu viele Pixel; erlaubt sind höchstens %(max)s Megapixel. Bitte "
            "verkleinern Sie es, z. B. auf 2000 Pixel Breite.",
            max=limit,
        )
    return _(
        "Das Bild hat %(width)s × %(height)s Pixel; erlaubt sind höchstens %(max)s Megapixel. "
        "Bitte verkleinern Sie es, z. B. auf 2000 Pixel Breite.",
        width=exc.width,
        height=exc.height,
        max=limit,
    )


def _text(label, rows=None):
    validators = [InputRequired(_l("Bitte einen Text eingeben.")), Length(max=600), Placeholders()]
    field = TextAreaField if rows else StringField
    return field(label, validators=validators, description=HELP)


def _mm(label, low, high):
    return DecimalField(
        label,
        places=0,
        validators=[
            InputRequired(_l("Bitte eine Zahl eingeben.")),
            NumberRange(low, high, _l("Bitte einen Wert von %(min)s bis %(max)s mm eingeben.")),
        ],
    )


class TemplateSettingsForm(BaseForm):
    heading = _text(_l("Überschrift"))
    title_participation = _text(_l("Titel der Teilnahmeurkunde"))
    title_prize = _text(_l("Titel der Preisurkunde"))
    title_special = _text(_l("Titel der Sonderpreis-Urkunde"))
    text_participation = _text(_l("Text der Teilnahmeurkunde"), rows=3)
    text_prize = _text(_l("Text der Preisurkunde (vor der Leistung)"), rows=3)
    text_special = _text(_l("Text der Sonderpreis-Urkunde (vor dem Sonderpreis)"), rows=3)
    footer = _text(_l("Ort und Datum"))
    accent_color = ColorField(_l("Akzentfarbe (Rahmen, Titel)"))
    text_color = ColorField(_l("Textfarbe"))
    logo = FileField(_l("Logo (PNG oder JPEG)"))
    remove_logo = BooleanField(_l("Logo entfernen"))
    sig1_name = StringField(_l("Unterschrift 1: Name"), validators=[Length(max=100)])
    sig1_role = StringField(_l("Unterschrift 1: Funktion"), validators=[Length(max=100)])
    sig1_image = FileField(_l("Unterschrift 1: Bild (optional)"))
    sig1_remove = BooleanField(_l("Unterschrift 1: Bild entfernen"))
    sig2_name = StringField(_l("Unterschrift 2: Name"), validators=[Length(max=100)])
    sig2_role = StringField(_l("Unterschrift 2: Funktion"), validators=[Length(max=100)])
    sig2_image = FileField(_l("Unterschrift 2: Bild (optional)"))
    sig2_remove = BooleanField(_l("Unterschrift 2: Bild entfernen"))
    sig3_name = StringField(_l("Unterschrift 3: Name"), validators=[Length(max=100)])
    sig3_role = StringField(_l("Unterschrift 3: Funktion"), validators=[Length(max=100)])
    sig3_image = FileField(_l("Unterschrift 3: Bild (optional)"))
    sig3_remove = BooleanField(_l("Unterschrift 3: Bild entfernen"))
    preprinted = BooleanField(
        _l("Vordruck-Modus: nur den persönlichen Text auf Urkundenpapier drucken")
    )
    pos_name_mm = _mm(_l("Vordruck: Name, Abstand vom oberen Rand (mm)"), 20, 250)
    pos_text_mm = _mm(_l("Vordruck: Text, Abstand vom oberen Rand (mm)"), 20, 260)
    pos_footer_mm = _mm(_l("Vordruck: Ort und Datum, Abstand vom oberen Rand (mm)"), 20, 270)
    margin_mm = _mm(_l("Vordruck: Seitenrand links und rechts (mm)"), 5, 60)
    submit = SubmitField(_l("Speichern"))

    def validate_accent_color(self, field):
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", field.data or ""):
            raise ValidationError(_l("Bitte eine Farbe wie #1f4e79 wählen."))

    validate_text_color = validate_accent_color

    def validate_logo(self, field):
        field.image = image_bytes(field.data) if field.data else None

    validate_sig1_image = validate_sig2_image = validate_sig3_image = validate_logo

    def validate_pos_footer_mm(self, field):
        if (
            self.pos_text_mm.data is not None
            and field.data is not None
            and field.data <= self.pos_text_mm.data
        ):
            raise ValidationError(_l("Ort und Datum müssen unter dem Text stehen."))

    def validate_pos_text_mm(self, field):
        if (
            self.pos_name_mm.data is not None
            and field.data is not None
            and field.data <= self.pos_name_mm.data
        ):
            raise ValidationError(_l("Der Text muss unter dem Namen stehen."))


KIND_CHOICES = [
    SelectChoice("all", _l("alle Urkunden")),
    SelectChoice("participation", _l("nur Teilnahmeurkunden")),
    SelectChoice("prizes", _l("nur Preisträger (Preis- und Sonderpreis-Urkunden)")),
]
ORDER_CHOICES = [
    SelectChoice("school", _l("nach Schule, dann Name")),
    SelectChoice("stand", _l("nach Stand")),
]
FORMAT_CHOICES = [
    SelectChoice("pdf", _l("eine PDF-Datei")),
    SelectChoice("zip", _l("ZIP mit einer PDF-Datei je Schule")),
]


class BulkPrintForm(BaseForm):
    """Choose which certificates to print; a GET form, so without a CSRF token."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Urkunden"), choices=KIND_CHOICES, default="all")
    school = SelectField(_l("Schule"), choices=[], default="", validators=[Optional()])
    subject = SelectField(_l("Fachgebiet"), choices=[], default="", validators=[Optional()])
    jury = SelectField(_l("Jury"), choices=[], default="", validators=[Optional()])
    order = SelectField(_l("Reihenfolge"), choices=ORDER_CHOICES, default="school")
    format = SelectField(_l("Ausgabe"), choices=FORMAT_CHOICES, default="pdf")
    submit = SubmitField(_l("Urkunden herunterladen"))

    def fill_choices(self, schools, subjects, juries):
        everyone = [SelectChoice("", _l("alle"))]
        self.school.choices = everyone + [SelectChoice(str(s.id), s.label) for s in schools]
        self.subject.choices = everyone + [SelectChoice(str(s.id), s.name) for s in subjects]
        self.jury.choices = everyone + [SelectChoice(str(j.id), j.name) for j in juries]
