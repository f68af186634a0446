"""Write dates and times as the reader's language does; times are stored in UTC, shown in Berlin.

Only the web pages follow the language: certificates, PDFs and CSV files are German documents
and keep their own fixed ``dd.MM.yyyy``.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import format_date, format_datetime, get_locale

BERLIN = ZoneInfo("Europe/Berlin")  # the competition's calendar and clock

# German keeps the short numeric form everyone at the fair knows; English names the month,
# so 03.04. can never be read as 3 April by one reader and 4 March by another.
PATTERNS = {
    "de": {"date": "dd.MM.yyyy", "datetime": "dd.MM.yyyy HH:mm", "seconds": "dd.MM.yyyy HH:mm:ss"},
    "en": {
        "date": "d MMM yyyy",
        "datetime": "d MMM yyyy, HH:mm",
        "seconds": "d MMM yyyy, HH:mm:ss",
    },
}


def _pattern(kind):
    locale = get_locale()
    language = locale.language if locale is not None else "de"
    return PATTERNS.get(language, PATTERNS["de"])[kind]


def today():
    """Return today's date in Berlin."""
    return datetime.now(BERLIN).date()


def show_date(value):
    """Write a date (or the Berlin day of a UTC datetime), e.g. 25.02.2027 or 25 Feb 2027."""
    if value is None:
        return ""
    return format_date(value, _pattern("date"))


def show_datetime(value, seconds=False):
    """Write a UTC datetime in Berlin time, e.g. 25.02.2027 14:30 or 25 Feb 2027, 14:30."""
    if value is None:
        return ""
    return format_datetime(value, _pattern("seconds" if seconds else "datetime"))


def register(app):
    """Offer both as template filters: ``{{ day|date }}``, ``{{ moment|datetime }}``."""
    app.jinja_env.filters["date"] = show_date
    app.jinja_env.filters["datetime"] = show_datetime
