"""A realistic, deterministic demo: a regional competition with 97 projects and 172 participants.

Last year's competition of the same series comes first, published and purged as the
retention rules want: only its anonymous figures (and no one's personal data) remain, and
this year's competition is a copy of it, so the statistics compare two years.
"""

import random
from datetime import UTC, date, datetime, time, timedelta

from compmgr.auth.models import Role, RoleGrant, User
from compmgr.competitions.models import Competition, Status
from compmgr.competitions.services import create_competition, division_for
from compmgr.dates import today
from compmgr.extensions import db
from compmgr.judging.assignment import auto_assign
from compmgr.judging.models import Judge, Jury, JuryMember
from compmgr.judging.plan_models import (
    Consultant,
    ConsultantWindow,
    Hall,
    JudgeWindow,
    JudgingDay,
    PlanSettings,
    Stand,
)
from compmgr.judging.timetable import build_timetable
from compmgr.privacy.purge import purge
from compmgr.registration.models import (
    ConsentKind,
    ConsentRecord,
    Participant,
    Project,
    ProjectMember,
    ProjectStatus,
    School,
)

DEMO_NAME = "Regionalwettbewerb Musterstadt"
DEMO_YEAR = 2027
DEMO_PASSWORD = "demo-passwort"
DEMO_LOGINS = [
    ("admin@demo.compmgr.de", "Administration"),
    ("orga@demo.compmgr.de", "Wettbewerbsleitung"),
    ("schule1@demo.compmgr.de", "Schule (Gymnasium am Weißen Berg)"),
    ("schule2@demo.compmgr.de", "Schule (Gesamtschule Süd)"),
    ("vorsitz@demo.compmgr.de", "Juryvorsitz (Biologie)"),
    ("juror@demo.compmgr.de", "Juror (Biologie)"),
]

# Projects per Fachgebiet, following the 2026 shares of DOMAIN.md: 97 in all.
PROJECTS_PER_SUBJECT = {
    "Biologie": 23,
    "Technik": 19,
    "Chemie": 16,
    "Arbeitswelt": 14,
    "Physik": 12,
    "Mathematik/Informatik": 7,
    "Geo- und Raumwissenschaften": 6,
}
TEAM_SIZES = [1] * 42 + [2] * 35 + [3] * 20  # 97 projects, 172 participants
# Last year: 88 projects, 151 participants, fewer in Technik, more in Biologie.
PREVIOUS_PER_SUBJECT = {
    "Biologie": 24,
    "Technik": 13,
    "Chemie": 15,
    "Arbeitswelt": 12,
    "Physik": 12,
    "Mathematik/Informatik": 7,
    "Geo- und Raumwissenschaften": 5,
}
PREVIOUS_TEAM_SIZES = [1] * 42 + [2] * 29 + [3] * 17
# First names the demo gives as girls' (the optional gender field of the statistics).
GIRLS = {
    "Lena", "Sophie", "Mia", "Emilia", "Hannah", "Zoë", "Özlem", "Anaïs", "Chloé",
    "Maëlle", "Grete", "Ida", "Käthe", "Luise", "Frieda", "Anna-Katharina Sophie-Charlotte",
}  # fmt: skip

