"""Certificates: who may have one, issuing (idempotent), revoking, re-issuing and verifying.

Plain functions: they take ids and `now`, flush and never commit, and raise app.errors domain errors.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import IO
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.auth import rules
from app.auth.models import User
from app.certificates import i18n
from app.certificates.models import Certificate
from app.certificates.pdf import pdf_sha256, render_certificate_pdf
from app.certificates.zipstream import SpooledZipWriter
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.events.models import Enrolment, Event

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols, no 0/O/1/I: 5 bits each
CODE_PREFIX = "CC"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4  # 12 symbols = 60 random bits
SNAPSHOT_VERSION = 1
AUTO_ISSUE_DELAY = timedelta(hours=1)
AUTO_ISSUE_WINDOW = timedelta(days=30)  # the scheduler looks back this far; organisers can always issue by hand
REVOKE_REASON_MAX = 500


# Settings --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CertificateSettings:
    """What a certificate needs from the configuration; frozen into the snapshot at issue."""

    base_url: str = "http://127.0.0.1:5000"
    network_name: str = "Connective Cities"
    font_path: str | None = None

    @classmethod
    def from_config(cls, config) -> CertificateSettings:
        return cls(
            base_url=(config.get("BASE_URL") or cls.base_url).rstrip("/"),
            network_name=config.get("NETWORK_NAME") or cls.network_name,
            font_path=config.get("CERTIFICATE_FONT_PATH") or None,
        )


def current_settings(settings: CertificateSettings | None = None) -> CertificateSettings:
    """The given settings, else the running app's (jobs and CLI run inside an app context)."""
    if settings is not None:
        return settings
    from flask import current_app, has_app_context

    if has_app_context():
        return CertificateSettings.from_config(current_app.config)
    return CertificateSettings()


def verify_url(settings: CertificateSettings, code: str) -> str:
    return f"{settings.base_url}/verify/{code}"


def pdf_url(settings: CertificateSettings, code: str) -> str:
    return f"{settings.base_url}/certificates/{code}.pdf"


# Codes -----------------------------------------------------------------------------------------------

def new_code() -> str:
    """A random public code like CC-7KQ2-M9XD-4HTP (60 bits from the OS's CSPRNG)."""
    symbols = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    groups = [symbols[i:i + CODE_GROUP_LENGTH] for i in range(0, len(symbols), CODE_GROUP_LENGTH)]
    return "-".join([CODE_PREFIX, *groups])


def normalise_code(raw: str | None) -> str | None:
    """The canonical code for what someone typed (any case, with or without hyphens/spaces), else None."""
    if not raw:
        return None
    cleaned = "".join(ch for ch in raw.upper() if ch.isalnum())
    body_length = CODE_GROUPS * CODE_GROUP_LENGTH
    if len(cleaned) == body_length + len(CODE_PREFIX) and cleaned.startswith(CODE_PREFIX):
        cleaned = cleaned[len(CODE_PREFIX):]
    if len(cleaned) != body_length or any(ch not in CODE_ALPHABET for ch in cleaned):
        return None
    groups = [cleaned[i:i + CODE_GROUP_LENGTH] for i in range(0, body_length, CODE_GROUP_LENGTH)]
    return "-".join([CODE_PREFIX, *groups])


# Reading ---------------------------------------------------------------------------------------------

def find_certificate(session: Session, code: str | None) -> Certificate | None:
    canonical = normalise_code(code)
    if canonical is None:
        return None
    return session.scalar(
        sa.select(Certificate).where(Certificate.code == canonical)
        .options(selectinload(Certificate.replaced_by), selectinload(Certificate.replaces))
    )


def get_certificate(session: Session, code: str | None) -> Certificate:
    """The certificate with this code (NotFound otherwise)."""
    certificate = find_certificate(session, code)
    if certificate is None:
        raise NotFound("No certificate has this code.", field="code")
    return certificate


def find_by_pdf(session: Session, data: bytes) -> Certificate | None:
    """The certificate whose original PDF has exactly these bytes, if any."""
    digest = hashlib.sha256(data).hexdigest()
    return session.scalar(
        sa.select(Certificate).where(Certificate.pdf_sha256 == digest).order_by(Certificate.id.desc()).limit(1)
    )


def list_holder_certificates(session: Session, user_id: int) -> list[Certificate]:
    """A person's certificates, newest first (valid and revoked)."""
    return list(session.scalars(
        sa.select(Certificate).where(Certificate.holder_id == user_id)
        .options(selectinload(Certificate.replaced_by))
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    ))


