"""Gathering the candidates of a challenge, in a constant number of queries whatever the data's size.

For each kind (published practices, organisations, visible profiles) a select pre-filters with SQL on what is
shared (targets, topics, region, size, languages, the site search's matches for the free text), computes the
score of app/people/matching.py in SQL and keeps the best MAX_RESULTS: the practices first, then the
organisations and people that can still beat the 30th practice, as one statement (UNION ALL); see _kept_rows.
Then a few queries load what the reasons name for the best MAX_RESULTS. The final order and the reasons come
from matching.score (the one definition; the SQL expression mirrors it and tests hold them together, and the
pruned ranking to the full scan's).
"""

from __future__ import annotations

from collections import defaultdict
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from app.auth.models import User
from app.directory.models import Organisation, Topic
from app.directory.regions import SUB_REGIONS, region_of
from app.events.models import Event
from app.people.matching import (
    KINDS,
    MAX_RESULTS,
    SIZE_BOUNDS,
    W_CONTINENT,
    W_LANGUAGE,
    W_PRESENTED,
    W_REGION,
    W_SIZE,
    W_TARGET,
    W_TEXT,
    W_TOPIC,
    Candidate,
    Challenge,
    Match,
    rank,
)
from app.people.models import Profile, ProfileSdgTarget, profile_topic
from app.practices.models import (
    Practice,
    PracticeSdgTarget,
    PracticeTranslation,
    practice_event,
    practice_topic,
)
from app.search import matching_ids

__all__ = ["find_matches", "topic_choices", "visible_people"]


def topic_choices(session: Session) -> list[Topic]:
    """Every topic, by name (the form's checkboxes; their slugs are what a challenge may name)."""
    return list(session.scalars(sa.select(Topic).order_by(Topic.name)))


def _countries(sub_regions) -> list[str]:
    return sorted(c for code in sub_regions for c in SUB_REGIONS[code][2].split())


def _continent_sub_regions(challenge: Challenge) -> list[str]:
    """The other sub-regions of the challenge's continent."""
    return [code for code, (_, parent, _) in SUB_REGIONS.items()
            if parent == challenge.continent and code != challenge.region]


def _flag(condition, weight: int):
    return sa.case((condition, weight), else_=0)


def _size_condition(population, band: str):
    low, high = SIZE_BOUNDS[band]
    condition = population >= low
    return condition if high is None else sa.and_(condition, population < high)


class _Parts:
    """The score's terms and the pre-filter's conditions of one kind, collected as they are built."""

    def __init__(self):
        self.terms: list = []
        self.filters: list = []
        self.selective: list[tuple[int, object, object]] = []  # (most points, points, select of the ids)

    def add_selective(self, most: int, term, condition, ids) -> None:
        """A selective term (targets, topics, the free text): few candidates share it, found from its index."""
        self.add(term, condition)
        self.selective.append((most, term, ids))

    def beating(self, id_column, need: int | None):
        """The pre-filter keeping only the candidates whose selective points reach `need` (None: everyone
        sharing something; sa.false() when none can), driven by the index of a criterion they must all share
        (the driver may hold more ids than qualify: the points decide)."""
        if need is None or need <= 0 or not self.selective:
            return None
        total = sum(most for most, _, _ in self.selective)
        if need > total:
            return sa.false()
        required = [ids for most, _, ids in self.selective if total - most < need]
        driver = required[0] if required else sa.union(*[ids for _, _, ids in self.selective])
        points = self.selective[0][1]
        for _, term, _ in self.selective[1:]:
            points = points + term
        return sa.and_(id_column.in_(driver), points >= need)

    def add(self, term, condition) -> None:
        self.terms.append(term)
        self.filters.append(condition)

    def score(self):
        total = self.terms[0]
        for term in self.terms[1:]:
            total = total + term
        return total


def _region_terms(parts: _Parts, challenge: Challenge, region_column) -> None:
    if not challenge.region:
        return
    others = _continent_sub_regions(challenge)
    term = sa.case((region_column == challenge.region, W_REGION), (region_column.in_(others), W_CONTINENT),
                   else_=0)
    parts.add(term, region_column.in_([challenge.region, *others]))