FIRST = [
    "Lena",
    "Jonas",
    "Sophie",
    "Lukas",
    "Mia",
    "Finn",
    "Emilia",
    "Paul",
    "Hannah",
    "Ben",
    "Zoë",
    "Jürgen",
    "Jörg",
    "Özlem",
    "Anaïs",
    "Björn",
    "Chloé",
    "Süleyman",
    "Maëlle",
    "Sören",
    "Grete",
    "Theo",
    "Ida",
    "Emil",
    "Ömer",
    "Käthe",
    "Luise",
    "Moritz",
    "Frieda",
    "Levi",
]
LAST = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Weiß",
    "Groß",
    "Kühn",
    "Jäger",
    "Günther",
    "Strauß",
    "Öztürk",
    "Böhm",
    "Fuß",
]
# Judges' surnames differ from the pupils' and supervisors' (no wall of "same surname" flags);
# one judge shares "Bauer" on purpose, to show a conflict the organiser has to check.
JUDGE_LAST = [
    "Albrecht",
    "Brandt",
    "Dietrich",
    "Engel",
    "Franke",
    "Haas",
    "Jansen",
    "Kaiser",
    "Lorenz",
    "Nowak",
    "Otto",
    "Peters",
    "Roth",
    "Seidel",
    "Thiel",
    "Vogel",
    "Winkler",
    "Ziegler",
]
LONG_NAMES = [
    ("Maximilian-Alexander Konstantin", "Freiherr von Schwarzenberg-Großkreutz"),
    ("Anna-Katharina Sophie-Charlotte", "Müller-Lüdenscheidt-Weißenfels"),
]
SCHOOLS = [
    ("Gymnasium am Weißen Berg", "Musterstadt"),
    ("Gesamtschule Süd", "Musterstadt"),
    ("Albert-Einstein-Gymnasium", "Musterstadt"),
    ("Marie-Curie-Realschule", "Musterstadt"),
    ("Geschwister-Scholl-Gymnasium", "Bad Überlingen"),
    ("Goethe-Schule", "Großenhain"),
    ("Humboldt-Gymnasium", "Lüdinghausen"),
    ("Lessing-Gymnasium", "Neuß"),
    ("Max-Planck-Gymnasium", "Fürstenwalde"),
    ("Gauß-Gymnasium", "Weißenfels"),
    ("Sophie-Scholl-Gesamtschule", "Müllheim"),
    ("Kepler-Gymnasium", "Tübingen"),
    ("Friedrich-Schiller-Gymnasium", "Würzburg"),
    ("Lise-Meitner-Schule", "Köln"),
    ("Grundschule am Mühlbach", "Musterstadt"),
    ("Oberschule Schönefeld", "Schönefeld"),
    ("Evangelisches Gymnasium St. Georg", "Düsseldorf"),
    ("Berufskolleg Technik", "Lünen"),
    ("Freie Waldorfschule", "Göttingen"),
    ("Hölderlin-Gymnasium", "Nürtingen"),
    ("Städtisches Gymnasium Straßburger Platz", "Musterstadt"),
    (
        "Carl-Friedrich-Gauß-Schule, Gymnasium mit naturwissenschaftlichem Schwerpunkt",
        "Braunschweig",
    ),
    ("Annette-von-Droste-Hülshoff-Gymnasium", "Münster"),
    ("Realschule Plus", "Bad Dürkheim"),
    ("Ernst-Abbe-Gymnasium", "Jena"),
]
TOPICS = {
    "Biologie": [
        "Mikroplastik im Dorfteich",
        "Wie Bienen Farben lernen",
        "Moose als Luftfilter",
        "Resistente Bakterien im Schulgarten",
        "Das Gedächtnis von Schnecken",
    ],
    "Technik": [
        "Ein Rollstuhl, der Treppen steigt",
        "Solarbetriebene Bewässerung",
        "Leiser Drohnenpropeller",
        "Brückenbau mit Papier",
        "Der selbstfahrende Rasenmäher",
    ],
    "Chemie": [
        "Bioplastik aus Kartoffelschalen",
        "Säuren im Eistee",
        "Farbstoffe aus Rotkohl",
        "Korrosion an Fahrradketten",
        "Wasserstoff aus Alufolie",
    ],
    "Arbeitswelt": [
        "Ergonomische Schulranzen",
        "Die smarte Pausenhalle",
        "Stressfrei an der Kasse",
        "Lärm im Klassenzimmer",
        "Werkzeug für Linkshänder",
    ],
    "Physik": [
        "Schwingende Brücken",
        "Die Akustik der Aula",
        "Magnetische Levitation",
        "Regenbogen im Labor",
        "Wie schnell fällt ein Ahornsamen?",
    ],
    "Mathematik/Informatik": [
        "Primzahlspiralen",
        "KI erkennt Vogelstimmen",
        "Optimale Stundenpläne",
        "Fraktale im Brokkoli",
        "Sichere Passwörter für Grundschüler",
    ],
    "Geo- und Raumwissenschaften": [
        "Erdbebenmessung mit dem Handy",
        "Sternschnuppen zählen",
        "Bodenerosion am Hang",
        "Wolken vorhersagen",
    ],
}
LONG_TITLE = (
    "Untersuchung der Auswirkungen unterschiedlicher Düngemittelkonzentrationen auf das "
    "Wachstum, die Blattfärbung und die Wurzelbildung von Kresse, Weizen und Sonnenblumen "
    "unter kontrollierten Licht- und Temperaturbedingungen"
)


def find_demo():
    return db.session.execute(
        db.select(Competition).filter_by(name=DEMO_NAME, round_year=DEMO_YEAR)
    ).scalar_one_or_none()


