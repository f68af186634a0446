"""Sort names, schools and titles the German way, the same on SQLite and PostgreSQL.

SQL's ORDER BY sorts by bytes or by the database's collation: Böhm after Braun, Öztürk after
Zimmermann, and differently on each database. Lists of people, schools and titles are
therefore sorted in Python after the query (they hold at most a few thousand rows).
"""

import re
import unicodedata
from functools import lru_cache


@lru_cache(maxsize=16384)
def sort_text(text):
    """Return a key that sorts German text as a phone book does (DIN 5007-1).

    Umlauts sort with their base letter (Ö with O), ß as ss, case is ignored:
    Böhm < Braun, Schäfer < Schwarz, Ober < Oz < Öztürk, Weis < Weiß.
    Kept for the last 16,384 texts: a list sorts by the same school or title many times.
    """
    text = (text or "").casefold().replace("ß", "ss")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def person_key(person):
    """Sort people by last name, then first name; equal keys keep the spelling apart."""
    return (
        sort_text(person.last_name),
        sort_text(person.first_name),
        person.last_name.casefold(),
        person.first_name.casefold(),
    )


def school_key(school):
    """Sort schools by name, then town."""
    return (sort_text(school.name), sort_text(school.city))


def stand_key(stand):
    """Sort stands naturally: B2 before B10; projects without a stand last."""
    if not stand:
        return (1, ())
    return (
        0,
        tuple(
            (0, int(p)) if p.isdigit() else (1, p.casefold()) for p in re.findall(r"\d+|\D+", stand)
        ),
    )


def project_key(project):
    """Sort projects by stand, then title."""
    return (stand_key(project.stand), sort_text(project.title), project.id)


def by_name(people):
    """Return people (anything with last_name and first_name) in German name order."""
    return sorted(people, key=person_key)


def by_school(schools):
    """Return schools in German order of name and town."""
    return sorted(schools, key=school_key)


def by_text(items, text=lambda item: item.name):
    """Return items in German order of one text of each (by default its name)."""
    return sorted(items, key=lambda item: sort_text(text(item)))


def by_stand(projects):
    """Return projects by stand (naturally, none last), then title."""
    return sorted(projects, key=project_key)
