"""Reading progress: one person's programmes and next steps, the events that teach a module, and the
organisers' participants-by-modules matrix with its CSV export.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from app.auth.models import User
from app.errors import NotFound, ValidationFailed, msg
from app.events.models import Enrolment, Event, EventSession
from app.learning.catalogue import _programme_options, load_programme
from app.learning.lookups import _require_manager, _user, can_manage, can_view
from app.learning.models import (
    Module,
    ModuleCompletion,
    ModuleLink,
    Programme,
    ProgrammeCompletion,
    ProgrammeParticipant,
    Submission,
)
from app.learning.progress import participant
from app.spreadsheet import safe_cell as csv_safe
from app.validation import as_id

# Progress -------------------------------------------------------------------------------------------

@dataclass
class ModuleProgress:
    module: Module
    status: str  # done | submitted | returned | available | locked
    completion: ModuleCompletion | None = None
    submission: Submission | None = None  # the latest one
    missing: list[Module] = field(default_factory=list)  # prerequisites not done yet
    upcoming: list[tuple[Event, str | None]] = field(default_factory=list)  # events teaching it; my status

    @property
    def completed_at(self) -> datetime | None:
        return self.completion.completed_at if self.completion else None

    @property
    def is_done(self) -> bool:
        return self.completion is not None


@dataclass
class ProgrammeProgress:
    programme: Programme
    participant: ProgrammeParticipant | None
    modules: list[ModuleProgress]
    completion: ProgrammeCompletion | None

    @property
    def hours_total(self) -> Decimal:
        return sum((m.module.hours for m in self.modules), Decimal(0))

    @property
    def hours_done(self) -> Decimal:
        return sum((m.module.hours for m in self.modules if m.is_done), Decimal(0))

    @property
    def done_count(self) -> int:
        return sum(1 for m in self.modules if m.is_done)

    @property
    def required_total(self) -> int:
        return sum(1 for m in self.modules if m.module.is_required)

    @property
    def required_done(self) -> int:
        return sum(1 for m in self.modules if m.module.is_required and m.is_done)

    @property
    def percent(self) -> int:
        if self.completion is not None:
            return 100
        if not self.required_total:
            return 0
        return int(100 * self.required_done / self.required_total)

    @property
    def next_modules(self) -> list[ModuleProgress]:
        return [m for m in self.modules if m.status in ("available", "returned", "submitted")][:3]


def _module_status(module: Module, completion, submission, done_ids: set[int]) -> tuple[str, list[Module]]:
    missing = [p for p in module.prerequisites if p.archived_at is None and p.id not in done_ids]
    if completion is not None:
        return "done", missing
    if submission is not None and submission.status in ("submitted", "returned"):
        return submission.status, missing
    return ("locked" if missing else "available"), missing


def _build_progress(programme: Programme, member, completions: dict[int, ModuleCompletion],
                    submissions: dict[int, Submission], completion) -> ProgrammeProgress:
    done_ids = set(completions)
    items = []
    for module in programme.active_modules:
        status, missing = _module_status(module, completions.get(module.id), submissions.get(module.id), done_ids)
        items.append(ModuleProgress(module=module, status=status, completion=completions.get(module.id),
                                    submission=submissions.get(module.id), missing=missing))
    return ProgrammeProgress(programme=programme, participant=member, modules=items, completion=completion)


def _progress_for(session: Session, programmes: list[Programme], user_id: int) -> list[ProgrammeProgress]:
    ids = [p.id for p in programmes]
    if not ids:
        return []
    members = {m.programme_id: m for m in session.scalars(sa.select(ProgrammeParticipant).where(
        ProgrammeParticipant.user_id == user_id, ProgrammeParticipant.programme_id.in_(ids)))}
    completions = {c.module_id: c for c in session.scalars(
        sa.select(ModuleCompletion).join(Module, Module.id == ModuleCompletion.module_id)
        .where(ModuleCompletion.user_id == user_id, Module.programme_id.in_(ids))
        .options(joinedload(ModuleCompletion.recorded_by)))}
    submissions: dict[int, Submission] = {}
    for submission in session.scalars(
        sa.select(Submission).join(Module, Module.id == Submission.module_id)
        .where(Submission.user_id == user_id, Module.programme_id.in_(ids))
        .order_by(Submission.submitted_at, Submission.id)
    ):
        submissions[submission.module_id] = submission  # the latest wins
    finished = {c.programme_id: c for c in session.scalars(sa.select(ProgrammeCompletion).where(
        ProgrammeCompletion.user_id == user_id, ProgrammeCompletion.programme_id.in_(ids)))}
    result = []
    for programme in programmes:
        module_ids = {m.id for m in programme.modules}
        result.append(_build_progress(
            programme, members.get(programme.id),
            {k: v for k, v in completions.items() if k in module_ids},
            {k: v for k, v in submissions.items() if k in module_ids},
            finished.get(programme.id),
        ))
    return result


def programme_progress(session: Session, *, programme_id: int, user_id: int, viewer_id: int) -> ProgrammeProgress:
    """One person's progress; visible to that person and to the programme's organisers only."""
    programme = load_programme(session, programme_id)
    viewer = _user(session, viewer_id)
    if viewer is None or not can_view(programme, viewer):
        raise NotFound("learning.programme_not_found")
    if as_id(user_id) is None:
        raise NotFound("learning.participant_not_found", field="user_id")
    if user_id != viewer.id:
        if not can_manage(programme, viewer):
            raise NotFound("learning.participant_not_found")
        if participant(session, programme_id=programme.id, user_id=user_id) is None:
            raise NotFound("learning.not_joined")
    return _progress_for(session, [programme], user_id)[0]


def my_programmes(session: Session, *, user_id: int, now: datetime) -> list[ProgrammeProgress]:
    """The person's programmes with progress, next modules and the upcoming events that teach them."""
    programme_ids = sa.select(ProgrammeParticipant.programme_id).where(ProgrammeParticipant.user_id == user_id)
    programmes = list(session.scalars(
        sa.select(Programme).where(Programme.id.in_(programme_ids)).options(*_programme_options())
        .order_by(Programme.title, Programme.id)))
    progress = _progress_for(session, programmes, user_id)
    wanted = {m.module.id: m for p in progress for m in p.next_modules}
    if wanted:
        events_by_module = upcoming_events_for_modules(session, module_ids=list(wanted), now=now)
        event_ids = {e.id for events in events_by_module.values() for e in events}
        statuses = dict(session.execute(sa.select(Enrolment.event_id, Enrolment.status).where(
            Enrolment.user_id == user_id, Enrolment.event_id.in_(event_ids))).all()) if event_ids else {}
        for module_id, item in wanted.items():
            item.upcoming = [(e, statuses.get(e.id)) for e in events_by_module.get(module_id, [])]
    return progress