def load_demo(seed=2027):
    """Create the demo competition with its accounts; return False if it exists already."""
    if find_demo() is not None:
        return False
    previous = _previous_year(random.Random(seed - 1))
    rng = random.Random(seed)
    comp = create_competition(
        DEMO_NAME,
        DEMO_YEAR,
        copy_from=previous,
        host="IHK Musterstadt",
        host_contact="Dr. Jürgen Weiß",
        venue="Stadthalle Musterstadt, Große Straße 1",
        starts_on=date(2027, 2, 25),
        ends_on=date(2027, 2, 26),
        # Open for four weeks from the day the demo is made, at the earliest the real deadline:
        # whoever tries the demo can register as a school.
        registration_deadline=max(date(2026, 11, 30), today() + timedelta(days=28)),
        paper_deadline=max(date(2027, 1, 15), today() + timedelta(days=42)),
        status=Status.REGISTRATION_OPEN,
        judging_starts_at=time(9, 0),
        judging_breaks="12:30-13:15",
    )
    schools = [School(competition_id=comp.id, name=n, city=c) for n, c in SCHOOLS]
    db.session.add_all(schools)
    db.session.flush()
    _make_projects(comp, schools, rng)
    _make_accounts(comp, schools)
    _make_juries(comp, schools, rng)
    _make_plan(comp)
    db.session.flush()
    auto_assign(comp, time_limit=10.0)  # judges find their projects and timetable at once
    build_timetable(comp)
    db.session.commit()
    return True


def _previous_year(rng):
    """Create last year's competition, published and then purged: its figures remain."""
    comp = create_competition(
        DEMO_NAME,
        DEMO_YEAR - 1,
        host="IHK Musterstadt",
        host_contact="Dr. Jürgen Weiß",
        venue="Stadthalle Musterstadt, Große Straße 1",
        starts_on=date(2026, 2, 26),
        ends_on=date(2026, 2, 27),
        registration_deadline=date(2025, 11, 30),
        paper_deadline=date(2026, 1, 15),
        status=Status.PUBLISHED,
        retention_until=date(2026, 9, 30),
    )
    names = SCHOOLS[2:20] + [
        ("Humboldt-Gymnasium", "Musterstadt"),
        ("Realschule am See", "Seeburg"),
    ]
    schools = [School(competition_id=comp.id, name=n, city=c) for n, c in names]
    db.session.add_all(schools)
    db.session.flush()
    _make_projects(comp, schools, rng, PREVIOUS_PER_SUBJECT, PREVIOUS_TEAM_SIZES, stands=False)
    comp.results_published_at = datetime(2026, 2, 27, 17, 0, tzinfo=UTC)
    db.session.flush()
    db.session.expire_all()  # the purge reads the year back as it would months later
    purge(comp, today=date(2026, 10, 1))
    db.session.flush()
    return comp


def _birth_date(rng, cutoff, junior):
    age = rng.randint(10, 14) if junior else rng.randint(15, 19)
    return date(cutoff.year - age, rng.randint(1, 12), rng.randint(1, 28)), age


def _make_projects(comp, schools, rng, per_subject=None, team_sizes=None, stands=True):
    subjects = {s.name: s for s in comp.subjects}
    per_subject = per_subject or PROJECTS_PER_SUBJECT
    subject_list = [name for name, n in per_subject.items() for _ in range(n)]
    sizes = (team_sizes or TEAM_SIZES)[:]
    rng.shuffle(sizes)
    long_names = LONG_NAMES[:]
    used = set()
    counters = {}
    for idx, (subject_name, size) in enumerate(zip(subject_list, sizes, strict=True)):
        school = schools[0] if idx < 4 else schools[1] if idx < 7 else rng.choice(schools)
        junior = rng.random() < 0.45
        topic = rng.choice(TOPICS[subject_name])
        title = LONG_TITLE if idx == 5 else topic
        counters[subject_name] = counters.get(subject_name, 0) + 1
        project = Project(
            competition_id=comp.id,
            school=school,
            subject=subjects[subject_name],
            key=f"DEMO-{idx + 1:03d}",
            title=title,
            abstract=f"Wir untersuchen: {topic}. Dazu haben wir Versuche geplant, Messreihen "
            "aufgenommen und die Ergebnisse mit der Fachliteratur verglichen.",
            supervisor_name=f"{rng.choice(['Frau', 'Herr'])} {rng.choice(LAST)}",
            supervisor_email=f"betreuung{idx + 1}@schule.example",
            needs_power=rng.random() < 0.6,
            needs_water=rng.random() < 0.1,
            needs_space=rng.random() < 0.1,
            status=ProjectStatus.ADMITTED if rng.random() < 0.3 else ProjectStatus.SUBMITTED,
            stand=f"{subjects[subject_name].code}{counters[subject_name]:02d}" if stands else None,
        )
        for pos in range(size):
            first, last = (
                long_names.pop()
                if long_names and idx in (3, 11)
                else (rng.choice(FIRST), rng.choice(LAST))
            )
            birth, age = _birth_date(rng, comp.age_cutoff, junior)
            while (first, last, birth) in used:
                birth = birth.replace(day=birth.day % 28 + 1)
            used.add((first, last, birth))
            person = Participant(
                competition_id=comp.id,
                school=school,
                first_name=first,
                last_name=last,
                birth_date=birth,
                grade=max(4, min(13, age - 5)),
                email=f"teilnehmer{idx + 1}-{pos + 1}@schule.example",
                gender="" if (idx + pos) % 9 == 4 else "w" if first in GIRLS else "m",
            )
            minor = age < 18
            for kind, p_yes in (
                (ConsentKind.PARTICIPATION, 1.0),
                (ConsentKind.PUBLICATION, 0.85),
                (ConsentKind.PHOTOS, 0.8),
            ):
                person.consents.append(
                    ConsentRecord(
                        kind=kind,
                        granted=rng.random() < p_yes,
                        given_by="parent" if minor else "participant",
                    )
                )
            project.members.append(
                ProjectMember(participant=person, is_speaker=pos == 0, position=pos)
            )
        project.division = division_for(
            project.participants, comp.divisions, comp.age_cutoff
        ).division
        db.session.add(project)
    db.session.flush()


