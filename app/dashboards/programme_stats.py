"""How a learning programme is doing, for its organisers' dashboard: people per module in the programme's order,
where they stop, programme completions over time, the median time to complete and the work waiting for review.

Plain functions over a session (no Flask). Every figure is a GROUP BY or window query in the database; the number
of statements is the same for ten participants or a hundred thousand.

What the words mean (decided here, once):
- A participant has *started* a module when there is any trace of their work on it: a completion of it, a
  self-study submission for it (any status), or a check-in on an event or agenda session that teaches it (an
  attended module whose prerequisites are not done yet waits, see app.learning.progress, but was started).
  Registering for a linked event is an intention, not progress, and does not count.
- *Completed* a module: a ModuleCompletion row (by attendance, by approved submission or marked by hand).
- *Continued*: of those who completed a module, how many started the next one in the programme's order; the
  rest stopped there for now (the drop between two modules). The last module has no next one.
- The modules are the programme's active (not archived) ones, ordered by position.
- *Median days to complete*: from joining the programme to its completion, over everyone who completed it.
- Completions over time are bucketed by UTC day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.auth.models import User
from app.errors import Forbidden, NotFound
from app.events.models import Checkin, Enrolment
from app.learning.lookups import can_manage, can_view
from app.learning.models import (
    Module,
    ModuleCompletion,
    ModuleLink,
    Programme,
    ProgrammeCompletion,
    ProgrammeParticipant,
    Submission,
)
from app.validation import as_id

__all__ = ["ModuleStats", "DayCount", "ProgrammeStats", "managed_programme", "programme_stats"]


@dataclass(frozen=True)
class ModuleStats:
    module_id: int
    title: str
    language: str
    position: int  # 1-based, in the programme's order
    completion: str  # event | self_study
    is_required: bool
    started: int
    completed: int
    continued: int | None  # completed this module and started the next one; None for the last module
    submissions_waiting: int

    @property
    def stopped(self) -> int | None:
        """Completed this module but have not started the next one (yet)."""
        return None if self.continued is None else self.completed - self.continued


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int  # completions on that UTC day
    cumulative: int  # completions up to and including that day


@dataclass(frozen=True)
class ProgrammeStats:
    programme_id: int
    participants: int
    completed: int
    median_days_to_complete: float | None
    submissions_waiting: int  # in every module of the programme, archived ones included
    modules: tuple[ModuleStats, ...]
    completions_over_time: tuple[DayCount, ...]

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.participants if self.participants else None


def managed_programme(session: Session, *, programme_id: int, actor_id: int | None) -> Programme:
    """The programme if the actor may manage it (its organisers, admins); otherwise the learning package's
    refusals: 404 for what the actor may not see, 403 for a programme they see but do not organise."""
    programme = session.get(Programme, programme_id) if as_id(programme_id) else None
    if programme is None:
        raise NotFound("learning.programme_not_found")
    actor = session.get(User, actor_id) if as_id(actor_id) else None
    if actor is None or not can_manage(programme, actor):
        if actor is not None and can_view(programme, actor):
            raise Forbidden("learning.managers_only")
        raise NotFound("learning.programme_not_found")
    return programme


def _started(programme_id: int) -> sa.Select:
    """(module_id, user_id) of every trace of work on the programme's active modules (duplicates included)."""
    active = sa.select(Module.id).where(Module.programme_id == programme_id, Module.archived_at.is_(None))
    completions = sa.select(ModuleCompletion.module_id, ModuleCompletion.user_id).where(
        ModuleCompletion.module_id.in_(active))
    submissions = sa.select(Submission.module_id, Submission.user_id).where(Submission.module_id.in_(active))
    participant = sa.and_(ProgrammeParticipant.programme_id == programme_id,
                          ProgrammeParticipant.user_id == Enrolment.user_id)
    by_event = (
        sa.select(ModuleLink.module_id, Enrolment.user_id)
        .join(Enrolment, Enrolment.event_id == ModuleLink.event_id)
        .join(Checkin, Checkin.enrolment_id == Enrolment.id)
        .join(ProgrammeParticipant, participant)
        .where(ModuleLink.module_id.in_(active))
    )
    by_session = (
        sa.select(ModuleLink.module_id, Enrolment.user_id)
        .join(Checkin, Checkin.session_id == ModuleLink.session_id)
        .join(Enrolment, Enrolment.id == Checkin.enrolment_id)
        .join(ProgrammeParticipant, participant)
        .where(ModuleLink.module_id.in_(active))
    )
    return sa.union_all(completions, submissions, by_event, by_session)


