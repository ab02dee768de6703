"""API basics: the caller, topics and organisations, and this API's OpenAPI document."""

from __future__ import annotations

from typing import Annotated, Literal

from flask import current_app, jsonify
from pydantic import ConfigDict, Field
from typing_extensions import TypedDict

from app.apikit import bp
from app.apikit.auth import api_user, load_api_user, token_required
from app.apikit.contract import Email, Id, Reply, Url, document, operation
from app.apikit.shapes import PersonOut
from app.auth.models import ROLES, User
from app.directory.models import ORGANISATION_KINDS
from app.directory.services import list_organisations, list_topics
from app.extensions import db, limiter

bp.before_request(load_api_user)

Country = Annotated[str, Field(description="ISO 3166-1 alpha-2 code.")]


@bp.after_request
def no_store(response):
    response.headers.setdefault("Cache-Control", "no-store")
    return response


class UserOut(TypedDict):
    id: Id
    email: Email
    name: str
    role: Literal[ROLES]
    organisation: PersonOut | None
    country: Country | None
    timezone: Annotated[str, Field(description="Preferred IANA time zone.")]
    language: Annotated[str, Field(description="Preferred language code.")]
    calendar_feed_url: Annotated[Url | None, Field(description="The personal iCalendar feed.")]


class TopicOut(TypedDict):
    id: Id
    slug: str
    name: str
    description: str


class TopicList(TypedDict):
    items: list[TopicOut]


class OrganisationOut(TypedDict):
    id: Id
    name: str
    kind: Literal[ORGANISATION_KINDS]
    city: str
    country: Country
    website: Url | None


class OrganisationList(TypedDict):
    items: list[OrganisationOut]


class OpenAPIDocument(TypedDict):
    __pydantic_config__ = ConfigDict(extra="allow")  # noqa: RUF012  (the rest of the document)

    openapi: str
    info: dict
    paths: dict


def user_json(user: User) -> UserOut:
    from app.calendar.services import feed_urls  # the calendar package owns feed URLs

    data = {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "organisation": (
            {"id": user.organisation.id, "name": user.organisation.name} if user.organisation else None
        ),
        "country": user.country,
        "timezone": user.timezone,
        "language": user.language,
    }
    data["calendar_feed_url"] = feed_urls(user, base_url=current_app.config["BASE_URL"])["feed_url"] if user.calendar_token else None
    return data


@operation(bp.get, "/openapi.json", tag="Meta", summary="This OpenAPI 3.1 document", public=True,
           replies={200: Reply("The document.", OpenAPIDocument)})
@limiter.exempt
def openapi():
    """This API's OpenAPI 3.1 document (public), generated from the declared operations."""
    response = current_app.json.response(document())
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@operation(bp.get, "/me", tag="Account", summary="The caller's account",
           description="Also creates the personal calendar feed token the first time.",
           replies={200: Reply("The caller.", UserOut)})
@token_required
def me():
    return jsonify(user_json(api_user()))


@operation(bp.get, "/topics", tag="Directory", summary="The network's topics", public=True,
           replies={200: Reply("All topics.", TopicList)})
@limiter.exempt
def topics():
    return jsonify(
        {"items": [{"id": t.id, "slug": t.slug, "name": t.name, "description": t.description}
                   for t in list_topics(db.session)]}
    )


@operation(bp.get, "/organisations", tag="Directory", summary="Member cities and partner organisations",
           public=True, replies={200: Reply("All organisations.", OrganisationList)})
def organisations():
    return jsonify(
        {"items": [
            {"id": o.id, "name": o.name, "kind": o.kind, "city": o.city, "country": o.country,
             "website": o.website}
            for o in list_organisations(db.session)
        ]}
    )