def _text(session: Session, challenge: Challenge):
    """The site search's matches for the free text, every kind's, as one CTE of (kind, object_id): the words are
    searched once however many kinds and terms name it (the three kinds' queries are one statement)."""
    if not challenge.text:
        return None
    return matching_ids(session, challenge.text, KINDS).cte("text_matches")


def _text_ids(found, kind: str):
    return None if found is None else sa.select(found.c.object_id).where(found.c.kind == kind)


def _grouped(key, *where, name: str):
    """A subquery of (key, n): how many rows each owner has that meet `where`, joined once (hash joins) rather
    than counted per candidate (a lookup per row of a broad pre-filter)."""
    return sa.select(key.label("key"), sa.func.count().label("n")).where(*where).group_by(key).subquery(name)


def _top(parts: _Parts, id_column, text_ids, *extra_where, extra_term=None, joins=()):
    """The select of (id, score, text matched) of the best MAX_RESULTS of a kind (None: nothing to score)."""
    if text_ids is not None:
        parts.add(_flag(id_column.in_(text_ids), W_TEXT), id_column.in_(text_ids))
    if not parts.terms:
        return None
    score = parts.score()
    if extra_term is not None:
        score = score + extra_term
    text = id_column.in_(text_ids) if text_ids is not None else sa.false()
    stmt = sa.select(id_column.label("id"), score.label("score"), text.label("text")).select_from(id_column.table)
    for joined in joins:
        stmt = stmt.outerjoin(joined, joined.c.key == id_column)
    return stmt.where(*extra_where, sa.or_(*parts.filters)).order_by(sa.desc("score"), id_column).limit(MAX_RESULTS)


def _practice_rows(challenge: Challenge, topic_ids: list[int], found):
    parts = _Parts()
    pid = Practice.id
    joins = []
    if challenge.sdg_targets:
        S = PracticeSdgTarget
        shared = _grouped(S.practice_id, S.target.in_(challenge.sdg_targets), name="shared_targets")
        joins.append(shared)
        parts.add(W_TARGET * sa.func.coalesce(shared.c.n, 0), shared.c.n.is_not(None))
    if topic_ids:
        t = practice_topic.c
        shared = _grouped(t.practice_id, t.topic_id.in_(topic_ids), name="shared_topics")
        joins.append(shared)
        parts.add(W_TOPIC * sa.func.coalesce(shared.c.n, 0), shared.c.n.is_not(None))
    _region_terms(parts, challenge, Practice.region)
    if challenge.size_band:
        condition = Practice.organisation_id.in_(
            sa.select(Organisation.id).where(_size_condition(Organisation.population, challenge.size_band)))
        parts.add(_flag(condition, W_SIZE), condition)
    if challenge.languages:
        # a translation in the practice's own language would count twice: none is stored (inputs refuse it)
        T = PracticeTranslation
        translated = _grouped(T.practice_id, T.language.in_(challenge.languages), name="translated")
        joins.append(translated)
        parts.add(W_LANGUAGE * (_flag(Practice.language.in_(challenge.languages), 1)
                                + sa.func.coalesce(translated.c.n, 0)),
                  sa.or_(Practice.language.in_(challenge.languages), translated.c.n.is_not(None)))
    text_ids = _text_ids(found, "practice")
    presented = _flag(pid.in_(sa.select(practice_event.c.practice_id).join(
        Event, Event.id == practice_event.c.event_id).where(Event.status == "published")), W_PRESENTED)
    return _top(parts, pid, text_ids, Practice.status == "published", extra_term=presented, joins=joins)


