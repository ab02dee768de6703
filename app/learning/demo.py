"""Demo data of this package (called by app.demo.seed_all): programmes, modules linked to demo events,
participants with partial progress and one who completed. Idempotent: a programme that exists is left alone."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.directory.models import Topic
from app.events.models import Event
from app.learning import services
from app.learning.models import Programme

PROGRAMMES = [
    {
        "slug": "circular-economy-for-municipalities",
        "title": "Circular economy for municipalities",
        "topic": "circular-economy",
        "summary": "From waste management to closed material cycles: what cities can do, step by step.",
        "description": (
            "A programme for municipal staff who run or plan **waste, procurement and economic development**.\n\n"
            "- learn from cities that halved their residual waste\n"
            "- try the tools in your own city\n"
            "- finish with an action plan reviewed by peers"
        ),
        "modules": [
            # title, completion, hours, required, prerequisite indexes, objectives
            ("Foundations of the circular economy", "self_study", "4", True, [],
             "Explain the waste hierarchy and the circular economy to colleagues and councillors."),
            ("Waste prevention and municipal waste audits", "event", "8", True, [0],
             "Plan and run a waste audit of municipal buildings."),
            ("Circular public procurement", "event", "6", True, [1],
             "Write circular criteria into a tender."),
            ("Repair cafés and citizen initiatives", "event", "3", False, [],
             "Support citizen-run repair and reuse initiatives."),
            ("Action plan for your city", "self_study", "6", True, [1, 2],
             "Draft a circular economy action plan with targets and a budget."),
        ],
    },
    {
        "slug": "climate-friendly-urban-mobility",
        "title": "Climate-friendly urban mobility",
        "topic": "sustainable-transport",
        "summary": "Plan public transport, cycling and walking for cleaner, fairer cities.",
        "description": "Sustainable urban mobility planning in practice, with study tours and peer exchange.",
        "modules": [
            ("Sustainable urban mobility planning (SUMP) basics", "self_study", "3", True, [],
             "Describe the steps of a sustainable urban mobility plan."),
            ("Cycling and walking infrastructure", "event", "8", True, [0],
             "Assess streets for safe cycling and walking."),
            ("Public transport and bus rapid transit", "event", "8", True, [0],
             "Compare bus rapid transit and light rail for your city."),
            ("E-mobility for municipal fleets", "event", "4", False, [],
             "Plan the switch of a municipal fleet to electric vehicles."),
        ],
    },
    {
        "slug": "energy-efficient-municipal-buildings",
        "title": "Energy-efficient municipal buildings",
        "topic": "energy-efficiency",
        "summary": "Energy management for schools, town halls and street lighting (in preparation).",
        "description": "Draft programme: organisers are still putting the modules together.",
        "draft": True,
        "modules": [
            ("Municipal energy management", "self_study", "5", True, [],
             "Set up energy monitoring for municipal buildings."),
        ],
    },
]


def _organiser(ctx):
    return ctx.users.get("organiser@demo.connective-cities.org") or (ctx.organisers[0] if ctx.organisers else None)


def _events_for(session: Session, *, topic: Topic, organiser, count: int, now: datetime) -> list[Event]:
    """Published events on the topic (the events demo's); a few of our own when there are none."""
    events = list(session.scalars(
        sa.select(Event).where(Event.status == "published", Event.topics.any(Topic.id == topic.id))
        .order_by(Event.starts_at, Event.id)))
    n = 0
    while len(events) < count:
        n += 1
        slug = f"learning-demo-{topic.slug}-{n}"
        existing = session.scalar(sa.select(Event).where(Event.slug == slug))
        if existing is None:
            zone = ZoneInfo("Europe/Berlin")
            day = (now + timedelta(days=20 + 30 * n)).astimezone(zone).date()
            starts = datetime.combine(day, datetime.min.time(), zone).replace(hour=9)
            existing = Event(
                slug=slug, title=f"{topic.name}: peer workshop {n}", format="workshop", status="published",
                summary="Peer exchange between municipalities.", timezone="Europe/Berlin", starts_at=starts,
                ends_at=starts.replace(hour=17), venue="Stadthaus", city="Bonn", country="DE", languages=["en"],
                hours=Decimal("8"), published_at=now, created_by_id=organiser.id if organiser else None,
            )
            existing.topics = [topic]
            existing.organisers = [organiser] if organiser else []
            session.add(existing)
            session.flush()
        if existing not in events:
            events.append(existing)
    return events


def _build(session: Session, spec: dict, *, organiser, reviewer, now: datetime) -> Programme:
    topic = session.scalar(sa.select(Topic).where(Topic.slug == spec["topic"]))
    programme = services.create_programme(
        session, data={"title": spec["title"], "summary": spec["summary"], "description": spec["description"],
                       "topics": [spec["topic"]], "organisers": sorted({organiser.id, reviewer.id})},
        created_by_id=organiser.id, now=now)
    programme.slug = spec["slug"]
    modules = []
    for title, completion, hours, required, prereqs, objectives in spec["modules"]:
        modules.append(services.add_module(session, programme_id=programme.id, actor_id=organiser.id, now=now, data={
            "title": title, "completion": completion, "hours": hours, "required": required,
            "objectives": objectives, "description": f"{title}: talks, case studies and exercises.",
            "prerequisites": [modules[i].id for i in prereqs]}))
    event_modules = [m for m in modules if m.completion == "event"]
    if event_modules and topic is not None and not spec.get("draft"):
        events = _events_for(session, topic=topic, organiser=organiser, count=min(2, len(event_modules)), now=now)
        for i, module in enumerate(event_modules):
            event = events[i % len(events)]
            if event.sessions and i % 2 == 1:
                services.link_module(session, module_id=module.id, session_id=event.sessions[0].id,
                                     actor_id=organiser.id, now=now)
            else:
                services.link_module(session, module_id=module.id, event_id=event.id, actor_id=organiser.id,
                                     now=now)
    if not spec.get("draft"):
        services.publish_programme(session, programme_id=programme.id, actor_id=organiser.id, now=now)
    return programme


def _progress(session: Session, programme: Programme, *, people: list, organiser, reviewer, now: datetime) -> None:
    """people[0]: partial progress; people[1]: completed; people[2]: a submission waiting for review."""
    modules = programme.active_modules
    for person in people:
        services.join_programme(session, programme_id=programme.id, user_id=person.id, now=now - timedelta(days=90))

    def complete(person, module, when):
        if services.programme_progress(session, programme_id=programme.id, user_id=person.id,
                                       viewer_id=organiser.id).modules[modules.index(module)].is_done:
            return
        if module.completion == "self_study":
            submission = services.submit_work(session, module_id=module.id, user_id=person.id, now=when,
                                              text="What I learnt, and what I will try in my city.")
            services.approve_submission(session, submission_id=submission.id, actor_id=reviewer.id, now=when,
                                        comment="Thank you: clear and practical.")
        else:
            services.mark_module_done(session, module_id=module.id, user_id=person.id, actor_id=organiser.id,
                                      note="Attended the previous run of this workshop (before the platform).",
                                      now=when)

    if people:
        for module in modules[:2]:
            complete(people[0], module, now - timedelta(days=60))
    if len(people) > 1:
        for offset, module in enumerate(modules):
            if module.is_required or offset == 3:
                complete(people[1], module, now - timedelta(days=50 - offset))
    if len(people) > 2 and modules[0].completion == "self_study":
        services.submit_work(session, module_id=modules[0].id, user_id=people[2].id, now=now - timedelta(days=2),
                             text="My notes on the reading, with examples from our municipality.",
                             link="https://example.org/notes")


def seed(session: Session, *, ctx, now: datetime) -> None:
    """Add this package's demo data; idempotent."""
    organiser = _organiser(ctx)
    if organiser is None:
        return
    reviewer = next((u for u in ctx.organisers if u.id != organiser.id and u.role == "organiser"), organiser)
    participants = ctx.participants
    for index, spec in enumerate(PROGRAMMES):
        if session.scalar(sa.select(Programme.id).where(Programme.slug == spec["slug"])) is not None:
            continue
        programme = _build(session, spec, organiser=organiser, reviewer=reviewer, now=now)
        if spec.get("draft"):
            continue
        # the demo participant login follows both programmes; others differ per programme
        people = [participants[0]] + participants[1 + 3 * index: 3 + 3 * index] if participants else []
        _progress(session, programme, people=people, organiser=organiser, reviewer=reviewer, now=now)
    session.flush()
