"""The member digest: what is new in what each member follows, weekly or monthly, in their language, each item once.

One run (job: member-digest) first gathers the candidate items once: practices and programmes published within
the longest period, and upcoming published events whose registration is not closed and that have a seat left.
It then walks the due members in user_id order, a batch at a time (keyset pagination): for each batch it reads
their follows and what their digests already carried, matches in Python, queues one mail per member who has
something new, records the items sent and moves their last_digest_at on. Nothing stays in memory from one batch
to the next (the queued messages are expunged), so memory grows with the candidates, not with the members.

Matching: a practice by topic, SDG goal, its M49 sub-region or its organisation; an event by topic, the
sub-region of its country or a host organisation; a programme by topic (programmes have no place or goals).
A practice or programme is new when it was published after the member's previous digest (or within their
period, for a first one); an event is offered as long as it is upcoming with seats and not yet sent to them.
Members who follow nothing are never read; a member whose digest would be empty gets no mail.
Records of items sent are dropped once no run can consider the item again (forget_sent_items), so the table
stays proportional to the current candidates times their readers, not to the network's history.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.account.interests_models import (
    DigestItemSent,
    MemberInterest,
    interest_organisation,
    interest_region,
    interest_sdg_goal,
    interest_topic,
)
from app.account.unsubscribe import unsubscribe_token
from app.auth.models import User
from app.directory.regions import region_of
from app.events.models import Event, EventTranslation, event_host, event_topic
from app.events.queries import seat_counts_for
from app.jobs.mailtools import local_span, public_url
from app.language import translator
from app.learning.models import Programme, ProgrammeTranslation, programme_topic
from app.mail.render import render_mail
from app.mail.services import queue_email
from app.practices.models import Practice, PracticeSdgGoal, PracticeTranslation, practice_topic

log = logging.getLogger(__name__)

PERIODS = {"weekly": timedelta(days=7), "monthly": timedelta(days=30)}
# a member digested at 07:00:05 last week is due at this week's 07:00 run
DUE_SLACK = timedelta(hours=12)
BATCH_SIZE = 500
MAX_ITEMS_PER_KIND = 20  # the rest waits for the next digest (not marked sent)


# ---------------------------------------------------------------------------------------------------
# Candidates


@dataclass
class Item:
    kind: str  # practice, event, programme
    id: int
    title: str  # in the original language
    published_at: datetime | None = None
    topic_ids: frozenset = frozenset()
    goals: frozenset = frozenset()
    region: str = ""
    organisation_ids: frozenset = frozenset()
    titles: dict = field(default_factory=dict)  # language -> translated title
    # events
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    timezone: str = "UTC"
    seats_left: int | None = None
    city: str = ""
    slug: str = ""  # programmes: their page is addressed by it

    def title_in(self, language: str | None) -> str:
        return self.titles.get(language or "", self.title)


def _grouped(rows) -> dict[int, frozenset]:
    out: dict[int, set] = defaultdict(set)
    for key, value in rows:
        out[key].add(value)
    return {k: frozenset(v) for k, v in out.items()}


def _titles(session: Session, model, fk, ids: list[int]) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = defaultdict(dict)
    if ids:
        for object_id, language, title in session.execute(
                sa.select(fk, model.language, model.title).where(fk.in_(ids))):
            out[object_id][language] = title
    return out


def candidates(session: Session, *, now: datetime, oldest: datetime) -> list[Item]:
    """Every item some digest of this run might carry (a handful of queries, whatever the number of members)."""
    items: list[Item] = []
    practices = session.execute(
        sa.select(Practice.id, Practice.title, Practice.published_at, Practice.region, Practice.organisation_id)
        .where(Practice.status == "published", Practice.published_at > oldest, Practice.published_at <= now)
        .order_by(Practice.published_at.desc(), Practice.id)
    ).all()
    ids = [p.id for p in practices]
    topics = _grouped(session.execute(sa.select(practice_topic.c.practice_id, practice_topic.c.topic_id)
                                      .where(practice_topic.c.practice_id.in_(ids)))) if ids else {}
    goals = _grouped(session.execute(sa.select(PracticeSdgGoal.practice_id, PracticeSdgGoal.goal)
                                     .where(PracticeSdgGoal.practice_id.in_(ids)))) if ids else {}
    titles = _titles(session, PracticeTranslation, PracticeTranslation.practice_id, ids)
    for p in practices:
        items.append(Item("practice", p.id, p.title, p.published_at, topics.get(p.id, frozenset()),
                          goals.get(p.id, frozenset()), p.region or "", frozenset({p.organisation_id}),
                          titles.get(p.id, {})))

    events = session.execute(
        sa.select(Event.id, Event.title, Event.published_at, Event.country, Event.capacity, Event.starts_at,
                  Event.ends_at, Event.timezone, Event.city)
        .where(Event.status == "published", Event.starts_at > now,
               sa.or_(Event.registration_closes_at.is_(None), Event.registration_closes_at > now))
        .order_by(Event.starts_at, Event.id)
    ).all()
    ids = [e.id for e in events]
    seats = seat_counts_for(session, ids)
    topics = _grouped(session.execute(sa.select(event_topic.c.event_id, event_topic.c.topic_id)
                                      .where(event_topic.c.event_id.in_(ids)))) if ids else {}
    hosts = _grouped(session.execute(sa.select(event_host.c.event_id, event_host.c.organisation_id)
                                     .where(event_host.c.event_id.in_(ids)))) if ids else {}
    titles = _titles(session, EventTranslation, EventTranslation.event_id, ids)
    for e in events:
        left = seats[e.id].seats_left(e.capacity)
        if left == 0:
            continue  # full: it comes in a later digest if a seat frees up
        items.append(Item("event", e.id, e.title, e.published_at, topics.get(e.id, frozenset()), frozenset(),
                          region_of(e.country), hosts.get(e.id, frozenset()), titles.get(e.id, {}),
                          starts_at=e.starts_at, ends_at=e.ends_at, timezone=e.timezone, seats_left=left,
                          city=e.city or ""))

    programmes = session.execute(
        sa.select(Programme.id, Programme.title, Programme.published_at, Programme.slug)
        .where(Programme.status == "published", Programme.published_at > oldest, Programme.published_at <= now)
        .order_by(Programme.published_at.desc(), Programme.id)
    ).all()
    ids = [p.id for p in programmes]
    topics = _grouped(session.execute(sa.select(programme_topic.c.programme_id, programme_topic.c.topic_id)
                                      .where(programme_topic.c.programme_id.in_(ids)))) if ids else {}
    titles = _titles(session, ProgrammeTranslation, ProgrammeTranslation.programme_id, ids)
    for p in programmes:
        items.append(Item("programme", p.id, p.title, p.published_at, topics.get(p.id, frozenset()),
                          titles=titles.get(p.id, {}), slug=p.slug))
    return items


# ---------------------------------------------------------------------------------------------------
# Members


@dataclass
class Follows:
    topic_ids: set = field(default_factory=set)
    goals: set = field(default_factory=set)
    regions: set = field(default_factory=set)
    organisation_ids: set = field(default_factory=set)

    def matches(self, item: Item) -> bool:
        if item.kind == "programme":
            return bool(self.topic_ids & item.topic_ids)
        return bool(self.topic_ids & item.topic_ids or self.goals & item.goals
                    or (item.region and item.region in self.regions)
                    or self.organisation_ids & item.organisation_ids)


@dataclass
class Member:
    user_id: int
    email: str
    name: str
    language: str | None
    frequency: str
    since: datetime
    follows: Follows = field(default_factory=Follows)


def _follows_anything(user_id_column):
    return sa.or_(*(sa.exists().where(table.c.user_id == user_id_column)
                    for table in (interest_topic, interest_sdg_goal, interest_region, interest_organisation)))


def due_members(session: Session, *, now: datetime, batch_size: int = BATCH_SIZE) -> Iterator[list[Member]]:
    """Active members due for a digest who follow something, batch by batch in user_id order (keyset)."""
    due = sa.or_(*(
        sa.and_(MemberInterest.frequency == frequency,
                sa.or_(MemberInterest.last_digest_at.is_(None),
                       MemberInterest.last_digest_at <= now - period + DUE_SLACK))
        for frequency, period in PERIODS.items()
    ))
    after = 0
    while True:
        rows = session.execute(
            sa.select(MemberInterest.user_id, MemberInterest.frequency, MemberInterest.last_digest_at,
                      User.email, User.name, User.language)
            .join(User, User.id == MemberInterest.user_id)
            .where(MemberInterest.user_id > after, due, User.is_active_account.is_(True),
                   _follows_anything(MemberInterest.user_id))
            .order_by(MemberInterest.user_id).limit(batch_size)
        ).all()
        if not rows:
            return
        after = rows[-1].user_id
        members = {}
        for r in rows:
            period = PERIODS[r.frequency]
            since = max(r.last_digest_at or now - period, now - 2 * period)  # a long pause covers one period more
            members[r.user_id] = Member(r.user_id, r.email, r.name, r.language, r.frequency, since)
        ids = list(members)
        for user_id, value in session.execute(sa.select(interest_topic.c.user_id, interest_topic.c.topic_id)
                                              .where(interest_topic.c.user_id.in_(ids))):
            members[user_id].follows.topic_ids.add(value)
        for user_id, value in session.execute(sa.select(interest_sdg_goal.c.user_id, interest_sdg_goal.c.goal)
                                              .where(interest_sdg_goal.c.user_id.in_(ids))):
            members[user_id].follows.goals.add(value)
        for user_id, value in session.execute(sa.select(interest_region.c.user_id, interest_region.c.region)
                                              .where(interest_region.c.user_id.in_(ids))):
            members[user_id].follows.regions.add(value)
        for user_id, value in session.execute(
                sa.select(interest_organisation.c.user_id, interest_organisation.c.organisation_id)
                .where(interest_organisation.c.user_id.in_(ids))):
            members[user_id].follows.organisation_ids.add(value)
        yield list(members.values())
        if len(rows) < batch_size:
            return


# ---------------------------------------------------------------------------------------------------
# One member's digest


@dataclass
class MemberDigest:
    member: Member
    practices: list[Item] = field(default_factory=list)
    events: list[Item] = field(default_factory=list)
    programmes: list[Item] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        return [*self.practices, *self.events, *self.programmes]

    @property
    def is_empty(self) -> bool:
        return not (self.practices or self.events or self.programmes)


def build_digest(member: Member, items: list[Item], already_sent: set[tuple[str, int]]) -> MemberDigest:
    """What this member's digest carries: matching, new to them, at most MAX_ITEMS_PER_KIND of each kind."""
    digest = MemberDigest(member)
    lists = {"practice": digest.practices, "event": digest.events, "programme": digest.programmes}
    for item in items:
        bucket = lists[item.kind]
        if len(bucket) >= MAX_ITEMS_PER_KIND or (item.kind, item.id) in already_sent:
            continue
        if item.kind != "event" and not (item.published_at and item.published_at > member.since):
            continue
        if member.follows.matches(item):
            bucket.append(item)
    return digest


