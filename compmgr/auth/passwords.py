"""The password policy: long enough, and not on the lists attackers try first."""

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 10
MAX_LENGTH = 200
# zxcvbn estimates guesses from leaked-password lists, dictionaries, keyboard patterns, dates
# and l33t spellings; score 3 means at least 10^8 guesses. It reads at most 72 characters.
MIN_SCORE = 3
_ZXCVBN_MAX = 72
# Words anyone guessing at a Jugend forscht installation tries first.
_SITE_WORDS = ["jugend", "forscht", "jugendforscht", "compmgr", "wettbewerb", "passwort"]

TOO_SHORT = _l("Das Passwort muss mindestens %(n)d Zeichen lang sein.", n=MIN_LENGTH)
TOO_LONG = _l("Das Passwort darf höchstens %(n)d Zeichen lang sein.", n=MAX_LENGTH)
BREACHED = _l(
    "Dieses Passwort steht auf Listen veröffentlichter (geleakter) Passwörter. "
    "Bitte wählen Sie ein anderes, z. B. einen Satz aus mehreren Wörtern."
)
GUESSABLE = _l(
    "Dieses Passwort ist zu leicht zu erraten (z. B. ein Wort mit Zahlen, eine "
    "Tastenfolge, ein Name oder eine Jahreszahl). Ein Satz aus mehreren Wörtern ist "
    "leicht zu merken und sicher."
)


def _breached(password):
    # Loaded when a password is checked: its word lists cost about 0.2 s at every app start.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return password.lower() in FREQUENCY_LISTS["passwords"]


def password_problem(password, user_inputs=()):
    """Return why password is refused (a lazy German message), or None when it is good.

    user_inputs are words of the account (e-mail, name) that make a password easy to guess.
    """
    password = password or ""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    if _breached(password) or _breached(password.strip()):
        return BREACHED
    words = [w for value in user_inputs for w in _words(value)] + _SITE_WORDS
    from zxcvbn import zxcvbn  # loaded on first use, not at app start (see _breached)

    if zxcvbn(password[:_ZXCVBN_MAX], user_inputs=words)["score"] < MIN_SCORE:
        return GUESSABLE
    return None


def _words(value):
    """Split an e-mail address or a name into the words someone might build a password from."""
    value = (value or "").lower()
    parts = [value, value.split("@")[0]] + value.replace("@", " ").replace(".", " ").replace(
        "-", " "
    ).split()
    return [p for p in parts if len(p) >= 3]
