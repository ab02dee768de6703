"""Queue messages in the caller's transaction; deliver them over SMTP with retries, one Message-ID per message."""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.errors import HeaderDefect, MessageError
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import make_msgid, parseaddr

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.errors import NotFound, ValidationFailed
from app.mail import messages  # noqa: F401  (the catalogue entries of the reasons raised here)
from app.mail.models import OutboxMessage

log = logging.getLogger(__name__)

CLAIM_SECONDS = 300
BACKOFF_BASE_SECONDS = 60
BACKOFF_MAX_SECONDS = 6 * 3600
# headers a caller may add to a message (queue_email(extra_headers=...)); the rest are the sender's own
EXTRA_HEADERS = frozenset({"List-Unsubscribe", "List-Unsubscribe-Post", "List-Id"})


def queue_email(
    session: Session,
    *,
    to: str,
    subject: str,
    text: str,
    now: datetime,
    html: str | None = None,
    to_name: str | None = None,
    ics_method: str | None = None,
    ics: str | bytes | None = None,
    attachments: list[dict] | None = None,
    kind: str = "general",
    user_id: int | None = None,
    dedupe_key: str | None = None,
    reply_to: str | None = None,
    reply_to_name: str | None = None,
    extra_headers: dict[str, str] | None = None,
) -> OutboxMessage | None:
    """Add a message to the outbox (flush only). With a dedupe_key already queued, returns None.

    extra_headers: header name -> value, names from EXTRA_HEADERS only (a programming error otherwise)."""
    unknown = set(extra_headers or ()) - EXTRA_HEADERS
    if unknown:
        raise ValueError(f"headers not allowed on a queued message: {sorted(unknown)}")
    if dedupe_key is not None:
        exists = session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key))
        if exists is not None:
            return None
    if isinstance(ics, bytes):
        ics = ics.decode("utf-8")
    message = OutboxMessage(
        kind=kind,
        dedupe_key=dedupe_key,
        user_id=user_id,
        to_addr=to,
        to_name=to_name,
        reply_to_addr=reply_to,
        reply_to_name=reply_to_name if reply_to else None,
        subject=_one_line(subject)[:300],
        text_body=text,
        html_body=html,
        ics_method=ics_method,
        ics_body=ics,
        attachments=attachments or None,
        extra_headers={name: _one_line(value) for name, value in extra_headers.items()} if extra_headers else None,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(message)
    session.flush()
    log.info("queued %s mail #%s to %s: %s", kind, message.id, to, subject)
    return message


def _one_line(value: str) -> str:
    """Header text on one line: a CR or LF in a header is refused by the email package (and unsafe)."""
    return " ".join(value.split()) if ("\n" in value or "\r" in value) else value


def _mailbox(name: str | None, addr: str) -> Address | str:
    """A To/From mailbox. Address quotes and encodes the display name as a whole, so a name such as
    'Müller, Zoë' stays one mailbox (formataddr's encoded word would let the comma split it in two)."""
    if not name:
        return addr
    try:
        return Address(display_name=_one_line(name), addr_spec=addr)
    except (ValueError, IndexError, HeaderDefect):  # an address the header parser refuses: send it bare
        return addr


class _MailPolicy(EmailPolicy):
    """email.policy.default, except that a non-ASCII Subject is encoded by email.header.Header.

    The default folder (email._header_value_parser._fold_as_ew) writes an empty encoded word (=?utf-8?q??=)
    whenever a non-ASCII word starts where the line has no room left for one encoded character; Header splits
    the whole text into encoded words that each fit, and reads back exactly.
    """

    def fold(self, name, value):
        if name in EXTRA_HEADERS and str(value).isascii() and len(str(value)) < 900:
            # a URL in angle brackets must reach the client as is: the default folder turns a long one into
            # encoded words, which List-Unsubscribe readers do not decode (RFC 2369); one line is allowed up to 998
            return f"{name}: {value}{self.linesep}"
        if name.lower() == "subject" and not str(value).isascii():
            folded = Header(str(value), "utf-8", header_name=name).encode(
                linesep=self.linesep, maxlinelen=self.max_line_length or 78)
            return f"{name}: {folded}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if (name in EXTRA_HEADERS and str(value).isascii() and len(str(value)) < 900) or (
                name.lower() == "subject" and not str(value).isascii()):
            return self.fold(name, value).encode("ascii")
        return super().fold_binary(name, value)