def list_target_certificates(session: Session, *, event_id: int | None = None,
                             programme_id: int | None = None) -> list[Certificate]:
    """Every certificate of an event or programme, holders loaded, by holder name then newest first."""
    query = sa.select(Certificate).join(User, User.id == Certificate.holder_id).options(
        selectinload(Certificate.holder), selectinload(Certificate.replaced_by)
    )
    if event_id is not None:
        query = query.where(Certificate.event_id == event_id)
    else:
        query = query.where(Certificate.programme_id == programme_id)
    return list(session.scalars(query.order_by(User.name, Certificate.issued_at.desc(), Certificate.id.desc())))


def render_pdf(certificate: Certificate, settings: CertificateSettings | None = None) -> bytes:
    """The certificate's PDF, rendered from its snapshot (the same bytes as at issue)."""
    return render_certificate_pdf(certificate.snapshot, font_path=current_settings(settings).font_path)


def active_certificate_reason(session: Session, *, user_id: int, event_id: int | None = None,
                              programme_id: int | None = None) -> str | None:
    """Why a change would contradict a valid certificate of this person on the event/programme, else None."""
    if event_id is None and programme_id is None:
        return None
    conditions = []
    if event_id is not None:
        conditions.append(Certificate.event_id == event_id)
    if programme_id is not None:
        conditions.append(Certificate.programme_id == programme_id)
    certificate = session.scalar(
        sa.select(Certificate).where(
            Certificate.holder_id == user_id, Certificate.revoked_at.is_(None), sa.or_(*conditions)
        ).limit(1)
    )
    if certificate is None:
        return None
    what = "event" if certificate.kind == "event" else "programme"
    return (f"Certificate {certificate.code} (issued {certificate.issued_at:%Y-%m-%d}) stands on this {what}; "
            "revoke it first.")


# Authorisation ---------------------------------------------------------------------------------------

def _load_event(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id, options=[selectinload(Event.organisers)])
    if event is None:
        raise NotFound("No such event.")
    return event


def _load_programme(session: Session, programme_id: int):
    from app.learning.models import Programme

    programme = session.get(Programme, programme_id)
    if programme is None:
        raise NotFound("No such programme.")
    return programme


def _programme_organisers(programme) -> list[User]:
    organisers = getattr(programme, "organisers", None)
    if organisers:
        return list(organisers)
    creator = getattr(programme, "created_by", None)
    return [creator] if creator is not None else []


def can_manage_programme(programme, user: User | None) -> bool:
    """Admins, and the programme's organisers while they hold the organiser role (app.auth.rules)."""
    return rules.can_manage_programme(user, programme)


def can_manage_certificate(session: Session, certificate: Certificate, user: User | None) -> bool:
    """Admins and the organisers of the certificate's event or programme."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role == "admin":
        return True
    if certificate.kind == "event":
        return rules.can_manage_event(user, _load_event(session, certificate.event_id))
    return can_manage_programme(_load_programme(session, certificate.programme_id), user)


def can_download(session: Session, certificate: Certificate, user: User | None) -> bool:
    """The holder, the event's or programme's organisers and admins."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return certificate.holder_id == user.id or can_manage_certificate(session, certificate, user)


def _require_actor(session: Session, actor_id: int | None, allowed: Callable[[User], bool]) -> User | None:
    if actor_id is None:  # the scheduler or the CLI
        return None
    actor = session.get(User, actor_id)
    if actor is None or not allowed(actor):
        raise Forbidden("Only the organisers and admins can manage these certificates.")
    return actor


# Snapshots -------------------------------------------------------------------------------------------

def _hours(value) -> float:
    return round(float(value or 0), 2)


def _issuer(actor: User | None, organisers: Iterable[User], settings: CertificateSettings) -> tuple[str, str]:
    person = actor or next(iter(organisers), None)
    if person is None:
        return settings.network_name, ""
    organisation = person.organisation.name if person.organisation is not None else ""
    return person.name, organisation


def _local_date(moment: datetime, zone: str | None) -> str:
    try:
        tz = ZoneInfo(zone or "UTC")
    except (KeyError, ValueError):
        tz = ZoneInfo("UTC")
    return moment.astimezone(tz).date().isoformat()


def certificate_language(language: str | None) -> str | None:
    """The language an organiser chose for the certificates (None: each holder's own); refused if unknown."""
    if language is None or language == "":
        return None
    if language not in i18n.LANGUAGES:
        raise ValidationFailed(f"Certificates can be issued in {', '.join(i18n.LANGUAGES)}; not {language!r}.",
                               field="language")
    return language


