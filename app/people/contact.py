"""Contact between members without exposing addresses: who may write to whom, sending, the lists, reports.

Rules (issue 14, point 2):
- A person can be contacted through their profile when it is visible to the sender (members or public) and
  they accept messages; or as the contact person of a PUBLISHED practice, from that practice's page, even
  without a profile (they were named publicly as the practice's contact), unless they switched contact off.
- Refused: oneself, hidden or unknown profiles (404, as if absent), contact switched off (403), suspended
  senders (403, told the admin's reason), accounts younger than NEW_ACCOUNT_HOURS unless an organiser invited
  them (an enrolment made for them by someone else), and past the daily limit (429): at most
  PEOPLE_DAILY_MESSAGE_LIMIT messages in any 24 hours (a rolling window, so no burst at midnight).
- The platform emails the recipient in the recipient's language with Reply-To set to the sender; the
  recipient's address is never part of anything the sender sees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from app.auth.models import User
from app.errors import DomainError, Forbidden, NotFound, ValidationFailed
from app.events.models import Enrolment
from app.language import translator
from app.mail.render import render_mail
from app.mail.services import queue_email
from app.people import contact_messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.people.contact_models import ContactSuspension, Message, MessageReport
from app.people.limits import (
    DEFAULT_DAILY_MESSAGES,
    MESSAGE_TEXT_MAX,
    NEW_ACCOUNT_HOURS,
    REPORT_REASON_MAX,
    SUBJECT_MAX,
)
from app.people.models import Profile
from app.practices.models import Practice


class TooManyMessages(DomainError):
    status = 429
    code = "rate_limited"  # the API's code for 429 (app.apikit.contract.ERROR_RESPONSES)


@dataclass(frozen=True)
class ContactSettings:
    """What sending needs from the configuration, as plain values."""

    daily_limit: int = DEFAULT_DAILY_MESSAGES
    new_account_hours: int = NEW_ACCOUNT_HOURS
    network_name: str = "Connective Cities"

    @classmethod
    def from_config(cls, config) -> ContactSettings:
        return cls(daily_limit=int(config.get("PEOPLE_DAILY_MESSAGE_LIMIT") or DEFAULT_DAILY_MESSAGES),
                   new_account_hours=int(config.get("PEOPLE_NEW_ACCOUNT_HOURS") or NEW_ACCOUNT_HOURS),
                   network_name=config.get("NETWORK_NAME") or "Connective Cities")


@dataclass(frozen=True)
class ContactLinks:
    """Absolute addresses the mail carries, made by the caller (no request here)."""

    report: Callable[[int], str]  # message id -> the page where the recipient reports it
    messages: str  # the recipient's /messages (where contact is switched off)


@dataclass(frozen=True)
class Target:
    recipient: User
    practice: Practice | None


# ---------------------------------------------------------------------------------------------------
# Who may write to whom


def contact_target(session: Session, *, recipient_id: int, sender_id: int | None,
                   practice_id: int | None = None) -> Target:
    """The person being contacted, through their visible profile or a published practice they are contact of."""
    recipient = session.get(User, recipient_id)
    if recipient is None or not recipient.is_active_account:
        raise NotFound("contact.not_found", field="recipient_id")
    profile = session.get(Profile, recipient_id)
    practice = None
    if practice_id is not None:
        practice = session.get(Practice, practice_id)
        if practice is None or practice.status != "published" or practice.contact_id != recipient_id:
            raise NotFound("contact.practice_not_found", field="practice_id")
    elif profile is None or profile.visibility == "hidden" or (profile.visibility == "members" and sender_id is None):
        raise NotFound("contact.not_found", field="recipient_id")
    if sender_id is not None and sender_id == recipient_id:
        raise Forbidden("contact.oneself")
    if profile is not None and not profile.accepts_messages:
        raise Forbidden("contact.switched_off")
    return Target(recipient=recipient, practice=practice)


def suspension_of(session: Session, user_id: int) -> ContactSuspension | None:
    return session.get(ContactSuspension, user_id)


def was_invited(session: Session, user_id: int) -> bool:
    """Did an organiser (anyone else) enrol this person? Such accounts may write from the first day."""
    return session.scalar(sa.select(sa.exists().where(
        Enrolment.user_id == user_id, Enrolment.enrolled_by_id.is_not(None), Enrolment.enrolled_by_id != user_id,
    ))) or False


def sent_recently(session: Session, sender_id: int, *, now: datetime) -> int:
    return session.scalar(sa.select(sa.func.count(Message.id)).where(
        Message.sender_id == sender_id, Message.created_at > now - timedelta(hours=24))) or 0


def check_sender(session: Session, sender: User, *, now: datetime, settings: ContactSettings) -> None:
    """Raise why this sender may not write now: suspended, too new an account, past the daily limit."""
    suspension = suspension_of(session, sender.id)
    if suspension is not None:
        raise Forbidden("contact.suspended", reason=suspension.reason)
    created = sender.created_at
    if created is not None and created > now - timedelta(hours=settings.new_account_hours) \
            and not was_invited(session, sender.id):
        raise Forbidden("contact.account_too_new", hours=settings.new_account_hours)
    if sent_recently(session, sender.id, now=now) >= settings.daily_limit:
        raise TooManyMessages("contact.daily_limit", limit=settings.daily_limit)


def clean_input(subject, text) -> tuple[str, str]:
    """Subject 1..SUBJECT_MAX and text 1..MESSAGE_TEXT_MAX characters, neither only whitespace."""
    subject = subject.strip() if isinstance(subject, str) else ""
    text = text.strip() if isinstance(text, str) else ""
    fields: dict = {}
    if not subject:
        fields["subject"] = "contact.subject_required"
    elif len(subject) > SUBJECT_MAX:
        fields["subject"] = ("contact.subject_too_long", {"maximum": SUBJECT_MAX})
    if not text:
        fields["text"] = "contact.text_required"
    elif len(text) > MESSAGE_TEXT_MAX:
        fields["text"] = ("contact.text_too_long", {"maximum": MESSAGE_TEXT_MAX, "length": len(text)})
    if fields:
        first = next(iter(fields.values()))
        reason, params = first if isinstance(first, tuple) else (first, {})
        raise ValidationFailed(reason, fields=fields, **params)
    return " ".join(subject.split()), text


# ---------------------------------------------------------------------------------------------------
# Sending


def send_message(session: Session, *, sender_id: int, recipient_id: int, subject, text, now: datetime,
                 settings: ContactSettings, links: ContactLinks, origin_url: str,
                 practice_id: int | None = None) -> Message:
    """Store the message and queue its mail to the recipient (their language, Reply-To the sender); flush only."""
    sender = session.get(User, sender_id)
    if sender is None:
        raise NotFound("contact.not_found")
    target = contact_target(session, recipient_id=recipient_id, sender_id=sender_id, practice_id=practice_id)
    check_sender(session, sender, now=now, settings=settings)
    subject, text = clean_input(subject, text)
    recipient = target.recipient
    message = Message(sender_id=sender.id, recipient_id=recipient.id, sender_name=sender.name,
                      recipient_name=recipient.name, subject=subject, text=text, origin_url=origin_url[:500],
                      practice_id=target.practice.id if target.practice else None, created_at=now)
    session.add(message)
    session.flush()
    t = translator(recipient.language)
    context = {
        "name": recipient.name, "sender": sender.name,
        "organisation": sender.organisation.name if sender.organisation else "",
        "practice": target.practice.title if target.practice else "",
        "origin_url": origin_url, "subject": subject, "text": text, "network_name": settings.network_name,
        "report_url": links.report(message.id), "messages_url": links.messages,
    }
    queue_email(
        session, to=recipient.email, to_name=recipient.name, now=now,
        subject=t.gettext("%(sender)s via %(network)s: %(subject)s", sender=sender.name,
                          network=settings.network_name, subject=subject),
        text=render_mail("people/email/message.txt", language=recipient.language, **context),
        html=render_mail("people/email/message.html", language=recipient.language, **context),
        kind="member-message", user_id=recipient.id, reply_to=sender.email, reply_to_name=sender.name,
    )
    return message


# ---------------------------------------------------------------------------------------------------
# Lists


@dataclass(frozen=True)
class MessageRow:
    message: Message
    direction: str  # "sent" or "received"
    reported: bool


def list_messages(session: Session, *, user_id: int, page: int = 1, per_page: int = 20
                  ) -> tuple[list[MessageRow], int]:
    """Sent and received, newest first, in two queries whatever the page holds."""
    where = sa.or_(Message.sender_id == user_id, Message.recipient_id == user_id)
    total = session.scalar(sa.select(sa.func.count(Message.id)).where(where)) or 0
    rows = session.execute(
        sa.select(Message, MessageReport.id)
        .outerjoin(MessageReport, sa.and_(MessageReport.message_id == Message.id,
                                          MessageReport.reporter_id == user_id))
        .where(where).order_by(Message.created_at.desc(), Message.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    return [MessageRow(message=m, direction="sent" if m.sender_id == user_id else "received",
                       reported=report_id is not None) for m, report_id in rows], total


def message_json(row: MessageRow) -> dict:
    """A message as the API answers it: names only, never an address."""
    m = row.message
    return {"id": m.id, "direction": row.direction, "subject": m.subject, "text": m.text,
            "sender": {"id": m.sender_id, "name": m.sender_name} if m.sender_id else None,
            "recipient": {"id": m.recipient_id, "name": m.recipient_name} if m.recipient_id else None,
            "origin_url": m.origin_url, "created_at": m.created_at.isoformat(), "reported": row.reported}


def received_message(session: Session, *, message_id: int, user_id: int) -> Message:
    message = session.get(Message, message_id)
    if message is None or message.recipient_id != user_id:
        raise NotFound("contact.message_not_found", field="message_id")
    return message


def set_accepts_messages(session: Session, *, user_id: int, accepts: bool, now: datetime) -> Profile:
    """Switch contact on or off; a person without a profile gets a hidden one holding the choice."""
    profile = session.get(Profile, user_id)
    if profile is None:
        profile = Profile(user_id=user_id, visibility="hidden", created_at=now, updated_at=now)
        session.add(profile)
    profile.accepts_messages = bool(accepts)
    profile.updated_at = now
    session.flush()
    return profile


def accepts_messages(session: Session, user_id: int) -> bool:
    profile = session.get(Profile, user_id)
    return profile is None or profile.accepts_messages


# ---------------------------------------------------------------------------------------------------
# Reports and moderation


def report_message(session: Session, *, message_id: int, reporter_id: int, reason: str, now: datetime
                   ) -> MessageReport:
    """The recipient reports a message to the admins (again: the same report, unchanged)."""
    message = received_message(session, message_id=message_id, user_id=reporter_id)
    reason = (reason or "").strip()
    if len(reason) > REPORT_REASON_MAX:
        raise ValidationFailed("contact.report_too_long", field="reason", maximum=REPORT_REASON_MAX)
    existing = session.scalar(sa.select(MessageReport).where(MessageReport.message_id == message.id,
                                                             MessageReport.reporter_id == reporter_id))
    if existing is not None:
        return existing
    report = MessageReport(message_id=message.id, reporter_id=reporter_id, reason=reason, status="open",
                           created_at=now)
    session.add(report)
    session.flush()
    return report


def open_reports(session: Session) -> list[MessageReport]:
    """Open reports, oldest first, with their messages (two queries)."""
    return list(session.scalars(
        sa.select(MessageReport).where(MessageReport.status == "open")
        .options(selectinload(MessageReport.message))
        .order_by(MessageReport.created_at, MessageReport.id)
    ))


def _open_report(session: Session, report_id: int) -> MessageReport:
    report = session.get(MessageReport, report_id)
    if report is None:
        raise NotFound("contact.report_not_found", field="report_id")
    if report.status != "open":
        raise ValidationFailed("contact.report_handled")
    return report


def dismiss_report(session: Session, *, report_id: int, admin_id: int, now: datetime) -> MessageReport:
    report = _open_report(session, report_id)
    report.status, report.handled_by_id, report.handled_at = "dismissed", admin_id, now
    session.flush()
    return report


def suspend_sender(session: Session, *, report_id: int, admin_id: int, reason: str, now: datetime
                   ) -> MessageReport:
    """Stop the reported message's sender from contacting anyone; their other open reports are settled too."""
    report = _open_report(session, report_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("contact.suspension_reason_required", field="reason")
    if len(reason) > REPORT_REASON_MAX:
        raise ValidationFailed("contact.report_too_long", field="reason", maximum=REPORT_REASON_MAX)
    sender_id = report.message.sender_id
    reports = [report]
    if sender_id is not None:
        suspension = session.get(ContactSuspension, sender_id)
        if suspension is None:
            session.add(ContactSuspension(user_id=sender_id, reason=reason, suspended_by_id=admin_id,
                                          created_at=now))
        else:
            suspension.reason, suspension.suspended_by_id, suspension.created_at = reason, admin_id, now
        reports = list(session.scalars(
            sa.select(MessageReport).join(Message, Message.id == MessageReport.message_id)
            .where(Message.sender_id == sender_id, MessageReport.status == "open")))
    for item in reports:
        item.status, item.handled_by_id, item.handled_at = "actioned", admin_id, now
    session.flush()
    return report


def suspensions(session: Session) -> list[tuple[ContactSuspension, str]]:
    """Suspended senders with their names, newest first (one query)."""
    return [(row, name) for row, name in session.execute(
        sa.select(ContactSuspension, User.name).join(User, User.id == ContactSuspension.user_id)
        .order_by(ContactSuspension.created_at.desc()))]


def lift_suspension(session: Session, *, user_id: int) -> None:
    """The person may write again (lifting twice is harmless)."""
    suspension = session.get(ContactSuspension, user_id)
    if suspension is not None:
        session.delete(suspension)
        session.flush()