MAIL_POLICY = _MailPolicy()


def build_mime(message: OutboxMessage, *, sender: str, message_id_domain: str | None = None) -> EmailMessage:
    """The MIME message for an outbox row: text, optional HTML and iTIP part, attachments."""
    mime = EmailMessage(policy=MAIL_POLICY)
    mime["From"] = sender
    mime["To"] = _mailbox(message.to_name, message.to_addr)
    mime["Subject"] = _one_line(message.subject)
    if message.reply_to_addr:
        mime["Reply-To"] = _mailbox(message.reply_to_name, message.reply_to_addr)
    domain = message_id_domain or _message_id_domain(sender)
    mime["Message-ID"] = message.message_id or make_msgid(idstring=f"outbox-{message.id}", domain=domain)
    mime["X-CC-Outbox-Id"] = str(message.id)
    for name, value in (message.extra_headers or {}).items():
        if name in EXTRA_HEADERS:  # stored rows are trusted no further than the allowed list
            mime[name] = _one_line(value)
    mime.set_content(message.text_body)
    if message.html_body:
        mime.add_alternative(message.html_body, subtype="html")
    if message.ics_body:
        # calendar clients read the iTIP part inside multipart/alternative; the attachment helps the rest
        mime.add_alternative(
            message.ics_body.encode("utf-8"), maintype="text", subtype="calendar",
            params={"method": message.ics_method or "PUBLISH", "charset": "utf-8"},
        )
    for attachment in message.attachments or []:
        maintype, _, subtype = attachment.get("content_type", "application/octet-stream").partition("/")
        content = attachment["content"]
        data = content.encode("utf-8") if isinstance(content, str) else content
        params = {"method": attachment["method"]} if attachment.get("method") else {}
        if maintype == "text":
            params["charset"] = "utf-8"  # text content is stored as str and sent as UTF-8
        mime.add_attachment(data, maintype=maintype, subtype=subtype or "octet-stream",
                            filename=attachment.get("filename", "attachment"), params=params)
    if message.ics_body and not any(a.get("filename", "").endswith(".ics") for a in message.attachments or []):
        mime.add_attachment(
            message.ics_body.encode("utf-8"), maintype="application", subtype="ics", filename="invite.ics"
        )
    return mime


@dataclass
class SmtpSettings:
    server: str | None
    port: int = 25
    use_tls: bool = False
    use_ssl: bool = False
    username: str | None = None
    password: str | None = None
    sender: str = "no-reply@localhost"
    timeout: int = 10
    max_attempts: int = 8

    @classmethod
    def from_config(cls, config) -> SmtpSettings:
        return cls(
            server=config.get("MAIL_SERVER"),
            port=int(config.get("MAIL_PORT") or 25),
            use_tls=bool(config.get("MAIL_USE_TLS")),
            use_ssl=bool(config.get("MAIL_USE_SSL")),
            username=config.get("MAIL_USERNAME"),
            password=config.get("MAIL_PASSWORD"),
            sender=config.get("MAIL_DEFAULT_SENDER") or "no-reply@localhost",
            timeout=int(config.get("MAIL_TIMEOUT") or 10),
            max_attempts=int(config.get("MAIL_MAX_ATTEMPTS") or 8),
        )


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"sent {self.sent}, retrying {self.retried}, failed {self.failed}, left in outbox {self.skipped}"