def upcoming_events_for_modules(session: Session, *, module_ids: list[int], now: datetime,
                                limit_per_module: int = 3) -> dict[int, list[Event]]:
    """Published events that have not started yet and teach the modules (directly or by a session)."""
    if not module_ids:
        return {}
    event_id = sa.func.coalesce(ModuleLink.event_id, EventSession.event_id)
    rows = session.execute(
        sa.select(ModuleLink.module_id, Event)
        .select_from(ModuleLink)
        .outerjoin(EventSession, EventSession.id == ModuleLink.session_id)
        .join(Event, Event.id == event_id)
        .where(ModuleLink.module_id.in_(module_ids), Event.status == "published", Event.starts_at > now)
        .order_by(Event.starts_at, Event.id)
    )
    result: dict[int, list[Event]] = defaultdict(list)
    for module_id, event in rows:
        events = result[module_id]
        if len(events) < limit_per_module and all(e.id != event.id for e in events):
            events.append(event)
    return dict(result)


def learning_modules_for_event(session: Session, event_id: int) -> list[Module]:
    """Modules of published programmes the event (or one of its sessions) counts towards; .programme loaded."""
    session_ids = sa.select(EventSession.id).where(EventSession.event_id == event_id)
    return list(session.scalars(
        sa.select(Module).join(Programme, Programme.id == Module.programme_id)
        .where(Module.archived_at.is_(None), Programme.status == "published",
               Module.id.in_(sa.select(ModuleLink.module_id).where(
                   sa.or_(ModuleLink.event_id == event_id, ModuleLink.session_id.in_(session_ids)))))
        .options(joinedload(Module.programme))
        .order_by(Programme.title, Module.position, Module.id)
    ))


# The organisers' progress matrix ------------------------------------------------------------------

MATRIX_STATES = ("", "completed", "in_progress", "not_started")


@dataclass
class MatrixCell:
    status: str  # done | submitted | returned | open
    at: datetime | None = None
    source: str | None = None


@dataclass
class MatrixRow:
    member: ProgrammeParticipant
    cells: list[MatrixCell]
    completion: ProgrammeCompletion | None
    done_count: int
    hours: Decimal

    @property
    def state(self) -> str:
        if self.completion is not None:
            return "completed"
        return "in_progress" if self.done_count else "not_started"


@dataclass
class ProgressMatrix:
    programme: Programme
    modules: list[Module]
    rows: list[MatrixRow]
    total: int  # participants before filtering


