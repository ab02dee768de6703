"""The practices list with its filters and facet counts, related practices and revisions.

A constant number of queries whatever the page size: the page's practices with their topics, goals,
targets, files and organisation by selectinload; one query per facet.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

import app.practices.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.auth.rules import can_review_practice
from app.directory.models import Topic
from app.directory.regions import REGIONS, SUB_REGIONS
from app.directory.services import normalise_country
from app.errors import ValidationFailed
from app.language import LANGUAGES
from app.practices.limits import STAGES, STATUSES
from app.practices.models import (
    Practice,
    PracticeRevision,
    PracticeSdgGoal,
    PracticeSdgTarget,
    PracticeTranslation,
    practice_topic,
)
from app.practices.sdg import normalise_target
from app.search.fold import fold
from app.search.query import matching_ids
from app.validation import as_id

Q_MAX = 200
PER_PAGE_MAX = 100
FACETS = ("topic", "sdg", "region", "country", "stage", "language")


@dataclass
class PracticeFilters:
    q: str | None = None
    topic: str | None = None
    sdg: str | None = None  # a goal ("11") or a target ("11.2")
    region: str | None = None  # an M49 sub-region ("155") or region ("150")
    country: str | None = None
    stage: str | None = None
    language: str | None = None
    organisation: int | None = None
    status: str | None = None
    mine: bool = False  # the viewer's own and their organisation's practices, in every status (pages)

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, "", False)}


def parse_filters(args) -> PracticeFilters:
    """Filters from query parameters; a bad one is a ValidationFailed naming it."""
    def get(name):
        value = args.get(name)
        value = value.strip() if isinstance(value, str) else None
        if value and "\x00" in value:
            raise ValidationFailed("practice.filter.invalid", field=name, name=name)
        if value and len(value) > (Q_MAX if name == "q" else 40):
            if name == "q":
                raise ValidationFailed("practice.filter.q_too_long", field="q", maximum=Q_MAX)
            raise ValidationFailed("practice.filter.invalid", field=name, name=name)
        return value or None

    result = PracticeFilters(q=get("q"), topic=(get("topic") or "").lower() or None)
    sdg = get("sdg")
    if sdg:
        if sdg.isdigit() and 1 <= int(sdg) <= 17:
            result.sdg = str(int(sdg))
        elif normalise_target(sdg):
            result.sdg = normalise_target(sdg)
        else:
            raise ValidationFailed("practice.filter.sdg", field="sdg")
    region = get("region")
    if region:
        if region not in SUB_REGIONS and region not in REGIONS:
            raise ValidationFailed("practice.filter.region", field="region")
        result.region = region
    country = get("country")
    if country:
        result.country = normalise_country(country, required=False)
    stage = get("stage")
    if stage:
        if stage not in STAGES:
            raise ValidationFailed("practice.filter.stage", field="stage", stages=", ".join(STAGES))
        result.stage = stage
    lang = get("language")
    if lang:
        if lang.lower() not in LANGUAGES:
            raise ValidationFailed("practice.filter.language", field="language")
        result.language = lang.lower()
    organisation = get("organisation")
    if organisation:
        result.organisation = as_id(organisation)
        if result.organisation is None:
            raise ValidationFailed("practice.filter.organisation", field="organisation")
    status = get("status")
    if status:
        if status not in STATUSES:
            raise ValidationFailed("practice.filter.status", field="status", statuses=", ".join(STATUSES))
        result.status = status
    return result




def _text_filter(session: Session, q: str):
    """Practices matching q: published ones through the site search (app.search: accents, case and word
    prefixes as everywhere); drafts and practices under review, which the public index does not hold, by
    every word of q in their title, summary or city (their editors see only a handful)."""
    published = Practice.id.in_(matching_ids(session, q, "practice"))
    words = [w for w in fold(q).split() if any(ch.isalnum() for ch in w)]
    if not words:
        return published
    rows = session.execute(
        sa.select(Practice.id, Practice.title, Practice.summary, Practice.city)
        .where(Practice.status != "published")
        .union_all(sa.select(PracticeTranslation.practice_id, PracticeTranslation.title, PracticeTranslation.summary,
                             sa.literal("")).join(Practice, Practice.id == PracticeTranslation.practice_id)
                   .where(Practice.status != "published"))).all()
    texts: dict[int, str] = {}
    for practice_id, title, summary, city in rows:
        texts[practice_id] = f"{texts.get(practice_id, '')} {title} {summary} {city}"
    unlisted = set()
    for practice_id, text in texts.items():
        folded = fold(text)
        joined = "".join(folded.split())  # "danang" finds "Đà Nẵng"
        if all(w in folded or w in joined for w in words):
            unlisted.add(practice_id)
    return sa.or_(published, Practice.id.in_(sorted(unlisted))) if unlisted else published


def _own(viewer):
    """The viewer's practices: those they wrote and those of their organisation."""
    if viewer is None or getattr(viewer, "id", None) is None or not getattr(viewer, "is_authenticated", True):
        return sa.false()
    own = Practice.author_id == viewer.id
    if getattr(viewer, "organisation_id", None) is not None:
        own = sa.or_(own, Practice.organisation_id == viewer.organisation_id)
    return own