def _account(email, name, **kwargs):
    user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
    if user is None:
        user = User(email=email, name=name, **kwargs)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
    return user


def _make_accounts(comp, schools):
    _account("admin@demo.compmgr.de", "Demo-Administration", is_admin=True)
    orga = _account("orga@demo.compmgr.de", "Dr. Käthe Großmann")
    orga.grants.append(RoleGrant(competition_id=comp.id, role=Role.ORGANISER))
    for email, name, school in (
        ("schule1@demo.compmgr.de", "Herr Sören Weiß", schools[0]),
        ("schule2@demo.compmgr.de", "Frau Özlem Yılmaz", schools[1]),
    ):
        user = _account(email, name)
        user.grants.append(RoleGrant(competition_id=comp.id, role=Role.SCHOOL, school_id=school.id))


_JUDGE_HASH = []  # the demo password hashed once: scrypt is slow on purpose, 28 judges need it


def _judge_account(email, name):
    if not _JUDGE_HASH:
        probe = User(email=email, name=name)
        probe.set_password(DEMO_PASSWORD)
        _JUDGE_HASH.append(probe.password_hash)
    user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
    if user is None:
        user = User(email=email, name=name, password_hash=_JUDGE_HASH[0], auth_nonce=1)
        db.session.add(user)
    return user


def _make_juries(comp, schools, rng):
    """Eight juries for 30 judges: Biologie split by division, one jury each for the rest."""
    subjects = {s.name: s for s in comp.subjects}
    divisions = {d.code: d for d in comp.divisions}
    juries = [
        Jury(
            competition_id=comp.id,
            subject=subjects["Biologie"],
            division=divisions["jf"],
            name="Biologie – Jugend forscht",
        ),
        Jury(
            competition_id=comp.id,
            subject=subjects["Biologie"],
            division=divisions["junior"],
            name="Biologie – Jugend forscht junior",
        ),
    ] + [
        Jury(competition_id=comp.id, subject=subjects[name], name=name)
        for name in PROJECTS_PER_SUBJECT
        if name != "Biologie"
    ]
    db.session.add_all(juries)
    sizes = [4, 4, 4, 4, 4, 4, 3, 3]  # 30 judges
    chair_user = _account("vorsitz@demo.compmgr.de", "Prof. Dr. Ulrike Bäßler")
    judge_user = _account("juror@demo.compmgr.de", "Dipl.-Ing. Jörg Straßmann")
    n = 0
    for jury, size in zip(juries, sizes, strict=True):
        for k in range(size):
            n += 1
            user = None
            if n == 1:
                user, first, last = chair_user, "Ulrike", "Bäßler"
            elif n == 2:
                user, first, last = judge_user, "Jörg", "Straßmann"
            elif n == 5:
                first, last = "Sabine", "Bauer"
            else:
                first, last = rng.choice(FIRST), rng.choice(JUDGE_LAST)
            judge = Judge(
                competition_id=comp.id,
                user=user,
                first_name=first,
                last_name=last,
                email=user.email if user else f"juror{n}@demo.compmgr.de",
                affiliation=rng.choice(
                    [
                        "Universität Musterstadt",
                        "Chemiewerk Süd GmbH",
                        "Stadtwerke Musterstadt",
                        "Gymnasium Neustadt",
                    ]
                ),
                subjects=[jury.subject],
            )
            if user is None:  # every juror of the demo logs in with the demo password
                user = judge.user = _judge_account(judge.email, f"{first} {last}")
            user.grants.append(RoleGrant(competition_id=comp.id, role=Role.JUDGE))
            jury.members.append(JuryMember(judge=judge, is_chair=k == 0))