def _organisation_rows(challenge: Challenge, topic_ids: list[int], found, need: int | None = None):
    # an organisation's targets and topics are its published practices': counted once per organisation in a
    # grouped subquery joined to it (a correlated count per organisation took seconds on 10,000 practices)
    parts = _Parts()
    oid = Organisation.id
    joins = []
    if challenge.sdg_targets:
        shared = (sa.select(Practice.organisation_id.label("org"),
                            sa.func.count(sa.distinct(PracticeSdgTarget.target)).label("n"))
                  .join(PracticeSdgTarget, PracticeSdgTarget.practice_id == Practice.id)
                  .where(Practice.status == "published", PracticeSdgTarget.target.in_(challenge.sdg_targets))
                  .group_by(Practice.organisation_id).subquery("shared_targets"))
        joins.append(shared)
        parts.add_selective(W_TARGET * len(challenge.sdg_targets), W_TARGET * sa.func.coalesce(shared.c.n, 0),
                            shared.c.n.is_not(None),
                            sa.select(Practice.organisation_id)
                            .join(PracticeSdgTarget, PracticeSdgTarget.practice_id == Practice.id)
                            .where(PracticeSdgTarget.target.in_(challenge.sdg_targets)))
    if topic_ids:
        t = practice_topic.c
        shared = (sa.select(Practice.organisation_id.label("org"), sa.func.count(sa.distinct(t.topic_id)).label("n"))
                  .join(practice_topic, t.practice_id == Practice.id)
                  .where(Practice.status == "published", t.topic_id.in_(topic_ids))
                  .group_by(Practice.organisation_id).subquery("shared_topics"))
        joins.append(shared)
        parts.add_selective(W_TOPIC * len(topic_ids), W_TOPIC * sa.func.coalesce(shared.c.n, 0),
                            shared.c.n.is_not(None),
                            sa.select(Practice.organisation_id).join(practice_topic, t.practice_id == Practice.id)
                            .where(t.topic_id.in_(topic_ids)))
    _region_terms(parts, challenge, Organisation.region)
    if challenge.size_band:
        condition = _size_condition(Organisation.population, challenge.size_band)
        parts.add(_flag(condition, W_SIZE), condition)
    text_ids = _text_ids(found, "organisation")
    if text_ids is not None:
        parts.add_selective(W_TEXT, _flag(oid.in_(text_ids), W_TEXT), oid.in_(text_ids), text_ids)
    if not parts.terms:
        return None
    score = parts.score()
    text = oid.in_(text_ids) if text_ids is not None else sa.false()
    stmt = sa.select(oid.label("id"), score.label("score"), text.label("text")).select_from(Organisation)
    for joined in joins:
        stmt = stmt.outerjoin(joined, joined.c.org == oid)
    only = parts.beating(oid, need)
    return (stmt.where(sa.or_(*parts.filters) if only is None else only).order_by(sa.desc("score"), oid)
            .limit(MAX_RESULTS))


def visible_people(signed_in: bool):
    """The condition on Profile/User of the profiles a caller may see: public ones, and members-only ones for
    signed-in callers; never hidden ones, never deactivated accounts."""
    shown = ("public", "members") if signed_in else ("public",)
    return sa.and_(Profile.visibility.in_(shown), User.is_active_account.is_(True))


