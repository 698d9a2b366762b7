"""Sending the weekly pack by e-mail over SMTP: the PDF attached, what changed as the text, every recipient
accepted or nobody sent anything, and the password never shown."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.policy import SMTP

from trust.settings import Settings
from trust.views.pack import Pack, word


class SendError(Exception):
    """The pack could not be sent; the message names the server or the address, never the password."""


def summary(pack: Pack) -> str:
    """What changed since last week, as the message's plain text."""
    news, moved = pack.news, pack.news.moved
    ready = pack.current.readiness
    lines = [f"Weekly trust pack, week of {pack.current.as_of.isoformat()}"
             f"{' for team ' + pack.current.team if pack.current.team else ''}.", "",
             f"Readiness: stage {ready.stage} of 3, {ready.name}"
             + (f" (was {moved.stage[1]})" if moved.stage[1] is not None and moved.stage[1] != ready.stage else "")
             + ".", "", f"What changed since {news.compared_with or 'the start'}:"]
    for title, items in (("New failures", [r.title for r in moved.new_failures]),
                         ("Regressions", [r.title for r in moved.regressions]),
                         ("Fixed", [r.title for r in moved.fixed]),
                         ("New anomalies", [f"{a.field} = {a.value} ({a.snapshot_date})" for a in news.new_anomalies]),
                         ("Going live in the next 7 days", [f"{j.journey_id}: {word(s)}" for j, s in news.going_live]),
                         ("Answers expired or expiring",
                          [f"{d.answer.team} {d.answer.check_id}" for d in news.answers]),
                         ("Overclaims", [f"{o.team}: {o.title}" for o in news.overclaims]),
                         ("Overdue actions", [f"{line.check_title}, {line.owner}, due {line.action.due_date}"
                                              for line in news.overdue])):
        lines.append(f"- {title}: {', '.join(items) if items else 'none'}")
    lines += ["", "The pack is attached as a PDF."]
    return "\n".join(lines)


def message(pack: Pack, pdf: bytes, sender: str, recipients: Sequence[str]) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = f"Weekly trust pack, week of {pack.current.as_of.isoformat()}"
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg.set_content(summary(pack))
    msg.add_attachment(pdf, maintype="application", subtype="pdf",
                       filename=f"trust-pack-{pack.current.as_of.isoformat()}.pdf")
    return msg


def send(settings: Settings, recipients: Sequence[str], msg: EmailMessage) -> None:
    """Send to every recipient or to none: each address is offered first, and one refusal sends nothing."""
    host, port = settings.smtp_host, settings.smtp_port
    if not host:
        raise SendError("TRUST_SMTP_HOST is not set: say which SMTP server sends the pack")
    if not settings.smtp_from:
        raise SendError("TRUST_SMTP_FROM is not set: say which address sends the pack")
    try:
        with smtplib.SMTP(host, port, timeout=30) as smtp:
            smtp.ehlo()
            if settings.smtp_starttls:
                if not smtp.has_extn("starttls"):
                    raise SendError(f"the SMTP server {host}:{port} does not offer STARTTLS "
                                    "(set TRUST_SMTP_STARTTLS=false only on a trusted network)")
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if settings.smtp_user:
                password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
                smtp.login(settings.smtp_user, password)
            code, reply = smtp.mail(settings.smtp_from)
            if code != 250:
                raise SendError(f"the SMTP server refused the sender {settings.smtp_from}: {code} {_text(reply)}")
            for address in recipients:
                code, reply = smtp.rcpt(address)
                if code not in (250, 251):
                    smtp.rset()
                    raise SendError(f"the SMTP server refused the address {address}: {code} {_text(reply)}; "
                                    "nothing was sent to anyone")
            code, reply = smtp.data(msg.as_bytes(policy=SMTP))  # CRLF line ends, as the protocol wants
            if code != 250:
                raise SendError(f"the SMTP server did not accept the message: {code} {_text(reply)}")
    except SendError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(f"the SMTP server {host}:{port} refused the login of {settings.smtp_user}: "
                        f"{exc.smtp_code} {_text(exc.smtp_error)}") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(f"cannot send through the SMTP server {host}:{port}: {type(exc).__name__}: {exc}") from None


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
