"""Sending the weekly pack: a real SMTP server (aiosmtpd on 127.0.0.1) receives the PDF; one refused address
means nobody gets it; an unreachable server is a clear error that never shows the password."""

from __future__ import annotations

import email
import socket

import pytest
from aiosmtpd.controller import Controller

from tests.builders import write_extracts
from trust.cli import main

PASSWORD = "s3cret-pass-do-not-print"


class Inbox:
    """An SMTP handler keeping every message it accepts, refusing the addresses of refused.example."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@refused.example"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(env):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    env(smtp_host="127.0.0.1", smtp_port=controller.port, smtp_from="trust@example.com", smtp_starttls="false")
    yield inbox
    controller.stop()


def test_the_pack_is_sent_with_its_pdf_and_what_changed(tmp_path, smtp, capsys):
    root = write_extracts(tmp_path / "x")
    code = main(["report", "--extracts", str(root), "--send-to", "cmo@example.com", "--send-to", "cfo@example.com"])
    assert code == 0 and "Sent the weekly pack for 2026-11-22 to cmo@example.com, cfo@example.com" in \
        capsys.readouterr().out
    [envelope] = smtp.envelopes
    assert envelope.mail_from == "trust@example.com"
    assert envelope.rcpt_tos == ["cmo@example.com", "cfo@example.com"]
    msg = email.message_from_bytes(envelope.content)
    assert msg["Subject"] == "Weekly trust pack, week of 2026-11-22"
    body, attachment = [part for part in msg.walk() if not part.is_multipart()]
    assert "What changed since" in body.get_payload(decode=True).decode()
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_payload(decode=True).startswith(b"%PDF")


def test_one_refused_address_sends_nothing_to_anyone(tmp_path, smtp, capsys):
    root = write_extracts(tmp_path / "x")
    code = main(["report", "--extracts", str(root), "--send-to", "cmo@example.com",
                 "--send-to", "ghost@refused.example"])
    err = capsys.readouterr().err
    assert code == 2 and "refused the address ghost@refused.example" in err and "nothing was sent" in err
    assert smtp.envelopes == []


def test_an_unreachable_server_is_named_and_the_password_never_shown(tmp_path, env, capsys):
    root = write_extracts(tmp_path / "x")
    env(smtp_host="127.0.0.1", smtp_port=_free_port(), smtp_from="trust@example.com", smtp_user="trust",
        smtp_password=PASSWORD)
    assert main(["report", "--extracts", str(root), "--send-to", "cmo@example.com"]) == 2
    out, err = capsys.readouterr()
    assert "cannot send through the SMTP server 127.0.0.1:" in err
    assert PASSWORD not in out + err
    env(smtp_host="")
    assert main(["report", "--extracts", str(root), "--send-to", "cmo@example.com"]) == 2
    assert "TRUST_SMTP_HOST is not set" in capsys.readouterr().err
