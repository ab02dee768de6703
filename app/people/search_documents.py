"""People in the search: profiles their owners made visible (members-only ones for signed-in readers only),
found by name, position, bio, organisation, city, expertise; hidden profiles never enter the index."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.directory.models import ORGANISATION_KIND_LABELS, ORGANISATION_KINDS, Organisation, Topic
from app.directory.regions import region_of
from app.directory.search_documents import place_texts
from app.errors import msg
from app.people.models import Profile, ProfileSdgTarget, profile_topic
from app.practices.sdg import goal_of
from app.search.registry import FacetSpec, Parent, SearchDoc, Source, loaded


def profile_country(profile: Profile) -> str | None:
    """The person's country: their own, else their organisation's."""
    user = profile.user
    return user.country or (user.organisation.country if user.organisation else None)


def person_document(profile: Profile) -> SearchDoc | None:
    """None for a hidden profile or a closed account."""
    user = profile.user
    if profile.visibility not in ("public", "members") or user is None or not user.is_active_account:
        return None
    topics = sorted(profile.topics, key=lambda t: (t.name, t.slug))
    targets = profile.sdg_targets
    country = profile_country(profile)
    organisation = user.organisation
    return SearchDoc(
        kind="person", object_id=profile.user_id, title=user.name, url=f"/people/{profile.user_id}",
        sort_date=profile.updated_at, summary=profile.position or "",
        texts=(profile.bio or "", organisation.name if organisation else "", *(t.name for t in topics), *targets),
        places=(profile.city or "", *place_texts(country)),
        facets={"topic": [t.slug for t in topics], "sdg": [*sorted({str(goal_of(t)) for t in targets}, key=int), *targets],
                "region": [region_of(country) if country else ""], "country": [country or ""],
                "language": list(profile.languages or []),
                "org_kind": [organisation.kind if organisation else ""]},
        audience=profile.visibility,
    )


def _load(session, ids):
    return session.scalars(sa.select(Profile).where(Profile.user_id.in_(ids)).options(
        selectinload(Profile.user), selectinload(Profile.topics), selectinload(Profile.target_rows)))


PEOPLE = Source(kind="person", model=Profile, load=_load, build=person_document,
                all_ids=lambda: sa.select(Profile.user_id).where(Profile.visibility != "hidden")
                .order_by(Profile.user_id), label=msg("Person"))


_USER_FIELDS = ("name", "organisation_id", "country", "is_active_account")


def _user(user):
    """A person's document changes with their name, organisation, country or a closed account (not with every
    sign-in: most users have no profile, and a change of anything else costs nothing)."""
    state = sa.inspect(user)
    user_id = loaded(user, "id")
    if user_id and state.key is not None and (state.deleted or state.was_deleted or any(
            state.attrs[name].history.has_changes() for name in _USER_FIELDS)):
        yield "person", user_id


def _own(profile):
    user_id = loaded(profile, "user_id")
    return [("person", user_id)] if user_id else []


PARENTS = (
    Parent(Profile, _own),  # a new profile has no identity key yet in after_flush: name it by its user_id
    Parent(ProfileSdgTarget, _own),
    Parent(User, _user),
    Parent(Topic, lambda topic: [("person", sa.select(profile_topic.c.user_id)
                                  .where(profile_topic.c.topic_id == loaded(topic, "id")))]),
    Parent(Organisation, lambda org: [("person", sa.select(Profile.user_id).join(User, User.id == Profile.user_id)
                                       .where(User.organisation_id == loaded(org, "id")))]),
)


FACETS = {
    "org_kind": FacetSpec(valid=lambda v: v if v in ORGANISATION_KINDS else None,
                          labels=lambda session, values, translate, language: {
                              v: translate(ORGANISATION_KIND_LABELS[v]) for v in values if v in ORGANISATION_KIND_LABELS}),
}
