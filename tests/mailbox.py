"""Read the mails the app sent: from the outbox folder, or from a real SMTP server on loopback."""

import email
import email.policy
import os
import re
import socket

import pytest

LINK_RE = re.compile(r"https?://\S+")


def _parse(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    return {"to": msg["To"], "subject": msg["Subject"], "body": msg.get_content()}


def outbox(app):
    """Return every mail written to the instance's outbox folder, oldest first."""
    folder = os.path.join(app.instance_path, "outbox")
    if not os.path.isdir(folder):
        return []
    paths = sorted((os.path.join(folder, n) for n in os.listdir(folder)), key=os.path.getmtime)
    mails = []
    for path in paths:
        with open(path, "rb") as fh:
            mails.append(_parse(fh.read()))
    return mails


def links(mail):
    return LINK_RE.findall(mail["body"])


class SmtpSink:
    """A real SMTP server (aiosmtpd) on a free loopback port that keeps what it receives."""

    def __init__(self, delay=0.0):
        import asyncio

        from aiosmtpd.controller import Controller

        self.received = []
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
                await asyncio.sleep(delay)  # a relay far away takes its time
                sink.received.append(_parse(envelope.original_content or envelope.content))
                return "250 OK"

        with (
            socket.socket() as probe
        ):  # a free port: aiosmtpd's own start-up check needs a real one
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


@pytest.fixture
def smtp_sink():
    with SmtpSink() as sink:
        yield sink
