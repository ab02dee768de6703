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


# Good practices ------------------------------------------------------------------------------------
# Reviewers are organisers and admins (the network's editorial team); a practice belongs to its organisation,
# whose members may draft, edit and submit it, but never publish it themselves.


def can_review_practice(user) -> bool:
    """May this user review practices (see the checklist, publish, return, archive any of them)?"""
    return _signed_in(user) and getattr(user, "role", None) in MANAGER_ROLES


def is_practice_member(user, practice) -> bool:
    """Is the user the practice's author or a member of its organisation?"""
    if not _signed_in(user) or practice is None:
        return False
    if practice.author_id is not None and practice.author_id == user.id:
        return True
    return getattr(user, "organisation_id", None) is not None and user.organisation_id == practice.organisation_id


def can_edit_practice(user, practice) -> bool:
    """May this user change the practice (text, files, translations) and submit it? Archived: reviewers only."""
    if practice is None:
        return False
    if can_review_practice(user):
        return True
    return practice.status != "archived" and is_practice_member(user, practice)


def can_see_practice(user, practice) -> bool:
    """Published practices are public; others only for their editors, their contact person and reviewers."""
    if practice is None:
        return False
    if practice.status == "published":
        return True
    if can_review_practice(user) or is_practice_member(user, practice):
        return True
    return _signed_in(user) and practice.contact_id is not None and practice.contact_id == user.id


def can_see_practice_interest(user, practice) -> bool:
    """Who registered interest: the practice's contact person, its organisation's members and reviewers."""
    if practice is None or not _signed_in(user):
        return False
    return (can_review_practice(user) or is_practice_member(user, practice)
            or (practice.contact_id is not None and practice.contact_id == user.id))


# Practitioner profiles ------------------------------------------------------------------------------
# The person chooses: hidden (the default) shows the profile to nobody but themselves (and admins), members to
# anyone signed in, public to everyone.


def can_see_profile(user, profile) -> bool:
    """May this viewer (None or anonymous: a visitor) see the practitioner profile?"""
    if profile is None:
        return False
    if profile.visibility == "public":
        return True
    if not _signed_in(user):
        return False
    if profile.visibility == "members":
        return True
    return user.id == profile.user_id or getattr(user, "role", None) == "admin"


def visible_profile_levels(user) -> tuple[str, ...]:
    """The visibilities of the profiles a viewer finds in lists (their own hidden one is not listed)."""
    return ("public", "members") if _signed_in(user) else ("public",)