def _visibility(viewer, status: str | None, mine: bool = False):
    """Strangers see published practices; a status filter shows editors their own (reviewers: everyone's);
    `mine` shows the viewer's own in every status (or the one asked)."""
    if mine:
        return sa.and_(_own(viewer), Practice.status == status) if status else _own(viewer)
    if not status:
        return Practice.status == "published"
    if status == "published" or can_review_practice(viewer):
        return Practice.status == status
    return sa.and_(Practice.status == status, _own(viewer))


def _conditions(session: Session, filters: PracticeFilters, viewer) -> list:
    conditions = [_visibility(viewer, filters.status, filters.mine)]
    if filters.q:
        conditions.append(_text_filter(session, filters.q))
    if filters.topic:
        conditions.append(Practice.id.in_(sa.select(practice_topic.c.practice_id).join(
            Topic, Topic.id == practice_topic.c.topic_id).where(Topic.slug == filters.topic)))
    if filters.sdg:
        if "." in filters.sdg:
            conditions.append(Practice.id.in_(sa.select(PracticeSdgTarget.practice_id)
                                              .where(PracticeSdgTarget.target == filters.sdg)))
        else:
            conditions.append(Practice.id.in_(sa.select(PracticeSdgGoal.practice_id)
                                              .where(PracticeSdgGoal.goal == int(filters.sdg))))
    if filters.region:
        if filters.region in REGIONS:
            subs = [code for code, (_, parent, _) in SUB_REGIONS.items() if parent == filters.region]
            conditions.append(Practice.region.in_(subs))
        else:
            conditions.append(Practice.region == filters.region)
    if filters.country:
        conditions.append(Practice.country == filters.country)
    if filters.stage:
        conditions.append(Practice.stage == filters.stage)
    if filters.language:
        conditions.append(sa.or_(Practice.language == filters.language, Practice.id.in_(
            sa.select(PracticeTranslation.practice_id).where(PracticeTranslation.language == filters.language))))
    if filters.organisation:
        conditions.append(Practice.organisation_id == filters.organisation)
    return conditions


def list_options():
    """What a list page shows of each practice, loaded in a constant number of queries."""
    return (selectinload(Practice.organisation), selectinload(Practice.topics), selectinload(Practice.goal_rows),
            selectinload(Practice.target_rows), selectinload(Practice.files), selectinload(Practice.translations),
            selectinload(Practice.contact), selectinload(Practice.indicators), selectinload(Practice.events),
            selectinload(Practice.modules))


def list_practices(session: Session, *, filters: PracticeFilters | None = None, page: int = 1, per_page: int = 20,
                   viewer=None) -> tuple[list[Practice], int]:
    """A page of practices (newest publication first) and how many match in all."""
    filters = filters or PracticeFilters()
    page = max(int(page or 1), 1)
    per_page = min(max(int(per_page or 20), 1), PER_PAGE_MAX)
    conditions = _conditions(session, filters, viewer)
    total = session.scalar(sa.select(sa.func.count()).select_from(Practice).where(*conditions)) or 0
    items = list(session.scalars(
        sa.select(Practice).where(*conditions).options(*list_options())
        .order_by(Practice.published_at.desc().nulls_last(), Practice.updated_at.desc(), Practice.id.desc())
        .limit(per_page).offset((page - 1) * per_page)))
    return items, total