def _berlin(day, hh, mm=0):
    from datetime import UTC, datetime

    from compmgr.dates import BERLIN

    return datetime.combine(day, time(hh, mm), BERLIN).astimezone(UTC)


def _make_plan(comp):
    """Two days, two halls with equipped stands, three part-time judges, a patent attorney
    with four consultations, and two remote presentations (issue 15)."""
    day1, day2 = date(2027, 2, 25), date(2027, 2, 26)
    db.session.add_all(
        [
            JudgingDay(
                competition_id=comp.id,
                day=day1,
                starts_at=time(9, 0),
                ends_at=time(16, 0),
                breaks="12:30-13:15",
            ),
            JudgingDay(
                competition_id=comp.id,
                day=day2,
                starts_at=time(9, 0),
                ends_at=time(12, 30),
                breaks="10:30-10:45",
            ),
            PlanSettings(
                competition_id=comp.id,
                buffer_minutes=5,
                safeguarding_note="Bei Online-Präsentationen sind zwei Erwachsene anwesend "
                "(Betreuungslehrkraft und ein Elternteil). Aufgezeichnet wird nur mit "
                "schriftlicher Einwilligung.",
            ),
        ]
    )
    halls = [
        Hall(competition_id=comp.id, name="Halle 1 (Erdgeschoss)", position=0),
        Hall(competition_id=comp.id, name="Halle 2 (Obergeschoss)", position=1),
    ]
    db.session.add_all(halls)
    projects = db.session.scalars(
        db.select(Project).filter_by(competition_id=comp.id).order_by(Project.id)
    ).all()
    for n, project in enumerate(sorted(projects, key=lambda p: p.stand or "")):
        hall = halls[0] if project.subject.position < 4 else halls[1]
        hall.stands.append(
            Stand(
                number=project.stand,
                position=n,
                power=project.needs_power or n % 2 == 0,
                water=project.needs_water,
                gas=project.needs_gas,
                space=project.needs_space,
            )
        )
    for p in projects[2:6]:
        p.patent_consultation = True
    attorney = Consultant(
        competition_id=comp.id,
        name="Dr. Anna Patentreich",
        organisation="Patentanwaltskanzlei Reich & Partner",
        place="Raum 2.14",
        slot_minutes=30,
    )
    attorney.windows += [
        ConsultantWindow(starts_at=_berlin(day1, 13, 15), ends_at=_berlin(day1, 16)),
        ConsultantWindow(starts_at=_berlin(day2, 9), ends_at=_berlin(day2, 12, 30)),
    ]
    db.session.add(attorney)
    db.session.flush()
    # two remote presentations: one in the demo juror's jury (Biologie – Jugend forscht)
    juries = {
        j.name: j for j in db.session.scalars(db.select(Jury).filter_by(competition_id=comp.id))
    }
    bio = juries["Biologie – Jugend forscht"]
    remote = [p for p in projects if bio.fits(p, list(juries.values()))][-1:]
    remote += [p for p in projects if p.subject.name == "Physik"][-1:]
    for n, p in enumerate(remote, start=1):
        p.remote_link = f"https://video.example.org/jufo-demo-{n}"
    # three judges come only part-time
    judges = db.session.scalars(
        db.select(Judge).filter_by(competition_id=comp.id).order_by(Judge.id)
    ).all()
    part_time = [
        (judges[6], "nur vormittags (9–12 Uhr)", [(day1, 9, 12), (day2, 9, 12)]),
        (judges[12], "nur am ersten Tag", [(day1, 9, 16)]),
        (judges[20], "nur am zweiten Tag", [(day2, 9, 12)]),
    ]
    for judge, text, spans in part_time:
        judge.availability = text
        judge.windows += [
            JudgeWindow(starts_at=_berlin(d, a), ends_at=_berlin(d, b)) for d, a, b in spans
        ]