def _person_rows(challenge: Challenge, topic_ids: list[int], signed_in: bool, found, need: int | None = None):
    parts = _Parts()
    uid = Profile.user_id
    joins = []
    if challenge.sdg_targets:
        S = ProfileSdgTarget
        shared = _grouped(S.user_id, S.target.in_(challenge.sdg_targets), name="shared_targets")
        joins.append(shared)
        parts.add_selective(W_TARGET * len(challenge.sdg_targets), W_TARGET * sa.func.coalesce(shared.c.n, 0),
                            shared.c.n.is_not(None),
                            sa.select(S.user_id).where(S.target.in_(challenge.sdg_targets)))
    if topic_ids:
        t = profile_topic.c
        shared = _grouped(t.user_id, t.topic_id.in_(topic_ids), name="shared_topics")
        joins.append(shared)
        parts.add_selective(W_TOPIC * len(topic_ids), W_TOPIC * sa.func.coalesce(shared.c.n, 0),
                            shared.c.n.is_not(None), sa.select(t.user_id).where(t.topic_id.in_(topic_ids)))
    if challenge.region:
        # a person's region is their organisation's, else their own country's
        others = _continent_sub_regions(challenge)
        no_org = Organisation.id.is_(None)
        same = sa.or_(Organisation.region == challenge.region,
                      sa.and_(no_org, User.country.in_(_countries([challenge.region]))))
        near = sa.or_(Organisation.region.in_(others), sa.and_(no_org, User.country.in_(_countries(others))))
        parts.add(sa.case((same, W_REGION), (near, W_CONTINENT), else_=0), sa.or_(same, near))
    if challenge.size_band:
        condition = _size_condition(Organisation.population, challenge.size_band)
        parts.add(_flag(condition, W_SIZE), condition)
    if challenge.languages:
        # languages is a JSON list of codes: its text holds "fr" (quotes included) when French is in it
        spoken = sa.cast(Profile.languages, sa.Text)
        conditions = [spoken.like(f'%"{code}"%') for code in challenge.languages]
        total = _flag(conditions[0], W_LANGUAGE)
        for condition in conditions[1:]:
            total = total + _flag(condition, W_LANGUAGE)
        parts.add(total, sa.or_(*conditions))
    text_ids = _text_ids(found, "person")
    if text_ids is not None:
        parts.add_selective(W_TEXT, _flag(uid.in_(text_ids), W_TEXT), uid.in_(text_ids), text_ids)
    if not parts.terms:
        return None
    score = parts.score()
    text = uid.in_(text_ids) if text_ids is not None else sa.false()
    stmt = (sa.select(uid.label("id"), score.label("score"), text.label("text")).select_from(Profile)
            .join(User, User.id == uid).outerjoin(Organisation, Organisation.id == User.organisation_id))
    for joined in joins:
        stmt = stmt.outerjoin(joined, joined.c.key == uid)
    only = parts.beating(uid, need)
    return (stmt.where(visible_people(signed_in), sa.or_(*parts.filters) if only is None else only)
            .order_by(sa.desc("score"), uid).limit(MAX_RESULTS))


def _broad_most(kind: str, challenge: Challenge) -> int:
    """The most a candidate of `kind` can earn from the broad criteria (region, size, languages, presented)."""
    most = (W_REGION if challenge.region else 0) + (W_SIZE if challenge.size_band else 0)
    if kind != "organisation":
        most += W_LANGUAGE * len(challenge.languages)
    if kind == "practice":
        most += W_PRESENTED
    return most


def _selective_most(challenge: Challenge, topic_ids: list[int], found) -> int:
    """The most a candidate can earn from the selective criteria (targets, topics, the free text)."""
    return W_TARGET * len(challenge.sdg_targets) + W_TOPIC * len(topic_ids) + (W_TEXT if found is not None else 0)


def _kept_rows(session: Session, challenge: Challenge, *, signed_in: bool, kinds=KINDS,
               prune: bool = True) -> dict[str, list]:
    """Each kind's best MAX_RESULTS rows (id, score, text) of those that can be among the best MAX_RESULTS.

    The practices first: when MAX_RESULTS of them score `s` or more, an organisation or a person needs more than
    `s` (equal scores go to practices), so only those whose selective points (targets, topics, the free text)
    plus the most the broad criteria could add beat `s` are scored: found from the index of a criterion they must
    all share (often the SDG target) rather than by scanning everyone in the region; a kind that cannot beat `s`
    is not queried. Two statements (practices; organisations and people as one UNION ALL), sharing one search of
    the free text. `prune=False`: one statement scoring everyone sharing something (the reference the tests
    compare with)."""
    topic_ids = list(session.scalars(sa.select(Topic.id).where(Topic.slug.in_(challenge.topics)))) \
        if challenge.topics else []
    found = _text(session, challenge)
    result: dict[str, list] = {kind: [] for kind in KINDS}
    needs: dict[str, int | None] = {kind: None for kind in KINDS}
    if prune and "practice" in kinds and len(kinds) > 1:
        stmt = _practice_rows(challenge, topic_ids, found)
        if stmt is not None:
            result["practice"] = session.execute(stmt).all()
        if len(result["practice"]) >= MAX_RESULTS:
            beat = int(result["practice"][-1].score) + 1
            most = _selective_most(challenge, topic_ids, found)
            for kind in KINDS[1:]:
                needs[kind] = beat - _broad_most(kind, challenge)
            kinds = tuple(kind for kind in kinds if kind != "practice" and needs[kind] <= most)
        else:
            kinds = tuple(kind for kind in kinds if kind != "practice")
    builders = {"practice": lambda: _practice_rows(challenge, topic_ids, found),
                "organisation": lambda: _organisation_rows(challenge, topic_ids, found, needs["organisation"]),
                "person": lambda: _person_rows(challenge, topic_ids, signed_in, found, needs["person"])}
    parts = []
    for kind in KINDS:
        if kind in kinds and (stmt := builders[kind]()) is not None:
            top = stmt.subquery(f"top_{kind}")
            parts.append(sa.select(sa.literal(kind).label("kind"), top.c.id, top.c.score, top.c.text))
    if parts:
        for row in session.execute(sa.union_all(*parts) if len(parts) > 1 else parts[0]):
            result[row.kind].append(row)
    return result


