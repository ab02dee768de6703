"""Finding peers (issue 14, point 3): what a challenge is, how a candidate scores against it, and why.

Pure: no Flask, no database. app/people/match_queries.py gathers the candidates (and computes the same score in
SQL to keep only the best of each kind); this module holds the one definition of the score, the reasons as codes
with values, and their sentences (made at the edge, in the reader's language, through a Translator).

Weights (points a candidate earns; the table is the contract the tests check):

    what is shared with the challenge                      points            who can earn it
    -----------------------------------------------------  ----------------  ------------------------------
    each SDG target                                        W_TARGET   = 4    practice, organisation, person
    each topic                                             W_TOPIC    = 3    practice, organisation, person
    the same M49 sub-region                                W_REGION   = 2    practice, organisation, person
    only the same continent (M49 region)                   W_CONTINENT= 1    practice, organisation, person
    a city of the same size band                           W_SIZE     = 2    practice, organisation, person
    each language (spoken; a practice: written in)         W_LANGUAGE = 1    practice, person
    the free text's words all found (the site search)      W_TEXT     = 3    practice, organisation, person
    presented at a published event (only with another)    W_PRESENTED= 1    practice

An organisation's topics and targets are those of its published practices; a person's region and size are their
organisation's (their own country's region when they have none). Targets weigh more than topics because a target
("11.2 accessible transport") says more about a challenge than a theme ("transport"). Ties: higher score first,
then the kind (KINDS order), then the smaller id. At most MAX_RESULTS results.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from babel.lists import format_list

from app.directory.regions import SUB_REGIONS, continent_of, region_name
from app.errors import ValidationFailed, msg
from app.people import match_messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.people.limits import MAX_EXPERTISE_TARGETS, MAX_SPOKEN_LANGUAGES, SIZE_BANDS
from app.practices.sdg import normalise_target, target_sort_key
from app.search.fold import words

W_TARGET = 4
W_TOPIC = 3
W_REGION = 2
W_CONTINENT = 1
W_SIZE = 2
W_LANGUAGE = 1
W_TEXT = 3
W_PRESENTED = 1

KINDS = ("practice", "organisation", "person")  # the order of equal scores
MAX_RESULTS = 30
MAX_TOPICS = 20
TEXT_MAX = 200  # the site search reads no more (app.search.query.MAX_CHARS)
PRESENTED_SHOWN = 1  # events named in a "presented at" reason

# inhabitants: a band holds populations from its lower bound up to (not including) the next band's
SIZE_BOUNDS: dict[str, tuple[int, int | None]] = {
    "small": (0, 100_000), "medium": (100_000, 500_000), "large": (500_000, 1_000_000), "metropolis": (1_000_000, None),
}
assert tuple(SIZE_BOUNDS) == SIZE_BANDS
SIZE_LABELS = {
    "small": msg("fewer than 100,000 inhabitants"),
    "medium": msg("100,000 to 500,000 inhabitants"),
    "large": msg("500,000 to 1 million inhabitants"),
    "metropolis": msg("more than 1 million inhabitants"),
}
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def size_band_of(population: int | None) -> str | None:
    """The size band of a city's population (None when unknown)."""
    if population is None:
        return None
    for band, (low, high) in SIZE_BOUNDS.items():
        if population >= low and (high is None or population < high):
            return band
    return None


@dataclass(frozen=True)
class Challenge:
    """What a city is looking for; topics as slugs, targets as official codes, region an M49 sub-region."""

    topics: tuple[str, ...] = ()
    sdg_targets: tuple[str, ...] = ()
    region: str | None = None
    size_band: str | None = None
    languages: tuple[str, ...] = ()
    text: str = ""

    @property
    def continent(self) -> str:
        return continent_of(self.region) if self.region else ""