def event_snapshot(*, event: Event, holder: User, hours: float, code: str, issuer: tuple[str, str], now: datetime,
                   settings: CertificateSettings, language: str | None = None) -> dict:
    """Everything an event certificate states, as plain data (in `language`, else the holder's)."""
    lang = language or i18n.language_for(holder.language)
    online = bool(event.online_url) and not event.city
    last_moment = max(event.starts_at, event.ends_at - timedelta(seconds=1))
    return {
        "version": SNAPSHOT_VERSION,
        "network": settings.network_name,
        "kind": "event",
        "language": lang,
        "code": code,
        "verify_url": verify_url(settings, code),
        "holder_name": holder.name,
        "title": event.title,
        "format": event.format,
        "start_date": _local_date(event.starts_at, event.timezone),
        "end_date": _local_date(last_moment, event.timezone),
        "timezone": event.timezone,
        "online": online,
        "city": "" if online else event.city,
        "country": None if online else event.country,
        "country_name": "" if online else i18n.country_name(event.country, lang),
        "hours": _hours(hours),
        "modules": [],
        "issuer_name": issuer[0],
        "issuer_organisation": issuer[1],
        "issued_on": _local_date(now, event.timezone),
    }


def programme_snapshot(*, programme, holder: User, hours: float, completed_at: datetime | None,
                       modules: list[tuple[str, float]], code: str, issuer: tuple[str, str], now: datetime,
                       settings: CertificateSettings, language: str | None = None) -> dict:
    """Everything a programme certificate states, as plain data (in `language`, else the holder's)."""
    lang = language or i18n.language_for(holder.language)
    return {
        "version": SNAPSHOT_VERSION,
        "network": settings.network_name,
        "kind": "programme",
        "language": lang,
        "code": code,
        "verify_url": verify_url(settings, code),
        "holder_name": holder.name,
        "title": programme.title,
        "format": "programme",
        "completed_on": _local_date(completed_at, holder.timezone) if completed_at else None,
        "online": False,
        "city": "",
        "country": None,
        "country_name": "",
        "hours": _hours(hours),
        "modules": [{"title": title, "hours": _hours(h)} for title, h in modules],
        "issuer_name": issuer[0],
        "issuer_organisation": issuer[1],
        "issued_on": _local_date(now, holder.timezone),
    }


# Issuing ---------------------------------------------------------------------------------------------

@dataclass
class IssueReport:
    issued: list[Certificate] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)

    def extend(self, other: IssueReport) -> None:
        self.issued.extend(other.issued)
        self.skipped.extend(other.skipped)


@dataclass
class Candidate:
    """One person on an event's or programme's certificate list, and whether they can get one now."""

    user: User
    eligible: bool
    reason: str | None = None
    hours: float | None = None
    certificate: Certificate | None = None  # the valid one, or the latest revoked one
    enrolment_id: int | None = None
    completion: object | None = None


def _certificates_by_holder(certificates: Iterable[Certificate]) -> dict[int, Certificate]:
    """Per holder: the valid certificate, else the newest revoked one that nothing replaced."""
    by_holder: dict[int, Certificate] = {}
    for certificate in sorted(certificates, key=lambda c: c.id):
        current = by_holder.get(certificate.holder_id)
        if current is None or current.revoked_at is not None:
            by_holder[certificate.holder_id] = certificate
    return by_holder


def _existing_reason(certificate: Certificate | None) -> str | None:
    if certificate is None:
        return None
    if certificate.revoked_at is None:
        return f"already holds certificate {certificate.code}"
    return (f"certificate {certificate.code} was revoked on {certificate.revoked_at:%Y-%m-%d}"
            f" ({certificate.revoke_reason}); re-issue it from that certificate if it should stand")


def _attendance_summary(session: Session, event_id: int) -> dict:
    from app.events.services import attendance_summary

    return attendance_summary(session, event_id)


