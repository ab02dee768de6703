"""What the platform holds about one person, as JSON: one exporter per kind of data, in a registry.

Each exporter is `fn(session, user_id) -> JSON-able value` and answers with one or two queries whatever the
person's history, so the whole export takes a constant number of queries. Packages this one may import
register here; data of packages that arrive later (messages, interests) is wired by adding a line to
`_register_defaults` (app.account sits above app.people, so it may import their exporter), never by a lower
package importing this one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from app.account.invitation_models import Invitation
from app.auth.models import ApiToken, User
from app.certificates.models import Certificate
from app.events.models import Checkin, Enrolment, Event, event_organiser
from app.learning.models import (
    Module,
    ModuleCompletion,
    Programme,
    ProgrammeCompletion,
    ProgrammeParticipant,
    Submission,
    programme_organiser,
)
from app.people.models import Profile
from app.practices.models import Practice, PracticeInterest

Exporter = Callable[[Session, int], Any]

EXPORTERS: dict[str, Exporter] = {}
FORMAT_VERSION = 1


def register_exporter(name: str, fn: Exporter) -> None:
    """Add (or replace) the exporter of one section of the export; `name` is its key in the JSON."""
    EXPORTERS[name] = fn


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def export_user_data(session: Session, user_id: int, *, now: datetime) -> dict[str, Any]:
    """Everything about the person, section by section, in the registry's order."""
    data: dict[str, Any] = {"format_version": FORMAT_VERSION, "exported_at": now.isoformat()}
    for name, fn in EXPORTERS.items():
        data[name] = fn(session, user_id)
    return data


# ---------------------------------------------------------------------------------------------------
# The sections this package knows


def export_account(session: Session, user_id: int) -> dict[str, Any]:
    user = session.get(User, user_id)
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "organisation": ({"id": user.organisation.id, "name": user.organisation.name}
                         if user.organisation is not None else None),
        "country": user.country,
        "timezone": user.timezone,
        "language": user.language,
        "created_at": _iso(user.created_at),
        # the calendar feed's address is a secret: only whether there is one
        "has_calendar_feed": user.calendar_token is not None,
    }


def export_profile(session: Session, user_id: int) -> dict[str, Any] | None:
    profile = session.scalar(sa.select(Profile).where(Profile.user_id == user_id)
                             .options(selectinload(Profile.topics), selectinload(Profile.target_rows)))
    if profile is None:
        return None
    return {
        "visibility": profile.visibility,
        "position": profile.position,
        "city": profile.city,
        "bio": profile.bio,
        "languages": list(profile.languages or []),
        "expertise_topics": [t.slug for t in profile.topics],
        "expertise_sdg_targets": profile.sdg_targets,
        "has_photo": profile.photo_key is not None,
        "shows_events": profile.shows_events,
        "shows_certificates": profile.shows_certificates,
        "accepts_messages": profile.accepts_messages,
        "created_at": _iso(profile.created_at),
        "updated_at": _iso(profile.updated_at),
    }


def export_enrolments(session: Session, user_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        sa.select(Enrolment, Event.title, Event.starts_at, Event.ends_at)
        .join(Event, Event.id == Enrolment.event_id)
        .where(Enrolment.user_id == user_id).order_by(Event.starts_at, Enrolment.id)
    ).all()
    checkins: dict[int, list[dict[str, Any]]] = {}
    for checkin in session.scalars(
        sa.select(Checkin).join(Enrolment, Enrolment.id == Checkin.enrolment_id)
        .where(Enrolment.user_id == user_id).order_by(Checkin.checked_in_at, Checkin.id)
    ):
        checkins.setdefault(checkin.enrolment_id, []).append({
            "session_id": checkin.session_id, "day": _iso(checkin.day),
            "checked_in_at": _iso(checkin.checked_in_at), "method": checkin.method,
        })
    return [{
        "event_id": enrolment.event_id,
        "event_title": title,
        "event_starts_at": _iso(starts_at),
        "event_ends_at": _iso(ends_at),
        "status": enrolment.status,
        "ticket_code": enrolment.ticket_code,
        "note": enrolment.note,
        "cancel_reason": enrolment.cancel_reason,
        "created_at": _iso(enrolment.created_at),
        "confirmed_at": _iso(enrolment.confirmed_at),
        "cancelled_at": _iso(enrolment.cancelled_at),
        "attendance": checkins.get(enrolment.id, []),
    } for enrolment, title, starts_at, ends_at in rows]


def export_learning(session: Session, user_id: int) -> dict[str, Any]:
    joined = session.execute(
        sa.select(ProgrammeParticipant.programme_id, Programme.title, ProgrammeParticipant.joined_at)
        .join(Programme, Programme.id == ProgrammeParticipant.programme_id)
        .where(ProgrammeParticipant.user_id == user_id).order_by(ProgrammeParticipant.joined_at)
    ).all()
    completions = session.execute(
        sa.select(ModuleCompletion, Module.title, Module.programme_id)
        .join(Module, Module.id == ModuleCompletion.module_id)
        .where(ModuleCompletion.user_id == user_id).order_by(ModuleCompletion.completed_at, ModuleCompletion.id)
    ).all()
    submissions = session.execute(
        sa.select(Submission, Module.title)
        .join(Module, Module.id == Submission.module_id)
        .where(Submission.user_id == user_id).order_by(Submission.submitted_at, Submission.id)
    ).all()
    finished = session.execute(
        sa.select(ProgrammeCompletion, Programme.title)
        .join(Programme, Programme.id == ProgrammeCompletion.programme_id)
        .where(ProgrammeCompletion.user_id == user_id).order_by(ProgrammeCompletion.completed_at)
    ).all()
    return {
        "programmes": [{"programme_id": pid, "title": title, "joined_at": _iso(at)} for pid, title, at in joined],
        "module_completions": [{
            "module_id": c.module_id, "module_title": title, "programme_id": programme_id,
            "completed_at": _iso(c.completed_at), "source": c.source, "note": c.note,
        } for c, title, programme_id in completions],
        "submissions": [{
            "module_id": s.module_id, "module_title": title, "text": s.text, "link": s.link, "status": s.status,
            "submitted_at": _iso(s.submitted_at), "reviewer_comment": s.reviewer_comment,
            "reviewed_at": _iso(s.reviewed_at),
        } for s, title in submissions],
        "programme_completions": [{
            "programme_id": c.programme_id, "title": title, "completed_at": _iso(c.completed_at),
            "hours": _number(c.hours),
        } for c, title in finished],
    }