def _list(data: dict, name: str, limit: int) -> list:
    value = data.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        raise ValidationFailed("match.field_list", field=name, name=name)
    if len(value) > limit:
        raise ValidationFailed("match.too_many", field=name, name=name, limit=limit)
    if not all(isinstance(item, str) for item in value):
        raise ValidationFailed("match.field_list", field=name, name=name)
    return [item.strip() for item in value if item.strip()]


def parse_challenge(data: dict, *, known_topics: Iterable[str]) -> Challenge:
    """A Challenge from request data (the API's JSON or the page's query), or ValidationFailed naming the field;
    refused when nothing is selected. known_topics: the slugs that exist."""
    known = set(known_topics)
    topics = _list(data, "topics", MAX_TOPICS)
    for slug in topics:
        if not _SLUG.match(slug) or slug not in known:
            raise ValidationFailed("match.topic_unknown", field="topics", value=slug[:80])
    targets = []
    for code in _list(data, "sdg_targets", MAX_EXPERTISE_TARGETS):
        normal = normalise_target(code)
        if normal is None:
            raise ValidationFailed("match.target_invalid", field="sdg_targets", value=code[:10])
        targets.append(normal)
    region = data.get("region") or None
    if region is not None:
        if not isinstance(region, str) or region.strip() not in SUB_REGIONS:
            raise ValidationFailed("match.region_invalid", field="region")
        region = region.strip()
    band = data.get("size_band") or None
    if band is not None and band not in SIZE_BANDS:
        raise ValidationFailed("match.size_band_invalid", field="size_band", bands=", ".join(SIZE_BANDS))
    languages = [code.lower() for code in _list(data, "languages", MAX_SPOKEN_LANGUAGES)]
    for code in languages:
        if not _LANGUAGE.match(code):
            raise ValidationFailed("match.language_invalid", field="languages", value=code[:10])
    text = data.get("text") or ""
    if not isinstance(text, str):
        raise ValidationFailed("match.field_text", field="text")
    text = text.replace("\x00", " ").strip()
    if len(text) > TEXT_MAX:
        raise ValidationFailed("match.text_too_long", field="text", limit=TEXT_MAX)
    challenge = Challenge(topics=tuple(dict.fromkeys(topics)),
                          sdg_targets=tuple(sorted(set(targets), key=target_sort_key)), region=region,
                          size_band=band, languages=tuple(dict.fromkeys(languages)), text=text)
    if not (challenge.topics or challenge.sdg_targets or challenge.region or challenge.size_band
            or challenge.languages or _has_words(text)):
        raise ValidationFailed("match.nothing_selected", field="topics")
    return challenge


def _has_words(text: str) -> bool:
    return bool(text and words(text))


@dataclass
class Candidate:
    """What is known of one practice, organisation or person, as the scoring reads it."""

    kind: str
    id: int
    title: str
    url: str
    topics: dict[str, str] = field(default_factory=dict)  # slug -> name (as stored; translated at the edge)
    sdg_targets: frozenset[str] = frozenset()
    region: str = ""
    population: int | None = None
    languages: frozenset[str] = frozenset()
    text_match: bool = False
    presented: tuple[tuple[str, int], ...] = ()  # (event title, year), newest first


@dataclass(frozen=True)
class Reason:
    """Why a candidate matched: a code and its values (topic names as stored, to be translated at the edge)."""

    code: str
    values: dict


@dataclass
class Match:
    kind: str
    id: int
    title: str
    url: str
    score: int
    reasons: list[Reason]


