"""GET/PUT /api/v1/me/interests: what the caller follows and how often their digest comes."""

from __future__ import annotations

from typing import Annotated, Literal

from flask import jsonify
from pydantic import Field
from typing_extensions import TypedDict

from app.account.interests import DEFAULT_FREQUENCY, MAX_FOLLOWED, Interests, get_interests, save_interests
from app.apikit import bp
from app.apikit.auth import api_user, json_body
from app.apikit.contract import Body, Id, Reply, Text, Whole, operation
from app.directory.regions import SUB_REGIONS
from app.extensions import db
from app.people.limits import DIGEST_FREQUENCIES
from app.sqltypes import utcnow

TAG = "Account"
Frequency = Annotated[Literal[DIGEST_FREQUENCIES], Field(description="How often the digest comes.")]
Region = Literal[tuple(sorted(SUB_REGIONS))]


class InterestsOut(TypedDict):
    topics: Annotated[list[str], Field(description="Topic slugs.")]
    sdg_goals: Annotated[list[int], Field(description="SDG goals, 1 to 17.")]
    regions: Annotated[list[str], Field(description="UN M49 sub-region codes (\"155\" Western Europe).")]
    organisation_ids: list[Id]
    frequency: Frequency


class InterestsIn(Body):
    """The whole set (PUT replaces it): a list left out is emptied, a frequency left out is weekly."""

    topics: Annotated[list[Text(80, min_length=1)], Field(max_length=MAX_FOLLOWED)] = []
    sdg_goals: Annotated[list[Whole(ge=1, le=17)], Field(max_length=MAX_FOLLOWED)] = []
    regions: Annotated[list[Region], Field(max_length=MAX_FOLLOWED)] = []
    organisation_ids: Annotated[list[Id], Field(max_length=MAX_FOLLOWED)] = []
    frequency: Frequency = DEFAULT_FREQUENCY


def interests_json(interests: Interests) -> InterestsOut:
    return {"topics": interests.topics, "sdg_goals": interests.sdg_goals, "regions": interests.regions,
            "organisation_ids": interests.organisation_ids, "frequency": interests.frequency}


@operation(bp.get, "/me/interests", tag=TAG, summary="What you follow and how often your digest comes",
           replies={200: Reply("Your interests.", InterestsOut)})
def my_interests():
    return jsonify(interests_json(get_interests(db.session, api_user().id)))


@operation(bp.put, "/me/interests", tag=TAG, body=InterestsIn,
           summary="Replace what you follow and your digest frequency (weekly, monthly or never)",
           replies={200: Reply("Your interests as saved.", InterestsOut)})
def my_interests_replace():
    data = json_body()
    saved = save_interests(db.session, user_id=api_user().id, now=utcnow(), interests=Interests(
        topics=data.get("topics") or [], sdg_goals=data.get("sdg_goals") or [], regions=data.get("regions") or [],
        organisation_ids=data.get("organisation_ids") or [], frequency=data.get("frequency") or DEFAULT_FREQUENCY))
    db.session.commit()
    return jsonify(interests_json(saved))