# ---------------------------------------------------------------------------------------------------
# What the reasons name, for the few kept


def _topic_names(session: Session, table, key, ids: list[int]) -> dict[int, dict[str, str]]:
    result: dict[int, dict[str, str]] = defaultdict(dict)
    if ids:
        rows = session.execute(sa.select(key, Topic.slug, Topic.name).join(Topic, Topic.id == table.c.topic_id)
                               .where(key.in_(ids)))
        for owner, slug, name in rows:
            result[owner][slug] = name
    return result


def _practice_candidates(session: Session, rows) -> list[Candidate]:
    ids = [row.id for row in rows]
    if not ids:
        return []
    text = {row.id: bool(row.text) for row in rows}
    practices = session.scalars(sa.select(Practice).where(Practice.id.in_(ids))
                                .options(selectinload(Practice.target_rows))).all()
    populations = dict(session.execute(sa.select(Practice.id, Organisation.population)
                                       .join(Organisation, Organisation.id == Practice.organisation_id)
                                       .where(Practice.id.in_(ids))).all())
    topics = _topic_names(session, practice_topic, practice_topic.c.practice_id, ids)
    languages: dict[int, set[str]] = defaultdict(set)
    for practice_id, language in session.execute(sa.select(PracticeTranslation.practice_id,
                                                            PracticeTranslation.language)
                                                  .where(PracticeTranslation.practice_id.in_(ids))):
        languages[practice_id].add(language)
    presented: dict[int, list[tuple[str, int]]] = defaultdict(list)
    # published-only and the order are applied here, not in SQL: either made SQLite walk every published event
    # by date (the status/date index) instead of looking up the few practices' links (~10 ms of 1,000 events)
    events = session.execute(sa.select(practice_event.c.practice_id, Event.id, Event.title, Event.starts_at,
                                       Event.timezone, Event.status)
                             .join(Event, Event.id == practice_event.c.event_id)
                             .where(practice_event.c.practice_id.in_(ids))).all()
    events = [row for row in events if row.status == "published"]
    for practice_id, _, title, starts_at, zone, _ in sorted(events, key=lambda row: (row.starts_at, row.id),
                                                            reverse=True):
        presented[practice_id].append((title, _year(starts_at, zone)))
    return [Candidate(kind="practice", id=p.id, title=p.title, url=f"/practices/{p.id}", topics=topics[p.id],
                      sdg_targets=frozenset(r.target for r in p.target_rows), region=p.region or "",
                      population=populations.get(p.id), languages=frozenset({p.language, *languages[p.id]}),
                      text_match=text[p.id], presented=tuple(presented[p.id]))
            for p in practices]


def _year(starts_at, zone: str) -> int:
    try:
        return starts_at.astimezone(ZoneInfo(zone)).year
    except (ValueError, KeyError):
        return starts_at.year


