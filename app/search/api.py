"""GET /api/v1/search: the search page's results as JSON (registered on app.apikit.bp)."""

from __future__ import annotations

from typing import Annotated

from flask import current_app, g
from pydantic import Field
from typing_extensions import TypedDict

from app.apikit import bp
from app.apikit.auth import api_user
from app.apikit.contract import Id, Query, Reply, operation, respond
from app.errors import render_message
from app.extensions import db
from app.search.query import FILTERS, MAX_CHARS, MAX_PER_PAGE, SearchQuery, run_search

Kind = Annotated[str, Field(description="event, practice, programme, organisation or person.")]
Facet = Annotated[str, Field(max_length=80)]


class SearchFilters(Query):
    q: Annotated[str, Field(max_length=5000, description=(
        f"Words to find (case and accents do not matter; each word matches as a prefix; every word must "
        f"match). Only the first {MAX_CHARS} characters and 12 words are used."))] = None
    type: Annotated[Facet, Field(description="Only this kind: event, practice, programme, organisation, person.")] = None
    topic: Annotated[Facet, Field(description="Topic slug.")] = None
    sdg: Annotated[Facet, Field(description="UN Sustainable Development Goal, 1-17, or target (people), such as 11.2.")] = None
    region: Annotated[Facet, Field(description="UN M49 region or sub-region code, e.g. 155.")] = None
    country: Annotated[Facet, Field(description="ISO 3166-1 alpha-2 code.")] = None
    stage: Annotated[Facet, Field(description="Stage of a practice: idea, pilot, implemented, scaled.")] = None
    language: Annotated[Facet, Field(description="ISO 639-1 code.")] = None
    org_kind: Annotated[Facet, Field(description="People: the kind of their organisation (municipality ...).")] = None
    page: Annotated[int, Field(ge=1, le=10_000, description="Page number.")] = 1
    per_page: Annotated[int, Field(ge=1, le=MAX_PER_PAGE, description="Page size.")] = 20


class SearchHit(TypedDict):
    type: Kind
    id: Id
    title: str
    snippet: Annotated[str, Field(description="HTML: escaped text with the matched words in <mark>.")]
    url: Annotated[str, Field(json_schema_extra={"format": "uri"})]


class FacetCounts(TypedDict):
    type: dict[str, int]
    topic: dict[str, int]
    sdg: dict[str, int]
    region: dict[str, int]
    country: dict[str, int]
    stage: dict[str, int]
    language: dict[str, int]
    org_kind: dict[str, int]


class SearchResults(TypedDict):
    items: list[SearchHit]
    total: Annotated[int, Field(ge=0)]
    page: Annotated[int, Field(ge=1)]
    per_page: Annotated[int, Field(ge=1)]
    facets: Annotated[FacetCounts, Field(description="Facet -> value -> number of matching results.")]
    notices: Annotated[list[str], Field(description="What was changed in the query (cut, no words).")]


@operation(bp.get, "/search", tag="Search", public=True, query=SearchFilters,
           summary="One search across practices, events, programmes and organisations",
           description="Ranked: results whose title holds every word first, then the newest. A filter value "
                       "that cannot be (an unknown type, SDG 18) is a 422 naming the field.",
           replies={200: Reply("One page of results with facet counts.", SearchResults)})
def search():
    given: SearchFilters = g.api_query
    query = SearchQuery(q=given.q or "", page=given.page, per_page=given.per_page,
                        **{name: (getattr(given, name) or "").strip() or None for name in FILTERS})
    # with a token, also what only members may find (members-only profiles)
    result = run_search(db.session, query, strict=True, audience="members" if api_user() else "public")
    base = current_app.config["BASE_URL"].rstrip("/")
    return respond(SearchResults, {
        "items": [{"type": hit.type, "id": hit.id, "title": hit.title, "snippet": hit.snippet,
                   "url": base + hit.url} for hit in result.items],
        "total": result.total, "page": result.page, "per_page": result.per_page,
        "facets": {name: dict(result.facets.get(name, [])) for name in FILTERS},
        "notices": [render_message(reason, params) for reason, params in result.notices],
    })
