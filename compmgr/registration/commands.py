"""Click commands of this feature."""


def register(app):
    """Add this feature's commands to the app's CLI."""