def event_candidates(session: Session, *, event_id: int, now: datetime) -> tuple[Event, list[Candidate]]:
    """Everyone enrolled in the event, eligible or not (with the reason), by name."""
    event = _load_event(session, event_id)
    enrolments = list(session.scalars(
        sa.select(Enrolment).where(Enrolment.event_id == event_id)
        .options(selectinload(Enrolment.user).joinedload(User.organisation))
    ))
    summary = _attendance_summary(session, event_id)
    existing = _certificates_by_holder(session.scalars(
        sa.select(Certificate).where(Certificate.event_id == event_id)
    ))
    blocked = event_issuable_reason(event, now)
    candidates = []
    for enrolment in enrolments:
        certificate = existing.get(enrolment.user_id)
        candidate = Candidate(user=enrolment.user, eligible=False, certificate=certificate,
                              enrolment_id=enrolment.id)
        attendance = summary.get(enrolment.id)
        candidate.reason = _existing_reason(certificate)
        if candidate.reason is None:
            if enrolment.status != "confirmed":
                candidate.reason = f"enrolment is {enrolment.status}, not confirmed"
            elif attendance is None or not attendance.meets_minimum:
                attended = len(attendance.attended) if attendance is not None else 0
                total = attendance.total_units if attendance is not None else 0
                share = round(100 * (attendance.share if attendance is not None else 0))
                candidate.reason = (f"attended {attended} of {total} ({share}%); "
                                    f"the minimum is {event.min_attendance_percent}%")
            elif blocked is not None:
                candidate.reason = blocked
            else:
                candidate.eligible = True
        if attendance is not None:
            candidate.hours = _hours(event.hours if event.hours is not None else attendance.hours_attended)
        candidates.append(candidate)
    candidates.sort(key=lambda c: (not c.eligible, c.user.name.casefold(), c.user.id))
    return event, candidates


def event_issuable_reason(event: Event, now: datetime) -> str | None:
    """Why no certificate can be issued for the event at all now (None when they can): the one rule that the
    issuing service, the organisers' page and the CLI share."""
    if event.status != "published":
        return f"Certificates are only issued for published events (this one is {event.status})."
    if event.starts_at > now:
        return "The event has not started yet; certificates come after attendance."
    return None


def _check_event_issuable(event: Event, now: datetime) -> None:
    reason = event_issuable_reason(event, now)
    if reason is not None:
        raise ValidationFailed(reason)


def _queue_issued_mail(session: Session, certificate: Certificate, holder: User, now: datetime,
                       settings: CertificateSettings) -> None:
    from app.mail.services import queue_email

    snapshot = certificate.snapshot
    lang = snapshot["language"]
    body = i18n.text(
        lang, "mail.body", name=holder.name, kind=i18n.text(lang, f"mail.kind.{certificate.kind}"),
        title=snapshot["title"], pdf_url=pdf_url(settings, certificate.code),
        verify_url=snapshot["verify_url"], code=certificate.code, network=snapshot["network"],
    )
    queue_email(
        session, to=holder.email, to_name=holder.name, now=now, kind="certificate_issued", user_id=holder.id,
        subject=i18n.text(lang, "mail.subject", title=snapshot["title"]), text=body,
    )


def _create(session: Session, *, kind: str, holder: User, snapshot: dict, hours: float, actor: User | None,
            now: datetime, settings: CertificateSettings, event_id: int | None = None,
            programme_id: int | None = None, replaces: Certificate | None = None) -> Certificate:
    pdf = render_certificate_pdf(snapshot, font_path=settings.font_path)
    certificate = Certificate(
        code=snapshot["code"], kind=kind, holder_id=holder.id, event_id=event_id, programme_id=programme_id,
        hours=Decimal(str(_hours(hours))), language=snapshot["language"], issued_at=now,
        issued_by_id=actor.id if actor is not None else None, snapshot=snapshot, pdf_sha256=pdf_sha256(pdf),
    )
    if replaces is not None:
        certificate.replaces = replaces  # keeps replaces.replaced_by in step
    session.add(certificate)
    _queue_issued_mail(session, certificate, holder, now, settings)  # flushes the certificate too
    return certificate