def score(challenge: Challenge, candidate: Candidate) -> Match:
    """The candidate's points against the challenge and the reasons, in the order of the weights table."""
    points, reasons = 0, []
    targets = sorted(set(challenge.sdg_targets) & candidate.sdg_targets, key=target_sort_key)
    if targets:
        points += W_TARGET * len(targets)
        reasons.append(Reason("sdg_targets", {"targets": targets}))
    topics = [slug for slug in challenge.topics if slug in candidate.topics]
    if topics:
        points += W_TOPIC * len(topics)
        reasons.append(Reason("topics", {"topics": [candidate.topics[slug] for slug in topics]}))
    if challenge.region and candidate.region:
        if candidate.region == challenge.region:
            points += W_REGION
            reasons.append(Reason("same_region", {"region": challenge.region}))
        elif continent_of(candidate.region) == challenge.continent:
            points += W_CONTINENT
            reasons.append(Reason("same_continent", {"region": challenge.continent}))
    if challenge.size_band and size_band_of(candidate.population) == challenge.size_band:
        points += W_SIZE
        reasons.append(Reason("similar_size", {"band": challenge.size_band}))
    if candidate.kind != "organisation":
        languages = [code for code in challenge.languages if code in candidate.languages]
        if languages:
            points += W_LANGUAGE * len(languages)
            code = "speaks" if candidate.kind == "person" else "written_in"
            reasons.append(Reason(code, {"languages": languages}))
    if candidate.text_match:
        points += W_TEXT
        reasons.append(Reason("text", {"text": challenge.text}))
    if points and candidate.kind == "practice" and candidate.presented:
        points += W_PRESENTED
        for title, year in candidate.presented[:PRESENTED_SHOWN]:
            reasons.append(Reason("presented", {"event": title, "year": year}))
    return Match(kind=candidate.kind, id=candidate.id, title=candidate.title, url=candidate.url, score=points,
                 reasons=reasons)


def sort_key(match: Match) -> tuple[int, int, int]:
    return (-match.score, KINDS.index(match.kind), match.id)


def rank(challenge: Challenge, candidates: Iterable[Candidate], limit: int = MAX_RESULTS) -> list[Match]:
    """The candidates that earned something, best first (score, then kind, then id), at most `limit`."""
    matches = [m for m in (score(challenge, c) for c in candidates) if m.score > 0]
    return sorted(matches, key=sort_key)[:limit]


# ---------------------------------------------------------------------------------------------------
# Sentences, at the edge: `t` is an app.language.Translator in the reader's language


def _babel_locale(t) -> str:
    return "en_GB" if t.language in ("en", "en_US_POSIX") else t.language


def _join(items: list[str], t) -> str:
    return format_list(items, locale=_babel_locale(t)) if items else ""


def reason_text(reason: Reason, t) -> str:
    """One reason as a phrase in t's language ("shares SDG target 11.2")."""
    values = reason.values
    if reason.code == "sdg_targets":
        targets = values["targets"]
        return t.ngettext("shares SDG target %(targets)s", "shares SDG targets %(targets)s", len(targets),
                          targets=_join(targets, t))
    if reason.code == "topics":
        names = [t.gettext(name) for name in values["topics"]]
        return t.ngettext("shares the topic %(topics)s", "shares the topics %(topics)s", len(names),
                          topics=_join(names, t))
    if reason.code == "same_region":
        return t.gettext("in the same region (%(region)s)", region=region_name(values["region"], t.gettext))
    if reason.code == "same_continent":
        return t.gettext("in the same part of the world (%(region)s)",
                         region=region_name(values["region"], t.gettext))
    if reason.code == "similar_size":
        return t.gettext("a city of similar size (%(band)s)", band=t.gettext(SIZE_LABELS[values["band"]]))
    if reason.code == "speaks":
        return t.gettext("speaks %(languages)s", languages=_join([t.language_name(c) for c in values["languages"]], t))
    if reason.code == "written_in":
        return t.gettext("available in %(languages)s",
                         languages=_join([t.language_name(c) for c in values["languages"]], t))
    if reason.code == "text":
        return t.gettext("mentions “%(words)s”", words=values["text"])
    if reason.code == "presented":
        return t.gettext("presented at %(event)s (%(year)s)", event=values["event"], year=str(values["year"]))
    return reason.code


def reason_json(reason: Reason, t) -> dict:
    """A reason for the API: its code, its values and its phrase in the reader's language."""
    return {"code": reason.code, "values": dict(reason.values), "text": reason_text(reason, t)}
