"""GET /api/v1/organisations/<id>: an organisation's public profile (registered on app.apikit.bp)."""

from __future__ import annotations

from typing import Annotated, Literal

from flask import current_app, jsonify, url_for
from pydantic import Field
from typing_extensions import TypedDict

from app.apikit import bp
from app.apikit.contract import Id, Reply, Url, operation, path_parameter
from app.directory.models import ORGANISATION_KINDS, Organisation
from app.extensions import db
from app.organisations import queries

path_parameter("organisation_id", "Organisation id.")


class OrganisationProfileOut(TypedDict):
    id: Id
    name: str
    kind: Literal[ORGANISATION_KINDS]
    city: str
    country: Annotated[str, Field(description="ISO 3166-1 alpha-2 code.")]
    region: Annotated[str, Field(description="UN M49 sub-region code (\"155\" Western Europe); \"\" for none.")]
    population: Annotated[int | None, Field(ge=0, description="Of the city, when known.")]
    description: Annotated[str, Field(description="Markdown source.")]
    website: Url | None
    latitude: Annotated[float | None, Field(description="Decimal degrees (WGS 84), with longitude or neither.")]
    longitude: Annotated[float | None, Field(description="Decimal degrees (WGS 84), with latitude or neither.")]
    practice_ids: Annotated[list[Id], Field(description="Its published good practices.")]
    event_ids: Annotated[list[Id], Field(description="Published events it hosted or will host.")]
    url: Annotated[Url, Field(description="The profile page.")]


def profile_json(org: Organisation, *, practice_ids: list[int], event_ids: list[int]) -> OrganisationProfileOut:
    return {
        "id": org.id, "name": org.name, "kind": org.kind, "city": org.city, "country": org.country,
        "region": org.region or "", "population": org.population, "description": org.description or "",
        "website": org.website, "latitude": org.latitude, "longitude": org.longitude,
        "practice_ids": practice_ids, "event_ids": event_ids,
        "url": current_app.config["BASE_URL"] + url_for("organisations.detail", organisation_id=org.id),
    }


@operation(bp.get, "/organisations/<int:organisation_id>", tag="Directory", public=True, errors=[404],
           summary="An organisation's public profile, with its published practices and hosted events",
           replies={200: Reply("The profile.", OrganisationProfileOut)})
def organisation_profile(organisation_id: int):
    org = queries.get_organisation(db.session, organisation_id)
    return jsonify(profile_json(org, practice_ids=queries.published_practice_ids(db.session, org.id),
                                event_ids=queries.hosted_event_ids(db.session, org.id)))
