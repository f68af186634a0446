"""A gunicorn logger that redacts tokens and query values before the app is even loaded.

The app installs the same filter when it starts (``compmgr.logs``), which covers the usual
set-up. Naming this class in the gunicorn config (``logger_class =
"compmgr.gunicorn_logging.RedactingLogger"``) makes it hold for the master process too.
"""

from gunicorn.glogging import Logger

from compmgr import logs


class RedactingLogger(Logger):
    """gunicorn's logger with compmgr's redaction on its access and error logs."""

    def setup(self, cfg):
        super().setup(cfg)
        logs.install()