def facet_counts(session: Session, filters: PracticeFilters | None = None, viewer=None) -> dict[str, dict]:
    """{facet: {value: count}} over the practices matching the filters (one query per facet)."""
    filters = filters or PracticeFilters()
    conditions = _conditions(session, filters, viewer)
    matching = sa.select(Practice.id).where(*conditions).scalar_subquery()
    out: dict[str, dict] = {}
    out["topic"] = dict(session.execute(
        sa.select(Topic.slug, sa.func.count()).join(practice_topic, practice_topic.c.topic_id == Topic.id)
        .where(practice_topic.c.practice_id.in_(matching)).group_by(Topic.slug)).all())
    out["sdg"] = {str(goal): count for goal, count in session.execute(
        sa.select(PracticeSdgGoal.goal, sa.func.count()).where(PracticeSdgGoal.practice_id.in_(matching))
        .group_by(PracticeSdgGoal.goal).order_by(PracticeSdgGoal.goal)).all()}
    for name, column in (("region", Practice.region), ("country", Practice.country), ("stage", Practice.stage),
                         ("language", Practice.language)):
        out[name] = {value: count for value, count in session.execute(
            sa.select(column, sa.func.count()).where(Practice.id.in_(matching)).group_by(column)).all() if value}
    return out


def related_practices(session: Session, practice: Practice, limit: int = 5) -> list[Practice]:
    """Published practices sharing SDG targets (weighing most), then topics, then goals with this one."""
    targets = sa.select(PracticeSdgTarget.practice_id.label("pid"), sa.literal(4).label("w")).where(
        PracticeSdgTarget.target.in_(practice.sdg_targets or ["-"]))
    topics = sa.select(practice_topic.c.practice_id.label("pid"), sa.literal(2).label("w")).where(
        practice_topic.c.topic_id.in_([t.id for t in practice.topics] or [0]))
    goals = sa.select(PracticeSdgGoal.practice_id.label("pid"), sa.literal(1).label("w")).where(
        PracticeSdgGoal.goal.in_(practice.sdg_goals or [0]))
    shared = sa.union_all(targets, topics, goals).subquery()
    score = sa.func.sum(shared.c.w).label("score")
    ranked = session.execute(
        sa.select(shared.c.pid, score).join(Practice, Practice.id == shared.c.pid)
        .where(shared.c.pid != practice.id, Practice.status == "published")
        .group_by(shared.c.pid).order_by(score.desc(), shared.c.pid.desc()).limit(limit)).all()
    ids = [row[0] for row in ranked]
    if not ids:
        return []
    found = {p.id: p for p in session.scalars(sa.select(Practice).where(Practice.id.in_(ids))
                                               .options(*list_options()))}
    return [found[i] for i in ids if i in found]


def linked_practices(session: Session, *, event_id: int | None = None, module_id: int | None = None
                     ) -> list[Practice]:
    """Published practices presented at an event or taught by a module, newest first (for those pages)."""
    from app.practices.models import practice_event, practice_module

    table, column, key = ((practice_event, practice_event.c.event_id, event_id) if event_id is not None
                          else (practice_module, practice_module.c.module_id, module_id))
    return list(session.scalars(
        sa.select(Practice).join(table, table.c.practice_id == Practice.id)
        .where(column == key, Practice.status == "published").options(*list_options())
        .order_by(Practice.published_at.desc(), Practice.id.desc())))


def find_members(session: Session, q: str, *, limit: int = 20) -> list:
    """Active members whose name contains q (case and accents ignored), for choosing a contact person by name;
    (id, name, organisation name) only, never an email address."""
    from app.auth.models import User
    from app.directory.models import Organisation

    words = fold(q or "").split()
    if not words or len(q) > Q_MAX:
        return []
    rows = session.execute(
        sa.select(User.id, User.name, Organisation.name).outerjoin(Organisation, User.organisation_id == Organisation.id)
        .where(User.is_active_account.is_(True)).order_by(User.name, User.id)).all()
    return [row for row in rows if all(w in fold(row[1]) for w in words)][:limit]


def revisions(session: Session, practice_id: int) -> list[PracticeRevision]:
    """The practice's revisions, newest first, with who made them (for editors; the caller checks)."""
    return list(session.scalars(
        sa.select(PracticeRevision).where(PracticeRevision.practice_id == practice_id)
        .options(selectinload(PracticeRevision.actor))
        .order_by(PracticeRevision.number.desc(), PracticeRevision.id.desc())))


__all__ = ["FACETS", "PracticeFilters", "parse_filters", "fold", "list_practices", "facet_counts",
           "related_practices", "revisions", "list_options", "linked_practices", "find_members"]