def progress_matrix(session: Session, *, programme_id: int, actor_id: int, q: str = "", state: str = "",
                    module_id: int | None = None) -> ProgressMatrix:
    """Participants × modules with status and dates, filtered; a constant number of queries."""
    programme = session.scalar(sa.select(Programme).where(Programme.id == programme_id).options(
        selectinload(Programme.organisers), selectinload(Programme.modules)))
    if programme is None:
        raise NotFound("learning.programme_not_found")
    _require_manager(session, programme, actor_id)
    if state not in MATRIX_STATES:
        raise ValidationFailed("learning.state_filter_unknown", field="state")
    modules = programme.active_modules
    if module_id is not None and module_id not in {m.id for m in modules}:
        raise ValidationFailed("learning.module_not_in_programme", field="module_id")
    stmt = (sa.select(ProgrammeParticipant).join(User, User.id == ProgrammeParticipant.user_id)
            .where(ProgrammeParticipant.programme_id == programme.id)
            .options(joinedload(ProgrammeParticipant.user))
            .order_by(User.name, User.id))
    members = list(session.scalars(stmt))
    total = len(members)
    q = (q or "").strip().casefold()
    if q:
        members = [m for m in members if q in m.user.name.casefold() or q in m.user.email
                   or (m.user.organisation is not None and q in m.user.organisation.name.casefold())]
    module_ids = [m.id for m in modules]
    completions = {}
    if module_ids:
        completions = {(c.module_id, c.user_id): c for c in session.scalars(
            sa.select(ModuleCompletion).where(ModuleCompletion.module_id.in_(module_ids)))}
    latest: dict[tuple[int, int], Submission] = {}
    if module_ids:
        for s in session.scalars(sa.select(Submission).where(Submission.module_id.in_(module_ids))
                                 .order_by(Submission.submitted_at, Submission.id)):
            latest[(s.module_id, s.user_id)] = s
    finished = {c.user_id: c for c in session.scalars(
        sa.select(ProgrammeCompletion).where(ProgrammeCompletion.programme_id == programme.id))}
    rows = []
    for member in members:
        cells, done, hours = [], 0, Decimal(0)
        for module in modules:
            key = (module.id, member.user_id)
            completion, submission = completions.get(key), latest.get(key)
            if completion is not None:
                cells.append(MatrixCell("done", completion.completed_at, completion.source))
                done += 1
                hours += module.hours
            elif submission is not None and submission.status in ("submitted", "returned"):
                cells.append(MatrixCell(submission.status, submission.submitted_at))
            else:
                cells.append(MatrixCell("open"))
        row = MatrixRow(member=member, cells=cells, completion=finished.get(member.user_id), done_count=done,
                        hours=hours)
        if state and row.state != state:
            continue
        if module_id is not None and cells[module_ids.index(module_id)].status == "done":
            continue  # "who still needs this module"
        rows.append(row)
    return ProgressMatrix(programme=programme, modules=modules, rows=rows, total=total)


# What the matrix's cells say (the pages translate them through app.learning.labels, the CSV through `translate`)
CELL_LABELS = {"done": msg("done"), "submitted": msg("submitted"), "returned": msg("returned"), "open": msg("open")}
CSV_HEADERS = (msg("Name"), msg("Email"), msg("Organisation"), msg("Joined"))
CSV_TOTALS = (msg("Modules done"), msg("Hours done"), msg("Programme completed"))


def matrix_csv_rows(matrix: ProgressMatrix, *, translate=None, zone: str | None = None) -> list[list[str]]:
    """The matrix as CSV rows (header first), every cell neutralised against formula injection.

    Headers and statuses are for people: in the language of `translate` (a gettext function; English without
    it). Dates (ISO, in `zone`, UTC without it) and numbers stay as spreadsheets read them in any locale.
    """
    translate = translate or (lambda text: text)
    tz = _zone(zone)

    def day(value: datetime) -> str:
        return value.astimezone(tz).date().isoformat()

    header = [translate(h) for h in CSV_HEADERS] + [m.title for m in matrix.modules] + [
        translate(h) for h in CSV_TOTALS]
    rows = [header]
    for row in matrix.rows:
        user = row.member.user
        cells = [f"{translate(CELL_LABELS[c.status])} {day(c.at)}" if c.at else translate(CELL_LABELS[c.status])
                 for c in row.cells]
        rows.append([
            user.name, user.email, user.organisation.name if user.organisation else "",
            day(row.member.joined_at), *cells, str(row.done_count), f"{row.hours:.2f}",
            day(row.completion.completed_at) if row.completion else "",
        ])
    return [[csv_safe(cell) for cell in r] for r in rows]


def _zone(zone: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(zone) if zone else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
