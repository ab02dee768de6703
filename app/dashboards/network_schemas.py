"""What GET /api/v1/network/stats answers and accepts (read by the route, request validation and the OpenAPI
document). The filters are read as text and checked by app.dashboards.filters: a bad one is a 400."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field
from typing_extensions import TypedDict

from app.apikit.contract import Date, Id, Query

Count = Annotated[int, Field(ge=0)]
FilterText = str | None  # any text: app.dashboards.filters refuses a bad one with a 400
RegionCode = Annotated[str, Field(description="A UN M49 sub-region code; empty for events without a country.")]


class NetworkFilters(Query):
    from_: Annotated[FilterText, Field(alias="from", description="First day of the period (YYYY-MM-DD, UTC): "
                                                                 "events starting on or after it.")] = None
    to: Annotated[FilterText, Field(description="Last day of the period (YYYY-MM-DD, UTC), included.")] = None
    format: Annotated[FilterText, Field(description="conference, workshop, training or information_trip.")] = None
    topic: Annotated[FilterText, Field(description="A topic slug.")] = None
    region: Annotated[FilterText, Field(description="A UN M49 sub-region code (155 Western Europe).")] = None


class FlowOut(TypedDict):
    from_organisation_id: Id
    to_organisation_id: Id
    people: Annotated[int, Field(ge=1, description="Distinct people of the first organisation confirmed in "
                                                   "events the second one hosted.")]
    from_organisation_name: str
    to_organisation_name: str


class YearFormatOut(TypedDict):
    year: int
    format: Literal["conference", "workshop", "training", "information_trip"]
    events: Count


class YearRegionOut(TypedDict):
    year: int
    region: RegionCode
    events: Count


class ReachOut(TypedDict):
    events: Count
    practices: Count
    people: Count


class WantedPracticeOut(TypedDict):
    practice_id: Id
    title: str
    organisation_id: Id
    organisations: Annotated[int, Field(ge=1, description="Organisations that want to try it.")]


class CityOut(TypedDict):
    organisation_id: Id
    name: str
    city: str
    country: str
    region: str
    latitude: float | None
    longitude: float | None
    events_hosted: Count
    participants_sent: Count
    practices: Count
    activity: Count


PeriodOut = TypedDict("PeriodOut", {  # "from" is a Python keyword
    "from": Annotated[Date | None, Field(description="null: since the beginning.")],
    "to": Annotated[Date | None, Field(description="null: until now.")],
    "format": str | None, "topic": str | None, "region": str | None,
})


class NetworkStatsOut(TypedDict):
    detail: Annotated[Literal["public", "admin"], Field(
        description="admin (an administrator's token): draft events, practices under review and non-public "
                    "profiles are counted too, and up to 200 flows are listed.")]
    filters: PeriodOut
    flows: list[FlowOut]
    counted_at: Annotated[str, Field(description="When these figures were counted (UTC, ISO 8601): the network's "
                                                 "figures are kept a few minutes once counted.")]
    flow_pairs: Annotated[int, Field(ge=0, description="How many pairs there are (`flows` lists the top 20; admins: 200).")]
    events_by_year: list[YearFormatOut]
    events_by_year_region: list[YearRegionOut]
    events_by_region: dict[str, Count]
    reach_by_topic: Annotated[dict[str, ReachOut], Field(description="Topic slug -> events, practices, people.")]
    reach_by_sdg: Annotated[dict[str, ReachOut], Field(description="SDG goal (1-17) -> practices, people.")]
    practices_most_wanted: list[WantedPracticeOut]
    cities: list[CityOut]