@dataclass
class DigestLinks:
    """Public addresses built once per run (a job has no request): '{id}' / '{slug}' / '{token}' placeholders."""

    practice: str
    event: str
    programme: str
    interests: str
    unsubscribe: str

    @classmethod
    def from_config(cls, config) -> DigestLinks:
        marker = "999999999"
        return cls(
            practice=public_url(config, "practices.detail", f"/practices/{marker}", practice_id=int(marker))
            .replace(marker, "{id}"),
            event=public_url(config, "events.detail", f"/events/{marker}", event_id=int(marker)).replace(marker, "{id}"),
            programme=public_url(config, "learning.detail", f"/programmes/{marker}", slug=marker)
            .replace(marker, "{slug}"),
            interests=public_url(config, "account.interests", "/account/interests"),
            unsubscribe=public_url(config, "account.unsubscribe", f"/account/unsubscribe/{marker}", token=marker)
            .replace(marker, "{token}"),
        )

    def of(self, item: Item) -> str:
        if item.kind == "programme":
            return self.programme.replace("{slug}", item.slug)
        return getattr(self, item.kind).replace("{id}", str(item.id))


def _line(item: Item, t, links: DigestLinks, cache: dict | None) -> dict:
    """An item as one language shows it; the same for every reader of that language, so made once per run."""
    key = (item.kind, item.id, t.language)
    if cache is not None and key in cache:
        return cache[key]
    line = {"title": item.title_in(t.language), "url": links.of(item), "item": item,
            "when": local_span(item.starts_at, item.ends_at, item.timezone, t) if item.kind == "event" else ""}
    if cache is not None:
        cache[key] = line  # bounded by the candidates times the languages, not by the members
    return line


