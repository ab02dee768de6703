"""Reading people: the directory (through the site search, with its facets) and one profile page with what the
person chose to show. Read-only (nothing flushes), no Flask: the viewer is passed in."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

import app.people.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.auth.models import User
from app.auth.rules import can_see_profile
from app.certificates.models import Certificate
from app.errors import NotFound
from app.events.models import Checkin, Enrolment, Event, event_organiser
from app.learning.models import Programme
from app.people.models import Profile
from app.people.search_documents import profile_country
from app.practices.models import Practice
from app.search.query import SearchPage, SearchQuery, run_search
from app.validation import MAX_ID

FILTER_NAMES = ("q", "topic", "sdg", "country", "region", "language", "org_kind")


def audience_of(viewer) -> str:
    """The search audience of a viewer: signed-in members also find members-only profiles."""
    signed_in = viewer is not None and getattr(viewer, "is_authenticated", True) and getattr(viewer, "is_active", True)
    return "members" if signed_in else "public"


def load_profiles(session: Session, user_ids: list[int]) -> dict[int, Profile]:
    """Profiles by user id with their user, organisation, topics and targets (a fixed number of queries)."""
    if not user_ids:
        return {}
    rows = session.scalars(sa.select(Profile).where(Profile.user_id.in_(user_ids)).options(
        selectinload(Profile.user), selectinload(Profile.topics), selectinload(Profile.target_rows)))
    return {profile.user_id: profile for profile in rows}


@dataclass
class Directory:
    result: SearchPage
    profiles: list[Profile] = field(default_factory=list)  # in the order of the hits


def find_people(session: Session, *, filters: dict, page: int = 1, per_page: int = 20, viewer=None,
                strict: bool = True, language: str | None = None) -> Directory:
    """One page of the profiles this viewer may see, found by the site search (q and facet filters); with
    `strict`, a filter value that cannot be is a ValidationFailed naming it, else it is left out (a notice)."""
    query = SearchQuery(type="person", page=page, per_page=per_page,
                        **{name: filters.get(name) for name in FILTER_NAMES if filters.get(name)})
    result = run_search(session, query, language=language, strict=strict, audience=audience_of(viewer))
    profiles = load_profiles(session, [hit.id for hit in result.items])
    # the index follows every change in the same transaction; checking again costs nothing
    visible = [profiles[hit.id] for hit in result.items if can_see_profile(viewer, profiles.get(hit.id))]
    return Directory(result=result, profiles=visible)


# ---------------------------------------------------------------------------------------------------
# One profile


@dataclass
class PersonPage:
    profile: Profile
    user: User
    country: str | None
    practices: list  # (id, slug, title, summary, language) of published practices they are contact or author of
    organised: list  # (id, title, starts_at, timezone) of published events they organised (shows_events)
    attended: list  # same, events they were checked in at (shows_events)
    certificates: list  # (code, kind, title, issued_at) of valid certificates (shows_certificates)


def visible_profile(session: Session, user_id, viewer) -> Profile:
    """The profile if this viewer may see it; NotFound otherwise (a hidden profile looks like none)."""
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not 0 < user_id <= MAX_ID:
        raise NotFound("people.not_found", field="user_id")
    profile = load_profiles(session, [user_id]).get(user_id)
    if profile is None or not profile.user.is_active_account or not can_see_profile(viewer, profile):
        raise NotFound("people.not_found", field="user_id")
    return profile


def person_page(session: Session, user_id, *, viewer) -> PersonPage:
    """Everything the profile page shows, in a fixed number of queries."""
    profile = visible_profile(session, user_id, viewer)
    uid = profile.user_id
    practices = session.execute(
        sa.select(Practice.id, Practice.slug, Practice.title, Practice.summary, Practice.language)
        .where(Practice.status == "published", sa.or_(Practice.contact_id == uid, Practice.author_id == uid))
        .order_by(Practice.published_at.desc(), Practice.id.desc())).all()
    organised = attended = certificates = []
    if profile.shows_events:
        columns = (Event.id, Event.title, Event.starts_at, Event.timezone)
        organised = session.execute(
            sa.select(*columns).join(event_organiser, event_organiser.c.event_id == Event.id)
            .where(event_organiser.c.user_id == uid, Event.status == "published")
            .order_by(Event.starts_at.desc(), Event.id.desc())).all()
        attended = session.execute(
            sa.select(*columns).join(Enrolment, Enrolment.event_id == Event.id)
            .where(Enrolment.user_id == uid, Event.status == "published",
                   sa.exists().where(Checkin.enrolment_id == Enrolment.id))
            .order_by(Event.starts_at.desc(), Event.id.desc())).all()
    if profile.shows_certificates:
        certificates = session.execute(
            sa.select(Certificate.code, Certificate.kind, sa.func.coalesce(Event.title, Programme.title),
                      Certificate.issued_at)
            .outerjoin(Event, Event.id == Certificate.event_id)
            .outerjoin(Programme, Programme.id == Certificate.programme_id)
            .where(Certificate.holder_id == uid, Certificate.revoked_at.is_(None))
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())).all()
    return PersonPage(profile=profile, user=profile.user, country=profile_country(profile),
                      practices=list(practices), organised=list(organised), attended=list(attended),
                      certificates=list(certificates))


def organisation_people(session: Session, org_id: int, *, viewer=None) -> list[Profile]:
    """The organisation's people whose profile this viewer may see (public; members-only too when signed in)."""
    levels = ("public", "members") if audience_of(viewer) == "members" else ("public",)
    ids = list(session.scalars(
        sa.select(Profile.user_id).join(User, User.id == Profile.user_id)
        .where(User.organisation_id == org_id, User.is_active_account.is_(True), Profile.visibility.in_(levels))
        .order_by(User.name, User.id)))
    profiles = load_profiles(session, ids)
    return [profiles[i] for i in ids if i in profiles]


def profile_json(profile: Profile, *, base_url: str, country: str | None = None) -> dict:
    """A profile as the API's directory shows it."""
    user = profile.user
    return {
        "id": profile.user_id, "name": user.name, "position": profile.position,
        "organisation_id": user.organisation_id, "city": profile.city,
        "country": country if country is not None else profile_country(profile),
        "expertise_topics": [t.slug for t in profile.topics], "expertise_sdg_targets": profile.sdg_targets,
        "languages": list(profile.languages or []), "url": f"{base_url.rstrip('/')}/people/{profile.user_id}",
    }


def own_profile_json(profile: Profile | None, user: User, *, base_url: str) -> dict:
    """One's own profile for GET/PATCH /me/profile (hidden defaults when none was made yet)."""
    if profile is None:
        return {"id": user.id, "name": user.name, "position": "", "organisation_id": user.organisation_id,
                "city": "", "country": user.country or (user.organisation.country if user.organisation else None),
                "expertise_topics": [], "expertise_sdg_targets": [], "languages": [],
                "url": f"{base_url.rstrip('/')}/people/{user.id}", "visibility": "hidden", "bio": "",
                "shows_events": False, "shows_certificates": False, "accepts_messages": True, "has_photo": False}
    return {**profile_json(profile, base_url=base_url), "visibility": profile.visibility, "bio": profile.bio,
            "shows_events": profile.shows_events, "shows_certificates": profile.shows_certificates,
            "accepts_messages": profile.accepts_messages, "has_photo": bool(profile.photo_key)}


__all__ = ["Directory", "PersonPage", "audience_of", "find_people", "organisation_people", "own_profile_json",
           "person_page", "profile_json", "visible_profile"]