def export_certificates(session: Session, user_id: int) -> list[dict[str, Any]]:
    certificates = session.scalars(
        sa.select(Certificate).where(Certificate.holder_id == user_id).order_by(Certificate.issued_at, Certificate.id)
    )
    return [{
        "code": c.code, "kind": c.kind, "event_id": c.event_id, "programme_id": c.programme_id,
        "title": c.snapshot.get("title"), "holder_name": c.snapshot.get("holder_name"),
        "hours": _number(c.hours), "language": c.language, "status": c.status,
        "issued_at": _iso(c.issued_at), "revoked_at": _iso(c.revoked_at),
    } for c in certificates]


def export_practices(session: Session, user_id: int) -> dict[str, Any]:
    practices = session.scalars(
        sa.select(Practice).where(sa.or_(Practice.author_id == user_id, Practice.contact_id == user_id))
        .order_by(Practice.id)
    )
    interests = session.execute(
        sa.select(PracticeInterest, Practice.title)
        .join(Practice, Practice.id == PracticeInterest.practice_id)
        .where(PracticeInterest.user_id == user_id).order_by(PracticeInterest.created_at)
    ).all()
    return {
        "authored_or_contact": [{
            "id": p.id, "title": p.title, "status": p.status, "organisation_id": p.organisation_id,
            "is_author": p.author_id == user_id, "is_contact": p.contact_id == user_id,
            "created_at": _iso(p.created_at), "published_at": _iso(p.published_at),
        } for p in practices],
        "interest_expressed": [{
            "practice_id": i.practice_id, "practice_title": title, "note": i.note, "created_at": _iso(i.created_at),
        } for i, title in interests],
    }


def export_organising(session: Session, user_id: int) -> dict[str, Any]:
    events = session.execute(
        sa.select(Event.id, Event.title).join(event_organiser, event_organiser.c.event_id == Event.id)
        .where(event_organiser.c.user_id == user_id).order_by(Event.starts_at)
    ).all()
    programmes = session.execute(
        sa.select(Programme.id, Programme.title)
        .join(programme_organiser, programme_organiser.c.programme_id == Programme.id)
        .where(programme_organiser.c.user_id == user_id).order_by(Programme.id)
    ).all()
    return {"events": [{"id": i, "title": t} for i, t in events],
            "programmes": [{"id": i, "title": t} for i, t in programmes]}


def export_api_tokens(session: Session, user_id: int) -> list[dict[str, Any]]:
    # names and prefixes only: the secrets are never stored, and their hashes are of no use to anyone
    tokens = session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id))
    return [{"name": t.name, "prefix": t.prefix, "created_at": _iso(t.created_at),
             "last_used_at": _iso(t.last_used_at), "revoked_at": _iso(t.revoked_at)} for t in tokens]


def export_invitations(session: Session, user_id: int) -> list[dict[str, Any]]:
    # the invitations this person accepted (those they sent name other people, so they are not theirs)
    rows = session.scalars(sa.select(Invitation).where(Invitation.user_id == user_id).order_by(Invitation.id))
    return [{"event_id": i.event_id, "programme_id": i.programme_id, "created_at": _iso(i.created_at),
             "accepted_at": _iso(i.accepted_at)} for i in rows]


def _register_defaults() -> None:
    register_exporter("account", export_account)
    register_exporter("profile", export_profile)
    register_exporter("enrolments", export_enrolments)
    register_exporter("learning", export_learning)
    register_exporter("certificates", export_certificates)
    register_exporter("practices", export_practices)
    register_exporter("organising", export_organising)
    register_exporter("invitations", export_invitations)
    register_exporter("api_tokens", export_api_tokens)
    register_exporter("messages", export_messages)
    register_exporter("interests", export_interests)


def export_interests(session: Session, user_id: int) -> dict:
    """What the person follows and how often their digest comes."""
    from dataclasses import asdict

    from app.account.interests import get_interests

    return asdict(get_interests(session, user_id=user_id))


def export_messages(session: Session, user_id: int) -> list[dict]:
    """Messages the person sent or received through the platform (the other side by name only)."""
    from app.people.contact_models import Message

    rows = session.scalars(sa.select(Message).where(sa.or_(Message.sender_id == user_id,
                                                           Message.recipient_id == user_id))
                           .order_by(Message.created_at, Message.id))
    return [{"direction": "sent" if m.sender_id == user_id else "received", "subject": m.subject, "text": m.text,
             "other": m.recipient_name if m.sender_id == user_id else m.sender_name,
             "created_at": _iso(m.created_at)} for m in rows]


_register_defaults()
