"""Render a mail's subject and body from the organiser's text or the default, in a sandbox."""

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from compmgr.extensions import db
from compmgr.messaging.catalog import KINDS
from compmgr.messaging.models import MailTemplate

_env = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)


class TextError(ValueError):
    """An organiser's text that does not render (unknown placeholder, broken {% %})."""


def texts_for(competition, kind, locale):
    """Return (subject, body, own) of kind: the organiser's text if any, else the default."""
    locale = locale if locale in ("de", "en") else "de"
    own = None
    if competition is not None:
        own = db.session.execute(
            db.select(MailTemplate).filter_by(
                competition_id=competition.id, kind=kind, locale=locale
            )
        ).scalar_one_or_none()
    if own is not None:
        return own.subject, own.body, True
    default = KINDS[kind]
    return default.subject[locale], default.body[locale], False


def render_text(source, context):
    """Render one text; raise TextError with a readable reason."""
    try:
        return _env.from_string(source).render(context)
    except TemplateError as exc:
        raise TextError(str(exc)) from exc


def render(competition, kind, locale, context):
    """Return (subject, body) of kind for context, in locale."""
    subject, body, own = texts_for(competition, kind, locale)
    try:
        return " ".join(render_text(subject, context).split()), render_text(body, context)
    except TextError:
        if not own:
            raise
        # An organiser's text that no longer fits its data: the default still informs.
        default = KINDS[kind]
        locale = locale if locale in default.subject else "de"
        return (
            " ".join(render_text(default.subject[locale], context).split()),
            render_text(default.body[locale], context),
        )


def check_text(kind, subject, body):
    """Render an organiser's text with the kind's example data; return the error or None."""
    context = example_context(kind)
    for source in (subject, body):
        try:
            render_text(source, context)
        except TextError as exc:
            return str(exc)
    return None


def example_context(kind, competition=None):
    """Example values for the preview of kind."""
    spec = KINDS[kind]
    context = {
        "name": "Erika Muster",
        "competition": competition.title if competition is not None else "Regionalwettbewerb",
        "link": "https://jufo.example.org/…",
        "project": "Die Größe der Schneeflocke",
        "school": "Gymnasium Nord, Musterstadt",
        "reason": "",
    }
    context.update(spec.example)
    return context
