"""The one authorisation rule for managing an event or a programme, used by pages, API and services alike.

Being listed among an event's or programme's organisers is not enough: the person must also still hold
the organiser role (or be an admin). An organiser demoted to participant keeps the membership rows (they
name who organised it) but loses every power that came with them. Admins manage everything.
"""

from __future__ import annotations

from collections.abc import Iterable

MANAGER_ROLES = frozenset({"organiser", "admin"})


def _signed_in(user) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", True)) and bool(getattr(user, "is_active", True))


def may_manage(user, organisers: Iterable) -> bool:
    """Admins always; organisers while they hold the organiser role and are among `organisers`."""
    if not _signed_in(user):
        return False
    role = getattr(user, "role", None)
    if role == "admin":
        return True
    if role not in MANAGER_ROLES:
        return False
    return any(o.id == user.id for o in organisers)


def can_manage_event(user, event) -> bool:
    """May this user manage the event (edit, see its participants, check in, issue certificates)?"""
    return event is not None and may_manage(user, event.organisers)


def can_manage_programme(user, programme) -> bool:
    """May this user manage the programme (edit, add modules, read progress, review, issue certificates)?"""
    return programme is not None and may_manage(user, programme.organisers)