def queue_digest(session: Session, digest: MemberDigest, *, now: datetime, links: DigestLinks, secret_key: str,
                 network_name: str, cache: dict | None = None):
    """The digest mail in the member's language, with RFC 8058 one-click unsubscribe headers."""
    member = digest.member
    t = translator(member.language)
    unsubscribe = links.unsubscribe.replace("{token}", unsubscribe_token(secret_key, member.user_id))
    lines = [_line(item, t, links, cache) for item in digest.items]
    context = {
        "name": member.name, "network_name": network_name, "interests_url": links.interests,
        "unsubscribe_url": unsubscribe, "frequency": member.frequency,
        "practices": [line for line in lines if line["item"].kind == "practice"],
        "events": [line for line in lines if line["item"].kind == "event"],
        "programmes": [line for line in lines if line["item"].kind == "programme"],
    }
    count = len(lines)
    return queue_email(
        session, to=member.email, to_name=member.name, now=now,
        subject=t.ngettext("%(network)s: %(num)d new item that matches your interests",
                           "%(network)s: %(num)d new items that match your interests", count, network=network_name),
        text=render_mail("account/mail/member_digest.txt", language=t.language, **context),
        html=render_mail("account/mail/member_digest.html", language=t.language, **context),
        kind="member-digest", user_id=member.user_id,
        dedupe_key=f"member-digest:{member.user_id}:{now.date().isoformat()}",
        extra_headers={"List-Unsubscribe": f"<{unsubscribe}>",
                       "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


@dataclass
class DigestRun:
    members: int = 0
    sent: int = 0
    empty: int = 0
    items: int = 0

    def summary(self) -> str:
        return f"{self.sent} member digest(s) sent, {self.empty} with nothing new, {self.items} item(s)"


def send_member_digests(session: Session, *, now: datetime, config, batch_size: int = BATCH_SIZE) -> DigestRun:
    """Send every due member digest (job: member-digest); flushes, the job runner commits."""
    run = DigestRun()
    items = candidates(session, now=now, oldest=now - 2 * max(PERIODS.values()))
    links = DigestLinks.from_config(config)
    secret_key = config["SECRET_KEY"]
    network_name = config.get("NETWORK_NAME") or "Connective Cities"
    lines: dict = {}  # (kind, id, language) -> the item's line in that language
    keys = {"practice": [], "event": [], "programme": []}
    for item in items:
        keys[item.kind].append(item.id)
    for members in due_members(session, now=now, batch_size=batch_size):
        ids = [m.user_id for m in members]
        sent: dict[int, set] = defaultdict(set)
        if items:
            for user_id, kind, object_id in session.execute(
                    sa.select(DigestItemSent.user_id, DigestItemSent.kind, DigestItemSent.object_id)
                    .where(DigestItemSent.user_id.in_(ids), sa.or_(*(
                        sa.and_(DigestItemSent.kind == kind, DigestItemSent.object_id.in_(object_ids))
                        for kind, object_ids in keys.items() if object_ids)))):
                sent[user_id].add((kind, object_id))
        records = []
        for member in members:
            run.members += 1
            digest = build_digest(member, items, sent.get(member.user_id, set()))
            if digest.is_empty:
                run.empty += 1
                continue
            message = queue_digest(session, digest, now=now, links=links, secret_key=secret_key,
                                   network_name=network_name, cache=lines)
            if message is not None:
                session.expunge(message)  # written; keeping it would grow the session with every member
            records.extend({"user_id": member.user_id, "kind": item.kind, "object_id": item.id, "sent_at": now}
                           for item in digest.items)
            run.sent += 1
            run.items += len(digest.items)
        if records:
            session.execute(sa.insert(DigestItemSent), records)
        session.execute(sa.update(MemberInterest).where(MemberInterest.user_id.in_(ids))
                        .values(last_digest_at=now).execution_options(synchronize_session=False))
        session.flush()
    forget_sent_items(session, now=now)
    log.info("member digest: %s", run.summary())
    return run


def forget_sent_items(session: Session, *, now: datetime) -> None:
    """Drop the records no candidate can need any more, so the table stays as small as the candidates:
    practices and programmes sent before the oldest publication date a run considers (they were published
    even earlier), and events that have started."""
    oldest = now - 2 * max(PERIODS.values())
    session.execute(sa.delete(DigestItemSent).where(
        DigestItemSent.kind.in_(("practice", "programme")), DigestItemSent.sent_at < oldest)
        .execution_options(synchronize_session=False))
    started = sa.select(Event.id).where(Event.starts_at <= now)
    session.execute(sa.delete(DigestItemSent).where(
        DigestItemSent.kind == "event", DigestItemSent.object_id.in_(started))
        .execution_options(synchronize_session=False))
    session.flush()
