"""Issuing certificates: who may have one (candidates and reasons), the snapshot each states, and issuing it
(idempotent) by hand, from the scheduler or as soon as a programme is completed.

Plain functions: they take ids and `now`, flush and never commit, and raise app.errors domain errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.auth.models import User
from app.certificates import i18n
from app.certificates.lookups import (
    CertificateSettings,
    _load_event,
    _programme_organisers,
    _require_actor,
    can_manage_programme,
    current_settings,
    get_programme,
    new_code,
    pdf_url,
    verify_url,
)
from app.certificates.messages import ENROLMENT_REASONS, Day, Moment, Share, Why
from app.certificates.models import Certificate
from app.certificates.pdf import pdf_sha256, render_certificate_pdf
from app.errors import Conflict, ValidationFailed, render_message
from app.events.models import Enrolment, Event

SNAPSHOT_VERSION = 1
AUTO_ISSUE_DELAY = timedelta(hours=1)
AUTO_ISSUE_WINDOW = timedelta(days=30)  # the scheduler looks back this far; organisers can always issue by hand


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
        raise ValidationFailed("certificate.unknown_language", field="language",
                               languages=", ".join(i18n.LANGUAGES), language=language)
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
    """What one run issued, and who was skipped why (a Why each: str() makes the sentence)."""

    issued: list[Certificate] = field(default_factory=list)
    skipped: list[tuple[int, Why]] = field(default_factory=list)

    def extend(self, other: IssueReport) -> None:
        self.issued.extend(other.issued)
        self.skipped.extend(other.skipped)


@dataclass
class Candidate:
    """One person on an event's or programme's certificate list, and whether they can get one now."""

    user: User
    eligible: bool
    reason: Why | None = None  # why not now; a sentence only when shown (str)
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


def _existing_reason(certificate: Certificate | None) -> Why | None:
    if certificate is None:
        return None
    if certificate.revoked_at is None:
        return Why("certificate.why.holds", {"code": certificate.code})
    return Why("certificate.why.revoked", {"code": certificate.code, "revoked_on": Day(certificate.revoked_at.date()),
                                           "reason": certificate.revoke_reason or ""})


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
    blocked = event_issuable_problem(event, now)
    candidates = []
    for enrolment in enrolments:
        certificate = existing.get(enrolment.user_id)
        candidate = Candidate(user=enrolment.user, eligible=False, certificate=certificate,
                              enrolment_id=enrolment.id)
        attendance = summary.get(enrolment.id)
        candidate.reason = _existing_reason(certificate)
        if candidate.reason is None:
            if enrolment.status != "confirmed":
                candidate.reason = Why(ENROLMENT_REASONS.get(enrolment.status, "certificate.why.enrolment_other"),
                                       {"status": enrolment.status})
            elif attendance is None or not attendance.meets_minimum:
                attended = len(attendance.attended) if attendance is not None else 0
                total = attendance.total_units if attendance is not None else 0
                share = round(attendance.share if attendance is not None else 0, 2)
                candidate.reason = Why("certificate.why.attendance", {
                    "attended": attended, "total": total, "share": Share(share),
                    "minimum": Share((event.min_attendance_percent or 0) / 100)})
            elif blocked is not None:
                candidate.reason = Why(*blocked)
            else:
                candidate.eligible = True
        if attendance is not None:
            candidate.hours = _hours(event.hours if event.hours is not None else attendance.hours_attended)
        candidates.append(candidate)
    candidates.sort(key=lambda c: (not c.eligible, c.user.name.casefold(), c.user.id))
    return event, candidates


UNPUBLISHED = {"draft": "certificate.event_draft", "cancelled": "certificate.event_cancelled"}


def event_issuable_problem(event: Event, now: datetime) -> tuple[str, dict] | None:
    """Why no certificate can be issued for the event at all now, as a reason and its values (None when they
    can): the one rule that the issuing service, the organisers' page and the CLI share."""
    if event.status != "published":
        return UNPUBLISHED.get(event.status, "certificate.event_not_published"), {"status": event.status}
    if event.starts_at > now:
        return "certificate.event_not_started", {}
    return None


def event_issuable_reason(event: Event, now: datetime, translate=None) -> str | None:
    """The same, as the sentence the organisers' page and the CLI show (English unless translate is given)."""
    problem = event_issuable_problem(event, now)
    return render_message(*problem, translate=translate) if problem is not None else None


def _check_event_issuable(event: Event, now: datetime) -> None:
    problem = event_issuable_problem(event, now)
    if problem is not None:
        reason, params = problem
        raise ValidationFailed(reason, **params)


def _queue_issued_mail(session: Session, certificate: Certificate, holder: User, now: datetime,
                       settings: CertificateSettings) -> None:
    from app.mail.services import queue_email

    snapshot = certificate.snapshot
    # the holder's own language, even when the organiser chose another one for the certificate itself
    lang = i18n.language_for(holder.language)
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
        raise Conflict("certificate.issuing_clash") from exc


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
                report.skipped.append((candidate.user.id, candidate.reason or Why("certificate.why.not_eligible")))
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
        raise Conflict("certificate.issuing_clash") from exc
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
    programme = get_programme(session, programme_id)
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
                         now: datetime) -> dict[int, Why]:
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
    out: dict[int, Why] = {}
    for user_id, title, ends_at in rows:
        out.setdefault(user_id, Why("certificate.why.unsettled", {"title": title, "ends": Moment(ends_at)}))
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
    programme = get_programme(session, programme_id)
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
                                       or Why("certificate.why.not_eligible")))
                continue
            certificate = _issue_programme_one(session, programme=programme, candidate=candidate, actor=actor,
                                               issuer=issuer, now=now, settings=settings, language=language)
            report.issued.append(certificate)
            if progress is not None:
                progress(certificate)
        _flush_or_conflict(session)
    except IntegrityError as exc:
        raise Conflict("certificate.issuing_clash") from exc
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
