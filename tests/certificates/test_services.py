"""Who gets which certificate, in which order."""

import pytest

from compmgr.certificates import services
from compmgr.certificates.settings import placeholder_errors
from compmgr.pdf.placeholders import fill


def _summary(certs):
    return [(c.full_name, c.kind, c.achievement) for c in certs]


def test_every_member_of_a_taking_part_project_gets_a_participation_certificate(contest):
    certs = services.certificates(contest["comp"], kind="participation")
    names = sorted(c.full_name for c in certs)
    assert names == sorted(["Jörg Weiß", "Änne Groß", "Ömer Öztürk", "Zoë Süßmilch"])
    assert "Rita Rückzug" not in names  # withdrawn project
    assert {c.kind for c in certs} == {"participation"}


def test_prizes_regionalsieg_and_special_prizes(contest):
    certs = services.certificates(contest["comp"], kind="prizes")
    assert sorted(_summary(certs)) == sorted(
        [
            # places and prizes count per Fachgebiet and Sparte: the certificate names both
            (
                "Änne Groß",
                "prize",
                "1. Preis und Regionalsieg im Fachgebiet Chemie, Sparte Jugend forscht",
            ),
            (
                "Jörg Weiß",
                "prize",
                "1. Preis und Regionalsieg im Fachgebiet Chemie, Sparte Jugend forscht",
            ),
            ("Ömer Öztürk", "prize", "3. Preis im Fachgebiet Biologie, Sparte Jugend forscht"),
            (
                "Ömer Öztürk",
                "special",
                "Sonderpreis Umwelttechnik, gestiftet von Stadtwerke Großstadt",
            ),
        ]
    )


def test_all_sorted_by_school_then_name(contest):
    certs = services.certificates(contest["comp"])
    assert [(c.school.split(",")[0], c.last_name, c.kind) for c in certs] == [
        ("Gesamtschule Süd", "Öztürk", "participation"),
        ("Gesamtschule Süd", "Öztürk", "prize"),
        ("Gesamtschule Süd", "Öztürk", "special"),
        ("Gesamtschule Süd", "Süßmilch", "participation"),
        ("Gymnasium am Weißen Berg", "Groß", "participation"),
        ("Gymnasium am Weißen Berg", "Groß", "prize"),
        ("Gymnasium am Weißen Berg", "Weiß", "participation"),
        ("Gymnasium am Weißen Berg", "Weiß", "prize"),
    ]


def test_sorted_by_stand_keeps_team_order(contest):
    certs = services.certificates(contest["comp"], kind="participation", order="stand")
    assert [(c.stand, c.first_name) for c in certs] == [
        ("B01", "Ömer"),
        ("B02", "Zoë"),
        ("C02", "Jörg"),
        ("C02", "Änne"),
    ]


def test_filters_school_subject_jury_participant(contest):
    comp = contest["comp"]
    by_school = services.certificates(comp, school_id=contest["schools"]["weiss"].id)
    assert {c.last_name for c in by_school} == {"Weiß", "Groß"}
    by_jury = services.certificates(comp, jury=contest["juries"]["bio"], kind="participation")
    assert {c.last_name for c in by_jury} == {"Öztürk", "Süßmilch"}
    by_subject = services.certificates(comp, subject_id=comp.subjects[2].id)
    assert {c.last_name for c in by_subject} == {"Weiß", "Groß"}
    one = services.certificates(comp, participant_id=contest["people"]["ömer"].id)
    assert [c.kind for c in one] == ["participation", "prize", "special"]


def test_unknown_kind_is_refused(contest):
    with pytest.raises(ValueError):
        services.certificates(contest["comp"], kind="everything")


def test_german_dates():
    from datetime import date

    assert services.date_range_text(date(2027, 2, 25), date(2027, 2, 26)) == "25.–26. Februar 2027"
    assert (
        services.date_range_text(date(2027, 2, 28), date(2027, 3, 1))
        == "28. Februar – 1. März 2027"
    )
    assert services.date_range_text(date(2027, 3, 5), None) == "5. März 2027"


def test_placeholders_checked_and_filled():
    assert placeholder_errors("{name} aus {schule}") == []
    assert placeholder_errors("{nam} war da") == ["Unbekannter Platzhalter {nam}."]
    assert placeholder_errors("Preis {") and placeholder_errors("{name.__class__}")
    assert fill("„{titel}“ von {name}", {"titel": "Moose", "name": "Zoë"}) == "„Moose“ von Zoë"