def _flush_or_conflict(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict("Certificates for the same people are being issued at this moment; try again.") from exc


def issue_event_certificates(session: Session, *, event_id: int, actor_id: int | None, now: datetime,
                             settings: CertificateSettings | None = None,
                             progress: Callable[[Certificate], None] | None = None,
                             language: str | None = None) -> IssueReport:
    """Issue a certificate to everyone eligible who has none yet; report who was skipped and why.
    language: the organiser's choice for all of them (None: each holder's own language)."""
    settings = current_settings(settings)
    language = certificate_language(language)
    event = _load_event(session, event_id)
    actor = _require_actor(session, actor_id, event.is_organised_by)
    _check_event_issuable(event, now)
    _, candidates = event_candidates(session, event_id=event_id, now=now)
    issuer = _issuer(actor, event.organisers, settings)
    report = IssueReport()
    try:
        for candidate in candidates:
            if not candidate.eligible:
                report.skipped.append((candidate.user.id, candidate.reason or "not eligible"))
                continue
            code = new_code()
            snapshot = event_snapshot(event=event, holder=candidate.user, hours=candidate.hours, code=code,
                                      issuer=issuer, now=now, settings=settings, language=language)
            certificate = _create(session, kind="event", holder=candidate.user, snapshot=snapshot,
                                  hours=candidate.hours, actor=actor, now=now, settings=settings,
                                  event_id=event.id)
            report.issued.append(certificate)
            if progress is not None:
                progress(certificate)
        _flush_or_conflict(session)
    except IntegrityError as exc:
        raise Conflict("Certificates for the same people are being issued at this moment; try again.") from exc
    return report


def _completions(session: Session, programme_id: int, user_ids: Iterable[int] | None = None) -> list:
    from app.learning.models import ProgrammeCompletion

    query = sa.select(ProgrammeCompletion).where(ProgrammeCompletion.programme_id == programme_id)
    if user_ids is not None:
        query = query.where(ProgrammeCompletion.user_id.in_(list(user_ids)))
    return list(session.scalars(query.order_by(ProgrammeCompletion.id)))


def _completed_modules(session: Session, *, user_id: int, programme_id: int) -> list[tuple[str, float]]:
    from app.learning.services import completed_modules

    return [(title, float(hours or 0)) for title, hours in
            completed_modules(session, user_id=user_id, programme_id=programme_id)]


def programme_candidates(session: Session, *, programme_id: int,
                         user_ids: Iterable[int] | None = None) -> tuple[object, list[Candidate]]:
    """Everyone who completed the programme (or those of user_ids), and whether a certificate can be issued now."""
    programme = _load_programme(session, programme_id)
    completions = _completions(session, programme_id, user_ids)
    users = {u.id: u for u in session.scalars(
        sa.select(User).where(User.id.in_([c.user_id for c in completions]))
    )} if completions else {}
    existing_query = sa.select(Certificate).where(Certificate.programme_id == programme_id)
    if user_ids is not None:
        existing_query = existing_query.where(Certificate.holder_id.in_([c.user_id for c in completions]))
    existing = _certificates_by_holder(session.scalars(existing_query))
    candidates = []
    for completion in completions:
        certificate = existing.get(completion.user_id)
        reason = _existing_reason(certificate)
        candidates.append(Candidate(user=users[completion.user_id], eligible=reason is None, reason=reason,
                                    hours=_hours(completion.hours), certificate=certificate,
                                    completion=completion))
    candidates.sort(key=lambda c: (not c.eligible, c.user.name.casefold(), c.user.id))
    return programme, candidates


def unsettled_attendance(session: Session, *, programme_id: int, user_ids: Iterable[int],
                         now: datetime) -> dict[int, str]:
    """Per holder, why their completion is not final yet: it rests on attendance at an event that has not ended
    an hour ago (the grace event certificates get too, so a mistaken check-in can still be undone)."""
    from app.learning.models import Module, ModuleCompletion

    user_ids = list(user_ids)
    if not user_ids:
        return {}
    rows = session.execute(
        sa.select(ModuleCompletion.user_id, Event.title, Event.ends_at)
        .join(Module, Module.id == ModuleCompletion.module_id)
        .join(Event, Event.id == ModuleCompletion.event_id)
        .where(Module.programme_id == programme_id, ModuleCompletion.user_id.in_(user_ids),
               ModuleCompletion.source == "attendance", Event.ends_at > now - AUTO_ISSUE_DELAY)
        .order_by(Event.ends_at.desc())
    )
    out: dict[int, str] = {}
    for user_id, title, ends_at in rows:
        out.setdefault(user_id, f"completed through attendance at \"{title}\" (ends {ends_at:%Y-%m-%d %H:%M} UTC); "
                                "the certificate follows automatically an hour after it ends")
    return out


def issue_programme_certificates(session: Session, *, programme_id: int, actor_id: int | None, now: datetime,
                                 settings: CertificateSettings | None = None,
                                 progress: Callable[[Certificate], None] | None = None,
                                 user_ids: Iterable[int] | None = None,
                                 settled_only: bool = False, language: str | None = None) -> IssueReport:
    """Issue a completion certificate to everyone who completed the programme (or those of user_ids) and has none
    yet; settled_only (the automatic paths) waits until the attendance a completion rests on is over.
    language: the organiser's choice for all of them (None: each holder's own language)."""
    settings = current_settings(settings)
    language = certificate_language(language)
    programme = _load_programme(session, programme_id)
    actor = _require_actor(session, actor_id, lambda user: can_manage_programme(programme, user))
    _, candidates = programme_candidates(session, programme_id=programme_id, user_ids=user_ids)
    unsettled = {}
    if settled_only:
        unsettled = unsettled_attendance(session, programme_id=programme_id, now=now,
                                         user_ids=[c.user.id for c in candidates if c.eligible])
    issuer = _issuer(actor, _programme_organisers(programme), settings)
    report = IssueReport()
    try:
        for candidate in candidates:
            if not candidate.eligible or candidate.user.id in unsettled:
                report.skipped.append((candidate.user.id, candidate.reason or unsettled.get(candidate.user.id)
                                       or "not eligible"))
                continue
            certificate = _issue_programme_one(session, programme=programme, candidate=candidate, actor=actor,
                                               issuer=issuer, now=now, settings=settings, language=language)
            report.issued.append(certificate)
            if progress is not None:
                progress(certificate)
        _flush_or_conflict(session)
    except IntegrityError as exc:
        raise Conflict("Certificates for the same people are being issued at this moment; try again.") from exc
    return report


def _issue_programme_one(session: Session, *, programme, candidate: Candidate, actor: User | None,
                         issuer: tuple[str, str], now: datetime, settings: CertificateSettings,
                         replaces: Certificate | None = None, language: str | None = None) -> Certificate:
    modules = _completed_modules(session, user_id=candidate.user.id, programme_id=programme.id)
    code = new_code()
    completion = candidate.completion
    snapshot = programme_snapshot(
        programme=programme, holder=candidate.user, hours=candidate.hours,
        completed_at=getattr(completion, "completed_at", None), modules=modules, code=code, issuer=issuer,
        now=now, settings=settings, language=language,
    )
    return _create(session, kind="programme", holder=candidate.user, snapshot=snapshot, hours=candidate.hours,
                   actor=actor, now=now, settings=settings, programme_id=programme.id, replaces=replaces)


def issue_due_certificates(session: Session, *, now: datetime,
                           settings: CertificateSettings | None = None) -> IssueReport:
    """For the scheduler: events that ended at least an hour ago (auto_certificates on) and programme completions
    the receiver had to defer (or missed), once the attendance they rest on is an hour over."""
    from app.learning.models import ProgrammeCompletion

    settings = current_settings(settings)
    report = IssueReport()
    # only events where a confirmed participant has no certificate at all (valid or revoked) yet
    uncertified = (
        sa.select(Enrolment.id).where(
            Enrolment.event_id == Event.id, Enrolment.status == "confirmed",
            ~sa.exists().where(Certificate.event_id == Event.id, Certificate.holder_id == Enrolment.user_id),
        ).exists()
    )
    event_ids = session.scalars(
        sa.select(Event.id).where(
            Event.status == "published", Event.auto_certificates.is_(True),
            Event.ends_at <= now - AUTO_ISSUE_DELAY, Event.ends_at > now - AUTO_ISSUE_WINDOW, uncertified,
        ).order_by(Event.ends_at, Event.id)
    ).all()
    for event_id in event_ids:
        report.extend(issue_event_certificates(session, event_id=event_id, actor_id=None, now=now,
                                               settings=settings))
    programme_ids = session.scalars(
        sa.select(ProgrammeCompletion.programme_id).where(
            ~sa.exists().where(Certificate.programme_id == ProgrammeCompletion.programme_id,
                               Certificate.holder_id == ProgrammeCompletion.user_id)
        ).distinct().order_by(ProgrammeCompletion.programme_id)
    ).all()
    for programme_id in programme_ids:
        report.extend(issue_programme_certificates(session, programme_id=programme_id, actor_id=None, now=now,
                                                   settings=settings, settled_only=True))
    return report


def issue_completion_certificate(session: Session, *, programme_id: int, user_id: int, now: datetime,
                                 settings: CertificateSettings | None = None) -> Certificate | None:
    """The certificate (and its email) for a completion just recorded, at once; None when the person already has
    one (valid or revoked), when the attendance it rests on is not over yet (the scheduler issues it later), or
    when a concurrent request issued it first. Runs in a savepoint, so the caller's transaction never breaks."""
    try:
        with session.begin_nested():
            report = issue_programme_certificates(session, programme_id=programme_id, actor_id=None, now=now,
                                                  settings=settings, user_ids=[user_id], settled_only=True)
    except Conflict:
        return None
    return report.issued[0] if report.issued else None


# Revoking and re-issuing -----------------------------------------------------------------------------

def _lock_certificate(session: Session, code: str) -> Certificate:
    canonical = normalise_code(code)
    certificate = None
    if canonical is not None:
        certificate = session.scalar(
            sa.select(Certificate).where(Certificate.code == canonical).with_for_update()
        )
    if certificate is None:
        raise NotFound("No certificate has this code.", field="code")
    return certificate


def revoke_certificate(session: Session, *, code: str, actor_id: int | None, reason: str | None,
                       now: datetime) -> Certificate:
    """Revoke a valid certificate, with a reason shown on the verification page."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Give the reason for revoking; it is shown to anyone who verifies.", field="reason")
    if len(reason) > REVOKE_REASON_MAX:
        raise ValidationFailed(f"Keep the reason under {REVOKE_REASON_MAX} characters.", field="reason")
    certificate = _lock_certificate(session, code)
    _require_actor(session, actor_id, lambda user: can_manage_certificate(session, certificate, user))
    if certificate.revoked_at is not None:
        raise Conflict(f"Certificate {certificate.code} was already revoked on {certificate.revoked_at:%Y-%m-%d}.")
    certificate.revoked_at = now
    certificate.revoke_reason = reason
    certificate.revoked_by_id = actor_id
    session.flush()
    return certificate


def reissue_certificate(session: Session, *, code: str, actor_id: int | None, now: datetime,
                        settings: CertificateSettings | None = None) -> Certificate:
    """A new certificate (new code) from today's data, e.g. after a name correction; the old one is revoked."""
    settings = current_settings(settings)
    old = _lock_certificate(session, code)
    actor = _require_actor(session, actor_id, lambda user: can_manage_certificate(session, old, user))
    if old.replaced_by is not None:
        raise Conflict(f"Certificate {old.code} was already replaced by {old.replaced_by.code}.")
    holder = session.get(User, old.holder_id)
    valid_other = session.scalar(
        sa.select(Certificate.code).where(
            Certificate.holder_id == old.holder_id, Certificate.revoked_at.is_(None), Certificate.id != old.id,
            Certificate.event_id == old.event_id if old.kind == "event"
            else Certificate.programme_id == old.programme_id,
        )
    )
    if valid_other is not None:
        raise Conflict(f"{holder.name} already holds the valid certificate {valid_other}.")
    code_new = new_code()
    if old.revoked_at is None:
        old.revoked_at = now
        old.revoked_by_id = actor_id
        old.revoke_reason = f"Replaced by {code_new}"
    session.flush()  # the old one is no longer valid before the new one takes its place
    if old.kind == "event":
        event = _load_event(session, old.event_id)
        hours = old.hours
        if event.hours is not None:
            hours = event.hours
        else:
            enrolment_id = session.scalar(sa.select(Enrolment.id).where(
                Enrolment.event_id == event.id, Enrolment.user_id == holder.id))
            attendance = _attendance_summary(session, event.id).get(enrolment_id)
            if attendance is not None and attendance.hours_attended:
                hours = attendance.hours_attended
        snapshot = event_snapshot(event=event, holder=holder, hours=_hours(hours), code=code_new,
                                  issuer=_issuer(actor, event.organisers, settings), now=now, settings=settings)
        new = _create(session, kind="event", holder=holder, snapshot=snapshot, hours=_hours(hours), actor=actor,
                      now=now, settings=settings, event_id=event.id, replaces=old)
    else:
        programme = _load_programme(session, old.programme_id)
        completion = next(iter(_completions(session, programme.id, [holder.id])), None)
        hours = completion.hours if completion is not None else old.hours
        candidate = Candidate(user=holder, eligible=True, hours=_hours(hours), completion=completion)
        new = _issue_programme_one(session, programme=programme, candidate=candidate, actor=actor,
                                   issuer=_issuer(actor, _programme_organisers(programme), settings), now=now,
                                   settings=settings, replaces=old)
    _flush_or_conflict(session)
    return new


# Export ----------------------------------------------------------------------------------------------

def export_certificates_zip(session: Session, *, out: IO[bytes], event_id: int | None = None,
                            programme_id: int | None = None, include_revoked: bool = False,
                            now: datetime | None = None, settings: CertificateSettings | None = None,
                            progress: Callable[[str], None] | None = None) -> int:
    """Write every certificate's PDF of an event/programme into a ZIP on `out`, one at a time; returns the count.

    Rows are streamed in batches, each PDF is dropped once written and the ZIP's central directory is spooled
    to a temporary file, so memory stays flat however many certificates there are.
    """
    settings = current_settings(settings)
    query = sa.select(Certificate.code, Certificate.snapshot).where(
        _export_filter(session, event_id, programme_id, include_revoked)
    ).order_by(Certificate.id)
    with SpooledZipWriter(out, modified=now) as archive:
        for code, snapshot in session.execute(query.execution_options(yield_per=100)):
            data = render_certificate_pdf(snapshot, font_path=settings.font_path)
            archive.write(zip_name(code, snapshot), data)
            del data
            if progress is not None:
                progress(code)
        return archive.count


def _export_filter(session: Session, event_id: int | None, programme_id: int | None, include_revoked: bool):
    if (event_id is None) == (programme_id is None):
        raise ValidationFailed("Name exactly one event or programme to export.")
    if event_id is not None:
        _load_event(session, event_id)
        condition = Certificate.event_id == event_id
    else:
        _load_programme(session, programme_id)
        condition = Certificate.programme_id == programme_id
    if not include_revoked:
        condition = sa.and_(condition, Certificate.revoked_at.is_(None))
    return condition


def count_certificates(session: Session, *, event_id: int | None = None, programme_id: int | None = None,
                       include_revoked: bool = False) -> int:
    """How many certificates an export of this event/programme would write."""
    condition = _export_filter(session, event_id, programme_id, include_revoked)
    return session.scalar(sa.select(sa.func.count(Certificate.id)).where(condition)) or 0


def zip_name(code: str, snapshot: dict) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in snapshot.get("holder_name", "")).strip("-")
    while "--" in safe:
        safe = safe.replace("--", "-")
    return f"{code}-{safe[:60] or 'certificate'}.pdf"


