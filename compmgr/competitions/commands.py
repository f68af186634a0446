"""What the features' Click commands share about competitions."""

from compmgr.cli import CommandError
from compmgr.competitions.models import Competition
from compmgr.extensions import db


def get_competition(competition_id):
    """Return the competition with this ID, or stop with the message every command uses."""
    competition = db.session.get(Competition, competition_id)
    if competition is None:
        raise CommandError(f"Einen Wettbewerb mit der ID {competition_id} gibt es nicht.")
    return competition
