"""Import summaries read right for one and for several, in German and in English."""

import pytest
from flask_babel import force_locale

from compmgr.registration.imports import ImportResult
from compmgr.results.nextlevel import ImportResult as NextLevelResult
from compmgr.results.views import nextlevel_summary
from tests.test_i18n import app_config  # noqa: F401  (the English catalog compiled from the .po)

ONE = dict(
    rows=1,
    projects_created=1,
    projects_updated=1,
    participants_created=1,
    participants_updated=1,
    schools_created=1,
)
TWO = {key: 2 for key in ONE}


@pytest.mark.parametrize(
    "lang,counts,expected",
    [
        (
            "de",
            ONE,
            "Import abgeschlossen: 1 Zeile, 1 Projekt neu, 1 Projekt aktualisiert, "
            "1 Teilnehmer(in) neu, 1 Teilnehmer(in) aktualisiert, 1 Schule neu.",
        ),
        (
            "de",
            TWO,
            "Import abgeschlossen: 2 Zeilen, 2 Projekte neu, 2 Projekte aktualisiert, "
            "2 Teilnehmende neu, 2 Teilnehmende aktualisiert, 2 Schulen neu.",
        ),
        (
            "en",
            ONE,
            "Import complete: 1 row, 1 new project, 1 project updated, "
            "1 new participant, 1 participant updated, 1 new school.",
        ),
        (
            "en",
            TWO,
            "Import complete: 2 rows, 2 new projects, 2 projects updated, "
            "2 new participants, 2 participants updated, 2 new schools.",
        ),
    ],
)
def test_registration_import_summary(app, lang, counts, expected):
    with app.test_request_context(), force_locale(lang):
        assert ImportResult(counts=counts).summary() == expected


@pytest.mark.parametrize(
    "lang,created,skipped,expected",
    [
        ("de", 1, 1, "Importiert: 1 Projekt neu, 1 Projekt schon vorhanden."),
        ("de", 2, 0, "Importiert: 2 Projekte neu, 0 Projekte schon vorhanden."),
        ("en", 1, 1, "Imported: 1 new project, 1 project already present."),
        ("en", 2, 0, "Imported: 2 new projects, 0 projects already present."),
    ],
)
def test_next_level_import_summary(app, lang, created, skipped, expected):
    with app.test_request_context(), force_locale(lang):
        assert nextlevel_summary(NextLevelResult(created=created, skipped=skipped)) == expected
