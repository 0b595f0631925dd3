"""A real SMTP server on 127.0.0.1 for the reminder tests (aiosmtpd), with
answers the test decides: accept, 451 (try later) or 550 (refused), and an
optional pause inside DATA to kill a worker mid-send."""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Mailbox:
    """What the server accepted, and what it should answer next."""

    delivered: list = field(default_factory=list)
    answers: list = field(default_factory=list)  # e.g. ["451 4.3.0 Try later"], consumed one per DATA
    pause: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        if self.pause:
            await asyncio.sleep(self.pause)
            # A client that went away mid-transaction never got a 250: a
            # real server discards such a message, and so does this one.
            if session.transport is None or session.transport.is_closing():
                return "421 client gone"
        with self.lock:
            if self.answers:
                return self.answers.pop(0)
            message = email.message_from_bytes(envelope.content)
            self.delivered.append(
                {
                    "to": envelope.rcpt_tos,
                    "subject": str(email.header.make_header(email.header.decode_header(message["Subject"]))),
                    "message_id": message["Message-ID"],
                    "message": message,
                }
            )
        return "250 OK"


class SMTPServer:
    def __init__(self):
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