# Presenting ------------------------------------------------------------------------------------------

def certificate_facts(certificate: Certificate, *, lang: str = "en") -> dict:
    """What the certificate states plus its status, as display-ready data (pages and the JSON API)."""
    from datetime import date

    from app.certificates.pdf import place_line

    snapshot = certificate.snapshot
    if snapshot["kind"] == "event":
        start = date.fromisoformat(snapshot["start_date"])
        end = date.fromisoformat(snapshot.get("end_date") or snapshot["start_date"])
        dates = i18n.format_date_range(start, end, lang)
    else:
        completed = snapshot.get("completed_on")
        dates = i18n.format_date(date.fromisoformat(completed), lang) if completed else ""
    place_snapshot = dict(snapshot)
    if snapshot.get("country"):
        place_snapshot["country_name"] = i18n.country_name(snapshot["country"], lang)
    replaced_by = certificate.replaced_by
    return {
        "code": certificate.code,
        "valid": certificate.revoked_at is None,
        "status": certificate.status,
        "kind": certificate.kind,
        "kind_label": i18n.text(lang, f"title.{certificate.kind}"),
        "holder": snapshot["holder_name"],
        "title": snapshot["title"],
        "format": snapshot.get("format"),
        "format_label": i18n.text(lang, f"format.{snapshot.get('format') or certificate.kind}"),
        "dates": dates,
        "start_date": snapshot.get("start_date"),
        "end_date": snapshot.get("end_date"),
        "completed_on": snapshot.get("completed_on"),
        "online": bool(snapshot.get("online")),
        "place": place_line(place_snapshot, lang),
        "hours": snapshot["hours"],
        "hours_label": i18n.format_hours(snapshot["hours"], lang),
        "modules": [{"title": m["title"], "hours": m["hours"], "hours_label": i18n.format_hours(m["hours"], lang)}
                    for m in snapshot.get("modules") or []],
        "issuer": {"name": snapshot.get("issuer_name"), "organisation": snapshot.get("issuer_organisation") or None},
        "network": snapshot.get("network"),
        "issued_on": snapshot["issued_on"],
        "issued_at": certificate.issued_at.isoformat(),
        "revoked_at": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
        "revoked_on": certificate.revoked_at.date().isoformat() if certificate.revoked_at else None,
        "revoke_reason": certificate.revoke_reason,
        "replaced_by": replaced_by.code if replaced_by is not None else None,
        "replaces": certificate.replaces.code if certificate.replaces_id is not None else None,
        "language": snapshot.get("language"),
        "sha256": certificate.pdf_sha256,
        "verify_url": snapshot["verify_url"],
    }