def _organisation_candidates(session: Session, rows) -> list[Candidate]:
    ids = [row.id for row in rows]
    if not ids:
        return []
    text = {row.id: bool(row.text) for row in rows}
    organisations = session.scalars(sa.select(Organisation).where(Organisation.id.in_(ids))).all()
    # published-only is applied here, not in SQL: with it SQLite walked every published practice (the status
    # index) instead of the few organisations' ones (~15 ms per query of 10,000 practices)
    topics: dict[int, dict[str, str]] = defaultdict(dict)
    for org_id, slug, name, status in session.execute(
            sa.select(Practice.organisation_id, Topic.slug, Topic.name, Practice.status).distinct()
            .join(practice_topic, practice_topic.c.practice_id == Practice.id)
            .join(Topic, Topic.id == practice_topic.c.topic_id)
            .where(Practice.organisation_id.in_(ids))):
        if status == "published":
            topics[org_id][slug] = name
    targets: dict[int, set[str]] = defaultdict(set)
    for org_id, target, status in session.execute(
            sa.select(Practice.organisation_id, PracticeSdgTarget.target, Practice.status).distinct()
            .join(PracticeSdgTarget, PracticeSdgTarget.practice_id == Practice.id)
            .where(Practice.organisation_id.in_(ids))):
        if status == "published":
            targets[org_id].add(target)
    return [Candidate(kind="organisation", id=o.id, title=o.name, url=f"/organisations/{o.id}", topics=topics[o.id],
                      sdg_targets=frozenset(targets[o.id]), region=o.region or "", population=o.population,
                      text_match=text[o.id])
            for o in organisations]


def _person_candidates(session: Session, rows) -> list[Candidate]:
    ids = [row.id for row in rows]
    if not ids:
        return []
    text = {row.id: bool(row.text) for row in rows}
    found = session.execute(sa.select(Profile, User.name, User.country, Organisation.region, Organisation.population)
                            .join(User, User.id == Profile.user_id)
                            .outerjoin(Organisation, Organisation.id == User.organisation_id)
                            .where(Profile.user_id.in_(ids))
                            .options(selectinload(Profile.target_rows))).all()
    topics = _topic_names(session, profile_topic, profile_topic.c.user_id, ids)
    result = []
    for profile, name, country, org_region, population in found:
        region = org_region if org_region is not None else region_of(country)
        result.append(Candidate(kind="person", id=profile.user_id, title=name, url=f"/people/{profile.user_id}",
                                topics=topics[profile.user_id],
                                sdg_targets=frozenset(r.target for r in profile.target_rows), region=region or "",
                                population=population, languages=frozenset(profile.languages or ()),
                                text_match=text[profile.user_id]))
    return result


def find_matches(session: Session, challenge: Challenge, *, signed_in: bool, kinds=KINDS,
                 prune: bool = True) -> list[Match]:
    """The best practices, organisations and people for a challenge, with their reasons (at most MAX_RESULTS).

    People: public profiles, and members-only ones when `signed_in`; hidden profiles never. `prune=False`: score
    everyone sharing something (the reference the tests compare the pruned path with)."""
    rows = _kept_rows(session, challenge, signed_in=signed_in, kinds=kinds, prune=prune)
    # what the reasons name is loaded for the best MAX_RESULTS only (the SQL score is matching.score's, a test
    # holds them together; the order is matching.sort_key's)
    best = sorted(((-int(row.score), KINDS.index(kind), row.id, kind, row) for kind in KINDS for row in rows[kind]),
                  key=lambda item: item[:3])[:MAX_RESULTS]
    rows = {kind: [item[4] for item in best if item[3] == kind] for kind in KINDS}
    candidates: list[Candidate] = []
    candidates += _practice_candidates(session, rows["practice"])
    candidates += _organisation_candidates(session, rows["organisation"])
    candidates += _person_candidates(session, rows["person"])
    return rank(challenge, candidates)


def sql_scores(session: Session, challenge: Challenge, *, signed_in: bool,
               prune: bool = False) -> dict[tuple[str, int], int]:
    """The scores the pre-ranking queries computed (for the test that holds SQL and Python together)."""
    result = {}
    for kind, rows in _kept_rows(session, challenge, signed_in=signed_in, prune=prune).items():
        for row in rows:
            result[(kind, row.id)] = int(row.score)
    return result