def _days_between(session: Session, start, end):
    """end - start in days (fractional), as SQL for the session's database."""
    if session.get_bind().dialect.name == "sqlite":
        return sa.func.julianday(end) - sa.func.julianday(start)
    return sa.extract("epoch", end - start) / 86400.0


def _utc_day(session: Session, column):
    if session.get_bind().dialect.name == "sqlite":
        return sa.func.date(column)  # stored as naive UTC text
    return sa.cast(sa.func.timezone("UTC", column), sa.Date)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def programme_stats(session: Session, *, programme_id: int) -> ProgrammeStats:
    """Every figure of the programme dashboard in a constant number of aggregate queries (eight)."""
    modules = session.execute(
        sa.select(Module.id, Module.title, Module.language, Module.completion, Module.is_required)
        .where(Module.programme_id == programme_id, Module.archived_at.is_(None))
        .order_by(Module.position, Module.id)
    ).all()

    started_rows = _started(programme_id).subquery()
    started = dict(session.execute(
        sa.select(started_rows.c.module_id, sa.func.count(sa.distinct(started_rows.c.user_id)))
        .group_by(started_rows.c.module_id)).all())

    completed = dict(session.execute(
        sa.select(ModuleCompletion.module_id, sa.func.count())
        .join(Module, Module.id == ModuleCompletion.module_id)
        .where(Module.programme_id == programme_id, Module.archived_at.is_(None))
        .group_by(ModuleCompletion.module_id)).all())

    waiting = dict(session.execute(
        sa.select(Submission.module_id, sa.func.count())
        .join(Module, Module.id == Submission.module_id)
        .where(Module.programme_id == programme_id, Submission.status == "submitted")
        .group_by(Submission.module_id)).all())

    # the drop between modules: who completed a module and started the next one in order
    ordered = (
        sa.select(Module.id.label("module_id"),
                  sa.func.lead(Module.id).over(order_by=(Module.position, Module.id)).label("next_id"))
        .where(Module.programme_id == programme_id, Module.archived_at.is_(None))
        .subquery()
    )
    traces = _started(programme_id).subquery()
    continued = dict(session.execute(
        sa.select(ordered.c.module_id, sa.func.count())
        .join(ModuleCompletion, ModuleCompletion.module_id == ordered.c.module_id)
        .where(sa.exists().where(traces.c.module_id == ordered.c.next_id,
                                 traces.c.user_id == ModuleCompletion.user_id))
        .group_by(ordered.c.module_id)).all())

    participants = sa.select(sa.func.count()).where(
        ProgrammeParticipant.programme_id == programme_id).scalar_subquery()
    finished = sa.select(sa.func.count()).where(
        ProgrammeCompletion.programme_id == programme_id).scalar_subquery()
    participant_count, completed_count = session.execute(sa.select(participants, finished)).one()

    # median over a single column of durations, by rank: both databases have window functions
    days = _days_between(session, ProgrammeParticipant.joined_at, ProgrammeCompletion.completed_at)
    ranked = (
        sa.select(days.label("days"), sa.func.row_number().over(order_by=days).label("rank"),
                  sa.func.count().over().label("total"))
        .join(ProgrammeParticipant, sa.and_(ProgrammeParticipant.programme_id == ProgrammeCompletion.programme_id,
                                            ProgrammeParticipant.user_id == ProgrammeCompletion.user_id))
        .where(ProgrammeCompletion.programme_id == programme_id)
        .subquery()
    )
    median = session.scalar(sa.select(sa.func.avg(ranked.c.days)).where(
        ranked.c.rank.in_(((ranked.c.total + 1) // 2, (ranked.c.total + 2) // 2))))

    day = _utc_day(session, ProgrammeCompletion.completed_at).label("day")
    per_day = session.execute(
        sa.select(day, sa.func.count()).where(ProgrammeCompletion.programme_id == programme_id)
        .group_by(day).order_by(day)).all()

    over_time, running = [], 0
    for value, count in per_day:
        running += count
        over_time.append(DayCount(day=_as_date(value), count=count, cumulative=running))
    last = len(modules) - 1
    module_stats = tuple(
        ModuleStats(module_id=m.id, title=m.title, language=m.language, position=index + 1,
                    completion=m.completion, is_required=m.is_required, started=started.get(m.id, 0),
                    completed=completed.get(m.id, 0),
                    continued=None if index == last else continued.get(m.id, 0),
                    submissions_waiting=waiting.get(m.id, 0))
        for index, m in enumerate(modules)
    )
    return ProgrammeStats(
        programme_id=programme_id, participants=participant_count, completed=completed_count,
        median_days_to_complete=None if median is None else round(float(median), 1),
        submissions_waiting=sum(waiting.values()), modules=module_stats,
        completions_over_time=tuple(over_time))
