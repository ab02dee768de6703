"""Open data of published practices: the Atom feed, the CSV export and schema.org JSON-LD.

The queries read published practices only, in a constant number of statements; the builders are pure
(plain data in, bytes or dicts out), so they are tested without an application.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.orm import Session, selectinload

from app.directory.models import Topic
from app.directory.regions import SUB_REGIONS
from app.practices.models import Practice, PracticeSdgGoal, practice_topic
from app.spreadsheet import safe_cell

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50  # entries in the Atom feed: the newest published practices
# characters XML 1.0 cannot carry at all (a pasted control character would make the whole feed unreadable)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class OpenDataFilters:
    """The feed's filters: a topic slug, an SDG goal (1-17), a UN M49 region code."""

    topic: str | None = None
    sdg: int | None = None
    region: str | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> OpenDataFilters:
        """Read the query string leniently: a filter that cannot match anything is dropped, never a 500."""
        topic = (args.get("topic") or "").strip()[:80] or None
        sdg_raw = (args.get("sdg") or "").strip()
        sdg = int(sdg_raw) if sdg_raw.isdigit() and 1 <= int(sdg_raw) <= 17 else None
        region = (args.get("region") or "").strip()[:3] or None
        return cls(topic=topic, sdg=sdg, region=region)

    def as_args(self) -> dict[str, str]:
        return {k: str(v) for k, v in (("topic", self.topic), ("sdg", self.sdg), ("region", self.region)) if v}


def _published(filters: OpenDataFilters | None = None) -> sa.Select:
    query = sa.select(Practice).where(Practice.status == "published")
    if filters is None:
        return query
    if filters.topic:
        query = query.where(Practice.id.in_(
            sa.select(practice_topic.c.practice_id).join(Topic, Topic.id == practice_topic.c.topic_id)
            .where(Topic.slug == filters.topic)))
    if filters.sdg:
        query = query.where(Practice.id.in_(
            sa.select(PracticeSdgGoal.practice_id).where(PracticeSdgGoal.goal == filters.sdg)))
    if filters.region:
        # a sub-region ("202") or a whole region ("002" Africa: all its sub-regions)
        codes = [code for code, (_name, parent, _c) in SUB_REGIONS.items() if parent == filters.region]
        query = query.where(Practice.region.in_(codes or [filters.region]))
    return query


def _with_relations(query: sa.Select) -> sa.Select:
    return query.options(selectinload(Practice.organisation), selectinload(Practice.topics),
                         selectinload(Practice.goal_rows), selectinload(Practice.target_rows))


def feed_practices(session: Session, filters: OpenDataFilters, *, limit: int = FEED_SIZE) -> list[Practice]:
    """The newest published practices for the feed (a constant number of queries)."""
    query = _published(filters).order_by(Practice.published_at.desc(), Practice.id.desc()).limit(limit)
    return list(session.scalars(_with_relations(query)))


def export_practices(session: Session) -> list[Practice]:
    """Every published practice for the CSV export, oldest first (a constant number of queries)."""
    query = _published().order_by(Practice.published_at, Practice.id)
    return list(session.scalars(_with_relations(query)))


@dataclass(frozen=True)
class FeedState:
    etag: str
    last_modified: datetime | None


def feed_state(session: Session, filters: OpenDataFilters, extra: str = "") -> FeedState:
    """ETag and Last-Modified from one aggregate query (count, newest change, id sum, revision sum)."""
    subquery = _published(filters).subquery()
    count, newest, ids, revisions = session.execute(sa.select(
        sa.func.count(), sa.func.max(subquery.c.updated_at), sa.func.coalesce(sa.func.sum(subquery.c.id), 0),
        sa.func.coalesce(sa.func.sum(subquery.c.revision), 0),
    ).select_from(subquery)).one()
    if newest is not None and newest.tzinfo is None:
        newest = newest.replace(tzinfo=UTC)
    raw = f"{count}:{newest.isoformat() if newest else ''}:{ids}:{revisions}:{sorted(filters.as_args().items())}:{extra}"
    return FeedState(etag=hashlib.sha1(raw.encode()).hexdigest(),
                     last_modified=newest.replace(microsecond=0) if newest else None)


# Atom 1.0 (RFC 4287) -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class FeedEntry:
    id: str  # a tag: URI that never changes
    title: str
    summary: str
    updated: datetime
    published: datetime | None
    link: str
    author: str  # the organisation
    categories: tuple[tuple[str, str], ...]  # (term, label)
    language: str = ""


def tag_uri(authority: str, created: datetime, specific: str) -> str:
    """RFC 4151: tag:<authority>,<date>:<specific>; the creation date keeps it stable forever."""
    host = authority.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    return f"tag:{host},{created.astimezone(UTC).date().isoformat()}:{specific}"


