"""Every mail compmgr sends, with its default text in German and English and its placeholders.

Texts are Jinja templates rendered in a sandbox (see render.py): ``{{ name }}`` inserts a
value, ``{% for p in projects %}…{% endfor %}`` repeats. An organiser may replace subject and
body per competition and language (MailTemplate); these defaults stay the way back.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

SCHOOL, JUDGE, ORGANISER, ACCOUNT = "school", "judge", "organiser", "account"


@dataclass(frozen=True)
class Kind:
    """One kind of mail: who gets it, whether it is essential, its placeholders and defaults."""

    code: str
    label: object
    audience: str
    essential: bool
    placeholders: dict
    subject: dict
    body: dict
    example: dict = field(default_factory=dict)


COMMON = {
    "name": _l("Name der Empfängerin / des Empfängers"),
    "competition": _l("Wettbewerb"),
    "link": _l("Link zur passenden Seite"),
}
PROJECT = {
    **COMMON,
    "project": _l("Projekttitel"),
    "school": _l("Schule"),
}

_HELLO_DE = "Hallo {{ name }},\n\n"
_HELLO_EN = "Hello {{ name }},\n\n"
_BYE_DE = "\nViele Grüße\nIhre Wettbewerbsleitung {{ competition }}\n"
_BYE_EN = "\nKind regards\nThe organisers of {{ competition }}\n"


def _kind(code, label, audience, essential, placeholders, subject, body_de, body_en, /, **example):
    de_subject, en_subject = subject
    return Kind(
        code,
        label,
        audience,
        essential,
        placeholders,
        {"de": de_subject, "en": en_subject},
        {"de": _HELLO_DE + body_de + _BYE_DE, "en": _HELLO_EN + body_en + _BYE_EN},
        example,
    )


KINDS = {
    k.code: k
    for k in [
        _kind(
            "invitation",
            _l("Einladung (neues Konto)"),
            ACCOUNT,
            True,
            {**COMMON, "role": _l("Rolle"), "inviter": _l("Wer eingeladen hat")},
            (
                "Einladung: {{ role }} – {{ competition }}",
                "Invitation: {{ role }} – {{ competition }}",
            ),
            "{{ inviter }} hat Sie als {{ role }} zum Wettbewerb „{{ competition }}“ in compmgr "
            "eingeladen.\n\nLegen Sie hier Ihr Passwort fest:\n{{ link }}\n\n"
            "Der Link ist 14 Tage gültig und nur einmal verwendbar. Ihre Anmeldung ist diese "
            "E-Mail-Adresse. Wenn Sie diese Einladung nicht erwartet haben, ignorieren Sie die "
            "Mail.\n",
            "{{ inviter }} has invited you to compmgr as {{ role }} for the competition "
            "“{{ competition }}”.\n\nSet your password here:\n{{ link }}\n\n"
            "The link is valid for 14 days and works once. You log in with this e-mail address. "
            "If you did not expect this invitation, please ignore this mail.\n",
            role="Juror(in)",
            inviter="Erika Muster (erika@example.org)",
        ),
        _kind(
            "invitation_reminder",
            _l("Erinnerung an eine offene Einladung"),
            ACCOUNT,
            True,
            {**COMMON, "role": _l("Rolle"), "inviter": _l("Wer eingeladen hat")},
            (
                "Erinnerung: Einladung zu {{ competition }}",
                "Reminder: invitation to {{ competition }}",
            ),
            "Sie sind als {{ role }} zum Wettbewerb „{{ competition }}“ eingeladen, haben die "
            "Einladung aber noch nicht angenommen. Hier ist ein neuer Link, mit dem Sie Ihr "
            "Passwort festlegen:\n{{ link }}\n\nDer Link ist 14 Tage gültig.\n",
            "You are invited as {{ role }} to the competition “{{ competition }}” but have not "
            "accepted yet. Here is a new link to set your password:\n{{ link }}\n\n"
            "The link is valid for 14 days.\n",
            role="Juror(in)",
            inviter="Erika Muster (erika@example.org)",
        ),
        _kind(
            "offer",
            _l("Neue Rolle (bestehendes Konto)"),
            ACCOUNT,
            True,
            {**COMMON, "role": _l("Rolle"), "inviter": _l("Wer eingeladen hat")},
            (
                "Neue Rolle: {{ role }} – {{ competition }}",
                "New role: {{ role }} – {{ competition }}",
            ),
            "{{ inviter }} bietet Ihnen eine Rolle an: {{ role }} im Wettbewerb "
            "„{{ competition }}“.\n\nÖffnen Sie diesen Link, melden Sie sich wie gewohnt mit Ihrem Passwort an und "
            "nehmen Sie die Rolle an oder lehnen Sie sie ab:\n{{ link }}\n\n"
            "Der Link ist 14 Tage gültig. Ihr Passwort und Ihre übrigen Rollen bleiben "
            "unverändert.\n",
            "{{ inviter }} offers you the role {{ role }} in the competition “{{ competition }}”."
            "\n\nOpen this link, log in with your password as usual and accept or decline the "
            "role:\n{{ link }}\n\nThe link is valid for 14 days. Your password and your other "
            "roles stay as they are.\n",
            role="Juror(in)",
            inviter="Erika Muster (erika@example.org)",
        ),
        _kind(
            "registration_received",
            _l("Anmeldung eingegangen"),
            SCHOOL,
            True,
            {**PROJECT, "projects": _l("Alle Projekte der Schule (Liste)")},
            (
                "Anmeldung eingegangen: {{ project }}",
                "Registration received: {{ project }}",
            ),
            "die Anmeldung des Projekts „{{ project }}“ für {{ school }} ist eingegangen.\n\n"
            "Angemeldete Projekte Ihrer Schule:\n{% for p in projects %}"
            "– {{ p.title }} ({{ p.subject }}){% if p.missing %}, es fehlt noch: "
            "{{ p.missing|join(', ') }}{% endif %}\n{% endfor %}\n"
            "Die Anmeldebestätigung liegt als PDF bei. Ihre Angaben sehen Sie hier:\n{{ link }}\n",
            "the registration of the project “{{ project }}” for {{ school }} has been received."
            "\n\nProjects of your school:\n{% for p in projects %}– {{ p.title }} "
            "({{ p.subject }}){% if p.missing %}, still missing: "
            "{{ p.missing|join(', ') }}{% endif %}\n{% endfor %}\n"
            "The confirmation is attached as a PDF. Your entries are here:\n{{ link }}\n",
            projects=[{"title": "Die Größe der Schneeflocke", "subject": "Physik", "missing": []}],
        ),
        _kind(
            "project_changed",
            _l("Projekt von der Wettbewerbsleitung geändert"),
            SCHOOL,
            True,
            {**PROJECT, "changes": _l("Was sich geändert hat")},
            ("Projekt geändert: {{ project }}", "Project changed: {{ project }}"),
            "die Wettbewerbsleitung hat das Projekt „{{ project }}“ geändert:\n{{ changes }}\n\n"
            "Details:\n{{ link }}\n",
            "the organisers have changed the project “{{ project }}”:\n{{ changes }}\n\n"
            "Details:\n{{ link }}\n",
            changes="Kurzfassung",
        ),
        _kind(
            "project_admitted",
            _l("Projekt zugelassen"),
            SCHOOL,
            True,
            PROJECT,
            ("Zugelassen: {{ project }}", "Admitted: {{ project }}"),
            "das Projekt „{{ project }}“ ist zum Wettbewerb zugelassen.\n\n{{ link }}\n",
            "the project “{{ project }}” has been admitted to the competition.\n\n{{ link }}\n",
        ),
        _kind(
            "project_rejected",
            _l("Projekt abgelehnt"),
            SCHOOL,
            True,
            {**PROJECT, "reason": _l("Begründung")},
            ("Nicht zugelassen: {{ project }}", "Not admitted: {{ project }}"),
            "das Projekt „{{ project }}“ kann leider nicht zugelassen werden.\n\n"
            "Begründung: {{ reason }}\n\nBei Fragen antworten Sie der Wettbewerbsleitung.\n",
            "unfortunately the project “{{ project }}” cannot be admitted.\n\n"
            "Reason: {{ reason }}\n\nPlease contact the organisers with any questions.\n",
            reason="Das Thema wurde schon im Vorjahr eingereicht.",
        ),
        _kind(
            "project_withdrawn",
            _l("Projekt zurückgezogen"),
            SCHOOL,
            True,
            {**PROJECT, "reason": _l("Begründung")},
            ("Zurückgezogen: {{ project }}", "Withdrawn: {{ project }}"),
            "das Projekt „{{ project }}“ ist zurückgezogen.{% if reason %} Begründung: "
            "{{ reason }}{% endif %}\n\nEs nimmt nicht mehr am Wettbewerb teil.\n",
            "the project “{{ project }}” has been withdrawn.{% if reason %} Reason: "
            "{{ reason }}{% endif %}\n\nIt no longer takes part in the competition.\n",
            reason="",
        ),
        _kind(
            "project_moved",
            _l("Projekt in ein anderes Fachgebiet verschoben"),
            SCHOOL,
            True,
            {**PROJECT, "subject": _l("Neues Fachgebiet"), "before": _l("Bisheriges Fachgebiet")},
            ("Neues Fachgebiet: {{ project }}", "New subject: {{ project }}"),
            "die Wettbewerbsleitung hat das Projekt „{{ project }}“ vom Fachgebiet "
            "{{ before }} in das Fachgebiet {{ subject }} verschoben.\n\n{{ link }}\n",
            "the organisers have moved the project “{{ project }}” from {{ before }} to "
            "{{ subject }}.\n\n{{ link }}\n",
            subject="Chemie",
            before="Biologie",
        ),
        _kind(
            "project_promoted",
            _l("Projekt hochgestuft"),
            SCHOOL,
            True,
            {**PROJECT, "division": _l("Neue Sparte"), "reason": _l("Begründung")},
            ("Hochgestuft: {{ project }}", "Promoted: {{ project }}"),
            "das Projekt „{{ project }}“ startet in der Sparte {{ division }}.\n\n"
            "Begründung: {{ reason }}\n\n{{ link }}\n",
            "the project “{{ project }}” now competes in {{ division }}.\n\n"
            "Reason: {{ reason }}\n\n{{ link }}\n",
            division="Jugend forscht",
            reason="Das Thema geht über Schüler experimentieren hinaus.",
        ),
        _kind(
            "missing_reminder",
            _l("Erinnerung an fehlende Unterlagen"),
            SCHOOL,
            False,
            {
                **COMMON,
                "school": _l("Schule"),
                "deadline": _l("Frist (Datum)"),
                "deadline_name": _l("Welche Frist"),
                "projects": _l("Projekte mit dem, was fehlt (Liste)"),
            },
            (
                "Erinnerung: bis {{ deadline }} fehlt noch etwas",
                "Reminder: items missing by {{ deadline }}",
            ),
            "am {{ deadline }} endet die Frist „{{ deadline_name }}“. Für {{ school }} fehlt "
            "noch:\n{% for p in projects %}\n{{ p.title }}:\n{% for item in p.missing %}"
            "  – {{ item }}\n{% endfor %}{% endfor %}\nBitte ergänzen Sie es hier:\n{{ link }}\n",
            "the deadline “{{ deadline_name }}” ends on {{ deadline }}. For {{ school }} these "
            "items are still missing:\n{% for p in projects %}\n{{ p.title }}:\n"
            "{% for item in p.missing %}  – {{ item }}\n{% endfor %}{% endfor %}\n"
            "Please add them here:\n{{ link }}\n",
            deadline="15.01.2027",
            deadline_name="Schriftliche Arbeit",
            projects=[{"title": "Die Größe der Schneeflocke", "missing": ["Schriftliche Arbeit"]}],
        ),
        _kind(
            "stand_info",
            _l("Standnummern und Informationen zum Wettbewerbstag"),
            SCHOOL,
            True,
            {
                **COMMON,
                "school": _l("Schule"),
                "projects": _l("Projekte mit Standnummer (Liste)"),
                "venue": _l("Ort"),
                "dates": _l("Datum"),
                "info": _l("Hinweise der Wettbewerbsleitung"),
            },
            ("Ihr Stand bei {{ competition }}", "Your stand at {{ competition }}"),
            "der Wettbewerb findet am {{ dates }} statt: {{ venue }}.\n\nIhre Stände:\n"
            "{% for p in projects %}– {{ p.stand or 'noch offen' }}: {{ p.title }}\n{% endfor %}"
            "{% if info %}\n{{ info }}\n{% endif %}",
            "the competition takes place on {{ dates }}: {{ venue }}.\n\nYour stands:\n"
            "{% for p in projects %}– {{ p.stand or 'not yet set' }}: {{ p.title }}\n{% endfor %}"
            "{% if info %}\n{{ info }}\n{% endif %}",
            venue="Stadthalle",
            dates="26.02.2027",
            info="Aufbau ab 8 Uhr.",
            projects=[{"stand": "B01", "title": "Die Größe der Schneeflocke"}],
        ),
        _kind(
            "results_published",
            _l("Ergebnisse veröffentlicht"),
            SCHOOL,
            False,
            {**COMMON, "school": _l("Schule")},
            ("Ergebnisse: {{ competition }}", "Results: {{ competition }}"),
            "die Ergebnisse des Wettbewerbs „{{ competition }}“ sind veröffentlicht. Die "
            "Urkunden Ihrer Schule finden Sie hier:\n{{ link }}\n",
            "the results of “{{ competition }}” are published. Your school's certificates are "
            "here:\n{{ link }}\n",
        ),
        _kind(
            "judge_assignment",
            _l("Zuteilung an Juror(in)"),
            JUDGE,
            True,
            {**COMMON, "projects": _l("Zugeteilte Projekte (Liste)")},
            ("Ihre Projekte bei {{ competition }}", "Your projects at {{ competition }}"),
            "Ihnen sind diese Projekte zugeteilt:\n{% for p in projects %}– {{ p.time }}"
            "{{ p.stand }} {{ p.title }}\n{% endfor %}\nIhr Besuchsplan liegt als PDF und als "
            "Kalenderdatei (.ics) bei. Bewerten Sie hier:\n{{ link }}\n",
            "these projects are assigned to you:\n{% for p in projects %}– {{ p.time }}"
            "{{ p.stand }} {{ p.title }}\n{% endfor %}\nYour visit schedule is attached as a PDF "
            "and a calendar file (.ics). Score here:\n{{ link }}\n",
            projects=[{"time": "09:00 ", "stand": "B01", "title": "Die Größe der Schneeflocke"}],
        ),
        _kind(
            "judge_list_changed",
            _l("Geänderte Projektliste einer Jurorin / eines Jurors"),
            JUDGE,
            True,
            {
                **COMMON,
                "added": _l("Neu zugeteilt (Liste)"),
                "removed": _l("Nicht mehr zugeteilt (Liste)"),
            },
            ("Ihre Projektliste hat sich geändert", "Your list of projects has changed"),
            "Ihre Projektliste bei {{ competition }} hat sich geändert.\n"
            "{% if added %}\nNeu:\n{% for p in added %}– {{ p.stand }} {{ p.title }}\n{% endfor %}"
            "{% endif %}{% if removed %}\nEntfällt:\n{% for p in removed %}– {{ p.stand }} "
            "{{ p.title }}\n{% endfor %}{% endif %}\nIhre aktuelle Liste:\n{{ link }}\n",
            "your list of projects at {{ competition }} has changed.\n"
            "{% if added %}\nNew:\n{% for p in added %}– {{ p.stand }} {{ p.title }}\n{% endfor %}"
            "{% endif %}{% if removed %}\nDropped:\n{% for p in removed %}– {{ p.stand }} "
            "{{ p.title }}\n{% endfor %}{% endif %}\nYour current list:\n{{ link }}\n",
            added=[{"stand": "B02", "title": "Licht im Wasser"}],
            removed=[],
        ),
        _kind(
            "jury_locked",
            _l("Jury abgeschlossen"),
            JUDGE,
            True,
            {**COMMON, "jury": _l("Jury")},
            ("Jury abgeschlossen: {{ jury }}", "Jury closed: {{ jury }}"),
            "die Entscheidung der Jury {{ jury }} ist abgeschlossen. Vielen Dank für Ihre "
            "Arbeit! Bewertungen lassen sich nun nicht mehr ändern.\n",
            "the decision of the jury {{ jury }} is final. Thank you for your work! Scores can "
            "no longer be changed.\n",
            jury="Biologie",
        ),
        _kind(
            "digest",
            _l("Tägliche Zusammenfassung für die Wettbewerbsleitung"),
            ORGANISER,
            False,
            {
                **COMMON,
                "registrations": _l("Neue Anmeldungen (Liste)"),
                "withdrawals": _l("Rückzüge (Liste)"),
                "declined": _l("Abgelehnte Einladungen (Liste)"),
            },
            ("Tagesübersicht {{ competition }}", "Daily summary {{ competition }}"),
            "seit gestern bei {{ competition }}:\n\nNeue Anmeldungen: {{ registrations|length }}"
            "\n{% for x in registrations %}– {{ x }}\n{% endfor %}\nRückzüge: "
            "{{ withdrawals|length }}\n{% for x in withdrawals %}– {{ x }}\n{% endfor %}\n"
            "Abgelehnte Einladungen: {{ declined|length }}\n{% for x in declined %}– {{ x }}\n"
            "{% endfor %}\n{{ link }}\n",
            "since yesterday at {{ competition }}:\n\nNew registrations: "
            "{{ registrations|length }}\n{% for x in registrations %}– {{ x }}\n{% endfor %}\n"
            "Withdrawals: {{ withdrawals|length }}\n{% for x in withdrawals %}– {{ x }}\n"
            "{% endfor %}\nDeclined invitations: {{ declined|length }}\n{% for x in declined %}"
            "– {{ x }}\n{% endfor %}\n{{ link }}\n",
            registrations=["Die Größe der Schneeflocke (Gymnasium Nord)"],
            withdrawals=[],
            declined=[],
        ),
    ]
}
