"""The defaults of DOMAIN.md that every new competition is seeded with."""

DIVISIONS = [
    # code, name, former name, min age, max age, min grade
    ("jf", "Jugend forscht", "", 15, 21, None),
    ("junior", "Jugend forscht junior", "Schüler experimentieren", None, 14, 4),
]

SUBJECTS = [
    # name, stand prefix
    ("Arbeitswelt", "A"),
    ("Biologie", "B"),
    ("Chemie", "C"),
    ("Geo- und Raumwissenschaften", "G"),
    ("Mathematik/Informatik", "M"),
    ("Physik", "P"),
    ("Technik", "T"),
]

CRITERIA = [
    # group, name, description, weight
    (
        "Problemstellung",
        "Originalität und Schwierigkeit",
        "Wie neu, anspruchsvoll und klar umrissen ist die Fragestellung?",
        1.0,
    ),
    (
        "Methode/Durchführung",
        "Methode und Durchführung",
        "Sind Experimente, Messungen oder Programme sauber geplant, durchgeführt und dokumentiert? Wurde Literatur genutzt?",
        1.5,
    ),
    (
        "Ergebnisse/Diskussion",
        "Ergebnisse und Diskussion",
        "Sind die Ergebnisse belastbar, kritisch diskutiert und in Beziehung zur Fragestellung gesetzt?",
        1.5,
    ),
    (
        "Präsentation/Stand",
        "Vortrag und Gespräch",
        "Wie verständlich ist der Vortrag, wie sicher werden Fragen beantwortet?",
        1.0,
    ),
    (
        "Präsentation/Stand",
        "Stand und Darstellung",
        "Ist der Stand übersichtlich und anschaulich gestaltet?",
        0.5,
    ),
    (
        "Eigenständigkeit",
        "Eigenständigkeit",
        "Wie viel haben die Jugendlichen selbst erarbeitet, wie viel kam von außen?",
        1.0,
    ),
]
