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
    text = msg.get_body(preferencelist=("plain",))
    body = text.get_content() if text is not None else msg.get_content()
    return {"to": msg["To"], "subject": msg["Subject"], "body": body, "raw": raw, "message": msg}


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


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    """A real SMTP server (aiosmtpd) on a free loopback port that keeps what it receives.

    With refuse=n it answers the first n mails "451 try again later" (a relay that is busy),
    with reply="550 …" it refuses every mail for good, with refuse_to those to these addresses.
    """

    def __init__(self, delay=0.0, refuse=0, reply=None, port=None, on_receive=None, refuse_to=()):
        import asyncio

        from aiosmtpd.controller import Controller

        self.received = []
        self.refuse, self.reply, self.refuse_to = refuse, reply, set(refuse_to)
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
                await asyncio.sleep(delay)  # a relay far away takes its time
                if sink.reply:
                    return sink.reply
                if set(envelope.rcpt_tos) & sink.refuse_to:
                    return "550 5.1.1 Postfach unbekannt"
                if sink.refuse > 0:
                    sink.refuse -= 1
                    return "451 4.3.2 Bitte später noch einmal"
                sink.received.append(_parse(envelope.original_content or envelope.content))
                if on_receive is not None:
                    on_receive(sink)
                return "250 OK"

        self.port = port or free_port()  # aiosmtpd's own start-up check needs a real one
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