def _clean(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


def _stamp(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def atom_feed(*, feed_id: str, title: str, subtitle: str, self_url: str, alternate_url: str,
              updated: datetime, entries: Iterable[FeedEntry], language: str = "en") -> bytes:
    """An Atom 1.0 document; ElementTree escapes every text and attribute."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: _clean(v) for k, v in attrs.items()})
        if text is not None:
            element.text = _clean(text)
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language})
    sub(feed, "id", feed_id)
    sub(feed, "title", title)
    sub(feed, "subtitle", subtitle)
    sub(feed, "updated", _stamp(updated))
    sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(feed, "link", rel="alternate", type="text/html", href=alternate_url)
    sub(feed, "generator", "Connective Cities")
    for item in entries:
        entry = sub(feed, "entry")
        if item.language:
            entry.set("{http://www.w3.org/XML/1998/namespace}lang", item.language)
        sub(entry, "id", item.id)
        sub(entry, "title", item.title, type="text")
        sub(entry, "updated", _stamp(item.updated))
        if item.published:
            sub(entry, "published", _stamp(item.published))
        sub(entry, "link", rel="alternate", type="text/html", href=item.link)
        author = sub(entry, "author")
        sub(author, "name", item.author or "-")
        for term, label in item.categories:
            sub(entry, "category", term=term, label=label)
        sub(entry, "summary", item.summary, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def feed_entry(practice: Practice, *, url: str, authority: str) -> FeedEntry:
    """A published practice as a feed entry: topics and SDG goals as categories."""
    categories = tuple([(topic.slug, topic.name) for topic in practice.topics]
                       + [(f"sdg-{goal}", f"SDG {goal}") for goal in practice.sdg_goals])
    return FeedEntry(
        id=tag_uri(authority, practice.created_at, f"practice/{practice.id}"),
        title=practice.title, summary=practice.summary,
        updated=practice.published_at or practice.updated_at, published=practice.published_at, link=url,
        author=practice.organisation.name if practice.organisation else "", categories=categories,
        language=practice.language,
    )


# CSV -------------------------------------------------------------------------------------------------

# the column keys, in order; the header row shows each key's label in the reader's language
CSV_COLUMNS = ("id", "title", "summary", "organisation", "city", "country", "region", "stage", "started_year",
               "ended_year", "topics", "sdg_goals", "sdg_targets", "language", "published_at",
               "last_verified_at", "url")


def _date(value: datetime | None) -> str:
    return value.astimezone(UTC).date().isoformat() if value else ""


def practices_csv(practices: Iterable[Practice], *, headers: Mapping[str, str], url_for_practice: Callable[[Practice], str]) -> str:
    """The CSV text (with a BOM, so spreadsheets read UTF-8); every cell formula-safe, headers included."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(headers.get(key, key)) for key in CSV_COLUMNS])
    for p in practices:
        row = {
            "id": p.id, "title": p.title, "summary": p.summary,
            "organisation": p.organisation.name if p.organisation else "", "city": p.city, "country": p.country,
            "region": p.region, "stage": p.stage, "started_year": p.started_year or "",
            "ended_year": p.ended_year or "", "topics": "; ".join(t.slug for t in p.topics),
            "sdg_goals": "; ".join(str(g) for g in p.sdg_goals), "sdg_targets": "; ".join(p.sdg_targets),
            "language": p.language, "published_at": _date(p.published_at),
            "last_verified_at": _date(p.last_verified_at), "url": url_for_practice(p),
        }
        writer.writerow([safe_cell(row[key]) for key in CSV_COLUMNS])
    return "\ufeff" + out.getvalue()


# schema.org JSON-LD ----------------------------------------------------------------------------------

def _place(data: Mapping) -> dict | None:
    address = {k: v for k, v in (("@type", "PostalAddress"), ("addressLocality", data.get("city")),
                                 ("addressRegion", data.get("subdivision")),
                                 ("addressCountry", data.get("country"))) if v}
    place: dict = {"@type": "Place"}
    if len(address) > 1:
        place["address"] = address
    if data.get("latitude") is not None and data.get("longitude") is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": data["latitude"], "longitude": data["longitude"]}
    return place if len(place) > 1 else None


def _prune(value: dict) -> dict:
    return {k: v for k, v in value.items() if v not in (None, "", [], {})}


def practice_jsonld(data: Mapping) -> dict:
    """schema.org for a practice: a CreativeWork (a case study) about its topics, from its city's organisation.

    `data` is the practice's JSON (as the API shows it) plus optional organisation_name / organisation_url.
    """
    organisation = _prune({"@type": "GovernmentOrganization" if data.get("organisation_kind", "municipality")
                           == "municipality" else "Organization",
                           "name": data.get("organisation_name"), "url": data.get("organisation_url")})
    about = [{"@type": "Thing", "name": name} for name in data.get("topic_names") or data.get("topics") or []]
    about += [{"@type": "Thing", "name": f"SDG {goal}",
               "sameAs": f"https://sdgs.un.org/goals/goal{goal}"} for goal in data.get("sdg_goals") or []]
    return _prune({
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "additionalType": "https://schema.org/Report",
        "@id": data.get("url"),
        "url": data.get("url"),
        "identifier": str(data["id"]) if data.get("id") is not None else None,
        "name": data.get("title"),
        "abstract": data.get("summary"),
        "description": data.get("summary"),
        "inLanguage": data.get("language"),
        "datePublished": data.get("published_at"),
        "dateModified": data.get("updated_at"),
        "keywords": ", ".join([*(data.get("topics") or []), *(data.get("sdg_targets") or [])]) or None,
        "about": about,
        "publisher": organisation if len(organisation) > 1 else None,
        "sourceOrganization": organisation if len(organisation) > 1 else None,
        "spatialCoverage": _place(data),
        "image": [img["url"] for img in data.get("images") or [] if img.get("url")],
        "temporalCoverage": (f"{data['started_year']}/{data.get('ended_year') or '..'}"
                             if data.get("started_year") else None),
    })


def organisation_jsonld(data: Mapping) -> dict:
    """schema.org for an organisation profile (a municipality is a GovernmentOrganization)."""
    kind = data.get("kind") or ""
    return _prune({
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization" if kind == "municipality" else "Organization",
        "@id": data.get("url"),
        "url": data.get("url"),
        "name": data.get("name"),
        "description": data.get("description"),
        "sameAs": data.get("website"),
        "location": _place(data),
        "address": (_place(data) or {}).get("address"),
    })


def jsonld_script_body(value: Mapping) -> Markup:
    """The JSON for a <script type="application/ld+json"> element: "<", ">" and "&" as \\u escapes, so no
    "</script>" or "<!--" inside user text can end the element early; still the same JSON to a parser."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)
