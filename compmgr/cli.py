"""What every feature's Click commands share."""

import click


class CommandError(click.ClickException):
    """A German message for the operator, printed as "Fehler: …"; exit code 1."""

    def show(self, file=None):
        click.echo(f"Fehler: {self.format_message()}", err=True)