def backoff_delay(attempts: int) -> timedelta:
    """Exponential backoff after the n-th failed attempt: 1, 2, 4 ... minutes, capped at 6 hours."""
    return timedelta(seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


def _due_ids(session: Session, now: datetime, limit: int) -> list[int]:
    return list(
        session.scalars(
            sa.select(OutboxMessage.id)
            .where(
                sa.or_(
                    sa.and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
                    # a sender that died mid-send leaves its claim behind; take it over once it lapses
                    sa.and_(OutboxMessage.status == "sending", OutboxMessage.claimed_until < now),
                )
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
    )


def _claim(session: Session, message_id: int, now: datetime) -> bool:
    """Atomically move one message to 'sending'; only one process can win."""
    result = session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            sa.or_(
                sa.and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
                sa.and_(OutboxMessage.status == "sending", OutboxMessage.claimed_until < now),
            ),
        )
        .values(status="sending", claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _open_smtp(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.use_ssl:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.server, settings.port, timeout=settings.timeout, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(settings.server, settings.port, timeout=settings.timeout)
        if settings.use_tls:
            smtp.starttls(context=ssl.create_default_context())
    if settings.username:
        smtp.login(settings.username, settings.password or "")
    return smtp


def deliver_pending(session: Session, settings: SmtpSettings, *, now: datetime, limit: int = 200) -> DeliveryReport:
    """One delivery pass: each message is claimed, sent and marked sent in transactions of its own.

    SMTP and the database cannot commit together: a sender killed between the server's acceptance and the sent
    mark leaves the message claimed, and a later pass sends it again once the claim lapses. That window is kept
    to one UPDATE, and the retry carries the Message-ID stored with the first claim, so receiving servers and
    clients can recognise the duplicate. This is a job entrypoint (like a CLI command) and owns its transactions.
    """
    report = DeliveryReport()
    if not settings.server:
        pending = session.scalar(
            sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "pending")
        )
        report.skipped = pending or 0
        if pending:
            log.info("MAIL_SERVER is not set: %s message(s) stay in the outbox (see /admin/outbox)", pending)
        return report
    smtp: smtplib.SMTP | None = None
    envelope_sender = parseaddr(settings.sender)[1] or settings.sender
    domain = _message_id_domain(settings.sender)
    started = time.monotonic()
    try:
        for message_id in _due_ids(session, now, limit):
            # a claim counts from the moment it is taken, not from the start of a long pass: otherwise another
            # sender could take over a message this one is about to send
            claimed_at = now + timedelta(seconds=time.monotonic() - started)
            if not _claim(session, message_id, claimed_at):
                session.rollback()
                continue
            message = session.get(OutboxMessage, message_id)
            if message.message_id is None:
                # chosen once, stored with the claim: a retry after a crash carries the same Message-ID
                message.message_id = make_msgid(idstring=f"outbox-{message.id}", domain=domain)
            session.commit()
            try:
                mime = build_mime(message, sender=settings.sender)
            except (ValueError, TypeError, LookupError, MessageError) as exc:
                # a message that cannot be built never will be: fail it now instead of letting it block the queue
                _record_failure(message, exc, settings, now, report, permanent=True)
                session.commit()
                continue
            try:
                if smtp is None:
                    smtp = _open_smtp(settings)
                # the envelope comes from the stored address, never from re-parsing the To header
                smtp.send_message(mime, from_addr=envelope_sender, to_addrs=[message.to_addr])
            except (TimeoutError, smtplib.SMTPException, OSError) as exc:
                _record_failure(message, exc, settings, now, report)
                if smtp is not None and not isinstance(exc, smtplib.SMTPRecipientsRefused):
                    _quit(smtp)
                    smtp = None
            else:
                # the server has the message: record it at once, in a transaction of its own
                _mark_sent(session, message_id, now)
                report.sent += 1
                continue
            session.commit()
    finally:
        if smtp is not None:
            _quit(smtp)
    return report


def _mark_sent(session: Session, message_id: int, now: datetime) -> None:
    session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(status="sent", sent_at=now, attempts=OutboxMessage.attempts + 1, claimed_until=None,
                last_error=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def _message_id_domain(sender: str) -> str:
    return parseaddr(sender)[1].rpartition("@")[2] or "localhost"


def _record_failure(message: OutboxMessage, exc: Exception, settings: SmtpSettings, now: datetime,
                    report: DeliveryReport, *, permanent: bool = False) -> None:
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    message.claimed_until = None
    permanent = permanent or isinstance(exc, smtplib.SMTPRecipientsRefused)
    if permanent or message.attempts >= settings.max_attempts:
        message.status = "failed"
        report.failed += 1
        log.warning("mail #%s failed for good after %s attempt(s): %s", message.id, message.attempts, exc)
    else:
        message.status = "pending"
        message.next_attempt_at = now + backoff_delay(message.attempts)
        report.retried += 1
        log.info("mail #%s will be retried at %s: %s", message.id, message.next_attempt_at, exc)
    report.errors.append(message.last_error)


def _quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def retry_message(session: Session, message_id: int, *, now: datetime) -> OutboxMessage:
    """Put a failed message back in the queue (admins' retry button)."""
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound("mail.message_not_found", message_id=message_id)
    if message.status != "failed":
        raise ValidationFailed("mail.retry_not_failed", message_id=message_id, status=message.status)
    message.status = "pending"
    message.attempts = 0
    message.next_attempt_at = now
    message.last_error = None
    session.flush()
    return message
