"""A participant's way through a programme: joining, attendance, completion, self-study review and manual marks.

Plain functions: they take ids and `now`, flush and never commit, and raise app.errors domain errors.

Rules decided here (documented once):
- Attendance: any check-in of a programme participant on a linked event (any of its units: a session or
  a day) or on a linked agenda session completes the module. An event's minimum attendance share is for
  its attendance certificate, not for modules. Attendance counts even when it happened before the person
  joined the programme or before the link was made (every run of a yearly workshop counts).
- Undoing the last qualifying check-in un-completes an attendance-based completion, unless a valid
  certificate stands on the event or on the programme: then the completion stays and carries the reason.
- A programme is completed when every required, non-archived module is done; the hours are those of
  every done, non-archived module (optional ones included). The completion is removed again only when a
  required module is lost (un-completion), and never while a programme certificate stands on it. Later
  edits of the programme (a new required module) do not take away a recorded completion.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from app.auth.models import User
from app.directory.services import normalise_url
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.events.models import Checkin, Enrolment, EventSession
from app.learning.limits import (
    MAX_SUBMISSION_TEXT,
    NOTE_MAX,
)
from app.learning.lookups import (
    _audit,
    _flush_or_conflict,
    _insert_new,
    _require_manager,
    _user,
    can_manage,
    can_view,
    get_module,
    get_programme,
)
from app.learning.messages import title_list
from app.learning.models import (
    Module,
    ModuleCompletion,
    ModuleLink,
    Programme,
    ProgrammeCompletion,
    ProgrammeParticipant,
    Submission,
)
from app.learning.signals import programme_completed, programme_uncompleted
from app.validation import as_id, clean_text


def _certificate_reason(session: Session, *, user_id: int, event_id: int | None = None,
                        programme_id: int | None = None) -> str | None:
    """A higher layer's reason to keep a completion (certificates answer through the signal; learning never
    imports them)."""
    from app.learning.signals import completion_withdrawal_requested

    answers = completion_withdrawal_requested.send(None, session=session, user_id=user_id, event_id=event_id,
                                                   programme_id=programme_id)
    return next((answer for _, answer in answers if answer), None)



# Joining --------------------------------------------------------------------------------------------

def join_programme(session: Session, *, programme_id: int, user_id: int, now: datetime) -> ProgrammeParticipant:
    """Join a published programme (joining twice returns the same membership)."""
    programme = get_programme(session, programme_id)
    user = _user(session, user_id)
    if user is None:
        raise NotFound("learning.user_not_found")
    if programme.status != "published":
        if not can_view(programme, user):
            raise NotFound("learning.programme_not_found")
        raise Conflict("learning.programme_closed")
    existing = session.scalar(sa.select(ProgrammeParticipant).where(
        ProgrammeParticipant.programme_id == programme_id, ProgrammeParticipant.user_id == user_id))
    if existing is not None:
        return existing
    added = _insert_new(session, ProgrammeParticipant,
                        [{"programme_id": programme_id, "user_id": user_id, "joined_at": now}])
    if not added:  # a second click that raced the first: the same membership
        return session.scalars(sa.select(ProgrammeParticipant).where(
            ProgrammeParticipant.programme_id == programme_id, ProgrammeParticipant.user_id == user_id)).one()
    participant = added[0]
    _sync_attendance(session, modules=programme.active_modules, user_ids=[user_id], now=now, remove=False)
    return participant


def participant(session: Session, *, programme_id: int, user_id: int) -> ProgrammeParticipant | None:
    return session.scalar(sa.select(ProgrammeParticipant).where(
        ProgrammeParticipant.programme_id == programme_id, ProgrammeParticipant.user_id == user_id))


def _require_participant(session: Session, programme: Programme, user_id: int, *,
                         reason: str = "learning.join_first") -> None:
    if participant(session, programme_id=programme.id, user_id=user_id) is None:
        raise Conflict(reason, programme=programme.title)


# Attendance -----------------------------------------------------------------------------------------

def _qualifying(session: Session, *, module_ids: list[int], user_ids: list[int] | None,
                exclude: tuple[int, int | None, object] | None = None) -> dict[tuple[int, int], int]:
    """(module_id, user_id) -> event id of a check-in that completes the module for the user."""
    if not module_ids:
        return {}
    conditions = []
    if user_ids is not None:
        conditions.append(Enrolment.user_id.in_(user_ids))
    if exclude is not None:
        enrolment_id, session_id, day = exclude
        same_unit = (Checkin.session_id == session_id) if session_id is not None else (Checkin.day == day)
        conditions.append(sa.not_(sa.and_(Checkin.enrolment_id == enrolment_id, same_unit)))
    by_event = (
        sa.select(ModuleLink.module_id, Enrolment.user_id, Enrolment.event_id)
        .join(Enrolment, Enrolment.event_id == ModuleLink.event_id)
        .join(Checkin, Checkin.enrolment_id == Enrolment.id)
        .where(ModuleLink.module_id.in_(module_ids), *conditions)
    )
    by_session = (
        sa.select(ModuleLink.module_id, Enrolment.user_id, Enrolment.event_id)
        .join(Checkin, Checkin.session_id == ModuleLink.session_id)
        .join(Enrolment, Enrolment.id == Checkin.enrolment_id)
        .where(ModuleLink.module_id.in_(module_ids), *conditions)
    )
    found: dict[tuple[int, int], int] = {}
    for module_id, user_id, event_id in session.execute(sa.union_all(by_event, by_session)):
        found.setdefault((module_id, user_id), event_id)
    return found


def missing_prerequisites(module: Module, done_ids: set[int]) -> list[Module]:
    """The one prerequisite rule: a module can be completed (by attendance, review or an organiser) only once
    each of its active prerequisites is completed."""
    return [p for p in module.prerequisites if p.archived_at is None and p.id not in done_ids]


def _refuse_before_prerequisites(session: Session, module: Module, user_id: int, reason: str) -> None:
    prereq_ids = [p.id for p in module.prerequisites if p.archived_at is None]
    missing = missing_prerequisites(module, _done_module_ids(session, user_id=user_id, module_ids=prereq_ids))
    if missing:
        raise Conflict(reason, field="prerequisites", modules=title_list(p.title for p in missing))


def _sync_attendance(session: Session, *, modules: Iterable[Module], user_ids: list[int] | None, now: datetime,
                     remove: bool = True, exclude: tuple | None = None, cascade: bool = True) -> list[str]:
    """Record (and, with remove, retract) attendance completions; returns reasons for kept completions.
    Attendance on a module whose prerequisites are not done yet waits: it completes the module once they are
    (the completions gained here are followed through the programme's other attended modules)."""
    modules = [m for m in modules if m.completion == "event" and m.archived_at is None]
    if not modules:
        return []
    session.flush()
    programme_ids = {m.programme_id for m in modules}
    stmt = sa.select(ProgrammeParticipant.programme_id, ProgrammeParticipant.user_id).where(
        ProgrammeParticipant.programme_id.in_(programme_ids))
    if user_ids is not None:
        stmt = stmt.where(ProgrammeParticipant.user_id.in_(user_ids))
    members: dict[int, list[int]] = defaultdict(list)
    for programme_id, user_id in session.execute(stmt):
        members[programme_id].append(user_id)
    all_users = sorted({u for users in members.values() for u in users})
    if not all_users:
        return []
    module_ids = [m.id for m in modules]
    qualifying = _qualifying(session, module_ids=module_ids, user_ids=all_users, exclude=exclude)
    existing = {(c.module_id, c.user_id): c for c in session.scalars(sa.select(ModuleCompletion).where(
        ModuleCompletion.module_id.in_(module_ids), ModuleCompletion.user_id.in_(all_users)))}
    prereq_ids = sorted({p.id for m in modules for p in m.prerequisites})
    done: dict[int, set[int]] = defaultdict(set)
    if prereq_ids:
        for module_id, user_id in session.execute(sa.select(ModuleCompletion.module_id, ModuleCompletion.user_id)
                                                  .where(ModuleCompletion.module_id.in_(prereq_ids),
                                                         ModuleCompletion.user_id.in_(all_users))):
            done[user_id].add(module_id)
    gained: dict[int, set[int]] = defaultdict(set)
    lost: dict[int, set[int]] = defaultdict(set)
    kept: list[str] = []
    new_rows: list[dict] = []
    waiting: list[tuple[Module, int, int]] = []
    programme_of = {m.id: m.programme_id for m in modules}
    for module in modules:
        for user_id in members.get(module.programme_id, []):
            key = (module.id, user_id)
            event_id, completion = qualifying.get(key), existing.get(key)
            if event_id is not None and completion is None:
                waiting.append((module, user_id, event_id))
            elif event_id is not None and completion.retained_reason:
                completion.retained_reason = None
            elif (event_id is None and completion is not None and remove and completion.source == "attendance"
                  and not completion.retained_reason):
                reason = _certificate_reason(session, user_id=user_id, event_id=completion.event_id,
                                             programme_id=module.programme_id)
                if reason:
                    completion.retained_reason = reason
                    kept.append(reason)
                    _audit(session, programme_id=module.programme_id, module_id=module.id, user_id=user_id,
                           action="kept", now=now, note=reason)
                else:
                    session.delete(completion)
                    done[user_id].discard(module.id)
                    # the action says why (the check-in was undone); the page words it in its language
                    _audit(session, programme_id=module.programme_id, module_id=module.id, user_id=user_id,
                           action="uncompleted", now=now)
                    lost[module.programme_id].add(user_id)
    # attended modules complete in prerequisite order; those whose prerequisites stay undone keep waiting
    progress = True
    while waiting and progress:
        progress = False
        for item in list(waiting):
            module, user_id, event_id = item
            if missing_prerequisites(module, done[user_id]):
                continue
            new_rows.append({"module_id": module.id, "user_id": user_id, "completed_at": now,
                             "source": "attendance", "event_id": event_id})
            done[user_id].add(module.id)
            waiting.remove(item)
            progress = True
    session.flush()
    # two check-ins of the same person at once (two doors, two sessions) may both complete the module
    for completion in _insert_new(session, ModuleCompletion, new_rows):
        gained[programme_of[completion.module_id]].add(completion.user_id)
    programmes = {m.programme_id: m.programme for m in modules}
    for programme_id, users in gained.items():
        _refresh_completions(session, programme=programmes[programme_id], user_ids=sorted(users), now=now,
                             allow_removal=False)
    for programme_id, users in lost.items():
        _refresh_completions(session, programme=programmes[programme_id], user_ids=sorted(users), now=now,
                             allow_removal=True)
    if cascade:
        for programme_id, users in gained.items():
            _complete_waiting(session, programme=programmes[programme_id], user_ids=sorted(users), now=now)
    return kept


def _complete_waiting(session: Session, *, programme: Programme, user_ids: list[int], now: datetime) -> None:
    """After a module is completed: attended modules that were waiting for it as a prerequisite complete now."""
    dependents = [m for m in programme.active_modules if m.completion == "event" and m.prerequisites]
    if dependents:
        _sync_attendance(session, modules=dependents, user_ids=user_ids, now=now, remove=False, cascade=False)


def modules_linked_to_event(session: Session, event_id: int) -> list[Module]:
    """Active modules taught by the event or by one of its sessions."""
    session_ids = sa.select(EventSession.id).where(EventSession.event_id == event_id)
    return list(session.scalars(
        sa.select(Module)
        .where(Module.archived_at.is_(None),
               Module.id.in_(sa.select(ModuleLink.module_id).where(
                   sa.or_(ModuleLink.event_id == event_id, ModuleLink.session_id.in_(session_ids)))))
        .options(joinedload(Module.programme))
    ))


def sync_attendance_for_event(session: Session, *, event_id: int, user_id: int, now: datetime,
                              exclude: tuple | None = None) -> list[str]:
    """Bring a person's attendance-based completions in line with their check-ins on an event."""
    modules = modules_linked_to_event(session, event_id)
    return _sync_attendance(session, modules=modules, user_ids=[user_id], now=now, exclude=exclude)


# Completion of a programme --------------------------------------------------------------------------

def _refresh_completions(session: Session, *, programme: Programme, user_ids: list[int] | None, now: datetime,
                         allow_removal: bool) -> None:
    """Record programme completions that are due and (with allow_removal) remove lost ones."""
    session.flush()
    active = programme.active_modules
    required = {m.id for m in active if m.is_required}
    hours_of = {m.id: m.hours for m in active}
    stmt = sa.select(ProgrammeParticipant.user_id).where(ProgrammeParticipant.programme_id == programme.id)
    if user_ids is not None:
        stmt = stmt.where(ProgrammeParticipant.user_id.in_(user_ids))
    members = list(session.scalars(stmt))
    if not members:
        return
    done: dict[int, set[int]] = defaultdict(set)
    if hours_of:
        for module_id, user_id in session.execute(
            sa.select(ModuleCompletion.module_id, ModuleCompletion.user_id).where(
                ModuleCompletion.module_id.in_(list(hours_of)), ModuleCompletion.user_id.in_(members))
        ):
            done[user_id].add(module_id)
    existing = {c.user_id: c for c in session.scalars(sa.select(ProgrammeCompletion).where(
        ProgrammeCompletion.programme_id == programme.id, ProgrammeCompletion.user_id.in_(members)))}
    for user_id in members:
        hours = sum((hours_of[m] for m in done[user_id]), Decimal(0))
        complete = bool(required) and required <= done[user_id]
        current = existing.get(user_id)
        if complete and current is None:
            added = _insert_new(session, ProgrammeCompletion, [{
                "programme_id": programme.id, "user_id": user_id, "completed_at": now, "hours": hours}])
            if not added:
                continue  # a concurrent request recorded (and announced) it
            completion = added[0]
            # the note holds the hours as a number; the page writes it in the reader's locale
            _audit(session, programme_id=programme.id, user_id=user_id, action="programme_completed", now=now,
                   note=str(hours))
            programme_completed.send(completion, session=session, now=now)
        elif complete:
            current.hours = hours
        elif current is not None and allow_removal and not (required <= done[user_id]):
            reason = _certificate_reason(session, user_id=user_id, programme_id=programme.id)
            if reason:
                _audit(session, programme_id=programme.id, user_id=user_id, action="kept", now=now, note=reason)
                continue
            programme_uncompleted.send(current, session=session, now=now)
            session.delete(current)
            _audit(session, programme_id=programme.id, user_id=user_id, action="programme_uncompleted", now=now)
    session.flush()


def programme_completion(session: Session, *, user_id: int, programme_id: int) -> ProgrammeCompletion | None:
    """The person's completion of the programme, if recorded."""
    return session.scalar(sa.select(ProgrammeCompletion).where(
        ProgrammeCompletion.programme_id == programme_id, ProgrammeCompletion.user_id == user_id))


def completed_modules(session: Session, *, user_id: int, programme_id: int) -> list[tuple[str, float]]:
    """(title, hours) of the person's done, non-archived modules of the programme, in programme order."""
    rows = session.execute(
        sa.select(Module.title, Module.hours).join(ModuleCompletion, ModuleCompletion.module_id == Module.id)
        .where(Module.programme_id == programme_id, Module.archived_at.is_(None),
               ModuleCompletion.user_id == user_id)
        .order_by(Module.position, Module.id)
    )
    return [(title, float(hours or 0)) for title, hours in rows]


# Self-study and manual completion -------------------------------------------------------------------

def _done_module_ids(session: Session, *, user_id: int, module_ids: list[int]) -> set[int]:
    if not module_ids:
        return set()
    return set(session.scalars(sa.select(ModuleCompletion.module_id).where(
        ModuleCompletion.user_id == user_id, ModuleCompletion.module_id.in_(module_ids))))


def submit_work(session: Session, *, module_id: int, user_id: int, now: datetime, text: str = "",
                link: str | None = None) -> Submission:
    """Hand in self-study evidence; refused before the prerequisites are done (naming them)."""
    module = get_module(session, module_id)
    programme = module.programme
    user = _user(session, user_id)
    if not can_view(programme, user):
        raise NotFound("learning.module_not_found")
    if module.archived_at is not None or programme.status != "published":
        raise Conflict("learning.submissions_closed")
    if module.completion != "self_study":
        raise ValidationFailed("learning.module_by_attendance", field="completion")
    _require_participant(session, programme, user_id)
    text = clean_text(text, field="text", label="Text", limit=MAX_SUBMISSION_TEXT)
    if link is not None and (not isinstance(link, str) or "\x00" in link):
        raise ValidationFailed("learning.link_not_text", field="link")
    link = normalise_url(link, field="link")
    if not text and not link:
        raise ValidationFailed("learning.submission_empty", field="text")
    if _done_module_ids(session, user_id=user_id, module_ids=[module.id]):
        raise Conflict("learning.module_already_completed")
    _refuse_before_prerequisites(session, module, user_id, "learning.prerequisites_first")
    pending = session.scalar(sa.select(Submission.id).where(
        Submission.module_id == module.id, Submission.user_id == user_id, Submission.status == "submitted"))
    if pending is not None:
        raise Conflict("learning.submission_pending")
    submission = Submission(module_id=module.id, user_id=user_id, text=text, link=link, status="submitted",
                            submitted_at=now)
    session.add(submission)
    session.flush()
    return submission


ALREADY_REVIEWED = {"approved": "learning.submission_already_approved",
                    "returned": "learning.submission_already_returned"}


def _reviewable(session: Session, submission_id: int, actor_id: int) -> tuple[Submission, User]:
    submission = session.get(Submission, submission_id) if as_id(submission_id) else None
    if submission is None:
        raise NotFound("learning.submission_not_found")
    actor = _user(session, actor_id)
    programme = submission.module.programme
    if actor is None or not can_manage(programme, actor):
        if actor is not None and actor.id == submission.user_id:
            raise Forbidden("learning.review_own_submission")
        raise NotFound("learning.submission_not_found")
    if submission.user_id == actor.id:
        raise Forbidden("learning.approve_own_submission")
    if submission.status != "submitted":
        raise Conflict(ALREADY_REVIEWED.get(submission.status, "learning.submission_already_reviewed"))
    return submission, actor


def approve_submission(session: Session, *, submission_id: int, actor_id: int, now: datetime,
                       comment: str = "") -> Submission:
    """Accept self-study evidence: the module is done for its author."""
    submission, actor = _reviewable(session, submission_id, actor_id)
    comment = clean_text(comment, field="comment", label="Comment", limit=MAX_SUBMISSION_TEXT)
    submission.status, submission.reviewer_comment = "approved", comment
    submission.reviewed_by_id, submission.reviewed_at = actor.id, now
    module = submission.module
    existing = session.scalar(sa.select(ModuleCompletion).where(
        ModuleCompletion.module_id == module.id, ModuleCompletion.user_id == submission.user_id))
    if existing is None:
        _refuse_before_prerequisites(session, module, submission.user_id,
                                     "learning.approve_after_prerequisites")
        session.add(ModuleCompletion(module_id=module.id, user_id=submission.user_id, completed_at=now,
                                     source="submission", submission_id=submission.id, recorded_by_id=actor.id,
                                     note=comment))
    _audit(session, programme_id=module.programme_id, module_id=module.id, user_id=submission.user_id,
           actor_id=actor.id, action="approved", now=now, note=comment)
    session.flush()
    _refresh_completions(session, programme=module.programme, user_ids=[submission.user_id], now=now,
                         allow_removal=False)
    _complete_waiting(session, programme=module.programme, user_ids=[submission.user_id], now=now)
    return submission


def return_submission(session: Session, *, submission_id: int, actor_id: int, comment: str,
                      now: datetime) -> Submission:
    """Send self-study evidence back with a comment saying what is missing."""
    submission, actor = _reviewable(session, submission_id, actor_id)
    comment = clean_text(comment, field="comment", label="Comment", limit=MAX_SUBMISSION_TEXT, required=True)
    submission.status, submission.reviewer_comment = "returned", comment
    submission.reviewed_by_id, submission.reviewed_at = actor.id, now
    _audit(session, programme_id=submission.module.programme_id, module_id=submission.module_id,
           user_id=submission.user_id, actor_id=actor.id, action="returned", now=now, note=comment)
    session.flush()
    return submission


def mark_module_done(session: Session, *, module_id: int, user_id: int, actor_id: int, note: str,
                     now: datetime) -> ModuleCompletion:
    """An organiser records a module as done for a participant, with a note (audited)."""
    module = get_module(session, module_id)
    programme = module.programme
    actor = _require_manager(session, programme, actor_id)
    if actor.id == user_id:
        raise Forbidden("learning.mark_own_modules")
    if module.archived_at is not None:
        raise Conflict("learning.module_archived")
    note = clean_text(note, field="note", label="Note", limit=NOTE_MAX, required=True)
    _require_participant(session, programme, user_id, reason="learning.person_join_first")
    existing = session.scalar(sa.select(ModuleCompletion).where(
        ModuleCompletion.module_id == module.id, ModuleCompletion.user_id == user_id))
    if existing is not None:
        raise Conflict("learning.module_already_done")
    _refuse_before_prerequisites(session, module, user_id,
                                 "learning.mark_prerequisites_first")
    completion = ModuleCompletion(module_id=module.id, user_id=user_id, completed_at=now, source="manual",
                                  note=note, recorded_by_id=actor.id)
    session.add(completion)
    _audit(session, programme_id=programme.id, module_id=module.id, user_id=user_id, actor_id=actor.id,
           action="marked_done", now=now, note=note)
    _flush_or_conflict(session, "learning.completed_at_same_moment")
    _refresh_completions(session, programme=programme, user_ids=[user_id], now=now, allow_removal=False)
    _complete_waiting(session, programme=programme, user_ids=[user_id], now=now)
    return completion


def unmark_module(session: Session, *, module_id: int, user_id: int, actor_id: int, note: str,
                  now: datetime) -> None:
    """An organiser withdraws a completion (refused while a certificate stands on it)."""
    module = get_module(session, module_id)
    programme = module.programme
    actor = _require_manager(session, programme, actor_id)
    note = clean_text(note, field="note", label="Note", limit=NOTE_MAX, required=True)
    completion = session.scalar(sa.select(ModuleCompletion).where(
        ModuleCompletion.module_id == module.id, ModuleCompletion.user_id == user_id))
    if completion is None:
        raise NotFound("learning.module_not_done")
    reason = _certificate_reason(session, user_id=user_id, programme_id=programme.id)
    if reason:
        raise Conflict("learning.completion_kept", reason=reason)
    session.delete(completion)
    _audit(session, programme_id=programme.id, module_id=module.id, user_id=user_id, actor_id=actor.id,
           action="unmarked", now=now, note=note)
    session.flush()
    _refresh_completions(session, programme=programme, user_ids=[user_id], now=now, allow_removal=True)


def review_queue(session: Session, *, actor_id: int) -> list[Submission]:
    """Submissions waiting for review in the programmes the actor organises, oldest first."""
    actor = _user(session, actor_id)
    if actor is None or not actor.is_organiser:
        raise Forbidden("learning.review_organisers_only")
    stmt = (sa.select(Submission).join(Module, Module.id == Submission.module_id)
            .where(Submission.status == "submitted")
            .options(joinedload(Submission.user), joinedload(Submission.module).joinedload(Module.programme))
            .order_by(Submission.submitted_at, Submission.id))
    if actor.role != "admin":
        stmt = stmt.where(Module.programme.has(Programme.organisers.any(User.id == actor.id)))
    return list(session.scalars(stmt))
