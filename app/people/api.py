"""JSON API routes of people (registered on app.apikit.bp), declared in app.apikit.contract terms: the directory
and one's own profile. The same services and queries as the pages."""

from __future__ import annotations

from flask import current_app, g

import app.people.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.apikit import bp
from app.apikit.auth import api_user, json_body
from app.apikit.contract import Reply, operation, respond
from app.errors import DomainError
from app.extensions import db
from app.people import profiles, queries
from app.people.schemas import OwnProfileOut, PeopleFilters, PeoplePage, ProfileUpdate
from app.sqltypes import utcnow

TAG = "People"
# the API's names -> the service's
RENAMED = {"expertise_topics": "topics", "expertise_sdg_targets": "sdg_targets"}
API_NAMES = {service: api for api, service in RENAMED.items()}


def _base_url() -> str:
    return current_app.config["BASE_URL"]


@operation(bp.get, "/people", tag=TAG, public=True, query=PeopleFilters,
           summary="People whose profile you may see (public ones; with a token, members-only ones too)",
           replies={200: Reply("Newest changed profile first; a query's best matches first.", PeoplePage)})
def people_list():
    query: PeopleFilters = g.api_query
    filters = {name: getattr(query, name) for name in ("q", "topic", "sdg", "country", "region", "language")}
    directory = queries.find_people(db.session, filters=filters, page=query.page, per_page=query.per_page,
                                    viewer=api_user(), strict=True)
    base = _base_url()
    return respond(PeoplePage, {
        "items": [queries.profile_json(p, base_url=base) for p in directory.profiles],
        "total": directory.result.total, "page": directory.result.page, "per_page": directory.result.per_page})


def _own() -> OwnProfileOut:
    user = api_user()
    return queries.own_profile_json(profiles.get_profile(db.session, user.id), user, base_url=_base_url())


@operation(bp.get, "/me/profile", tag=TAG, summary="Your practitioner profile (hidden defaults if none yet)",
           replies={200: Reply("Your profile.", OwnProfileOut)})
def my_profile():
    return respond(OwnProfileOut, _own())


@operation(bp.patch, "/me/profile", tag=TAG, body=ProfileUpdate,
           summary="Make or change your practitioner profile, including who sees it (`visibility`)",
           replies={200: Reply("Your profile.", OwnProfileOut)})
def my_profile_update():
    data = {RENAMED.get(name, name): value for name, value in json_body().items()
            if name not in ProfileUpdate.ignored}
    try:
        profiles.save_profile(db.session, user_id=api_user().id, data=data, now=utcnow())
    except DomainError as exc:  # name the field as the API does
        exc.fields = {API_NAMES.get(name, name): value for name, value in exc.fields.items()}
        raise
    db.session.commit()
    db.session.expire_all()
    return respond(OwnProfileOut, _own())
