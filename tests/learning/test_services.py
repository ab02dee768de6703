"""Learning services against a real database: structure rules, attendance, self-study, completion."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.events import services as events
from app.learning import services
from app.learning.models import LearningAudit, ModuleCompletion, ProgrammeCompletion
from app.learning.signals import programme_completed
from app.sqltypes import utcnow
from tests.factories import (
    join_programme,
    make_event,
    make_link,
    make_module,
    make_organiser,
    make_programme,
    make_session,
    make_user,
)
from tests.learning.helpers import attend


@pytest.fixture
def org(session):
    return make_organiser(session, name="Olivia Organiser")


@pytest.fixture
def programme(session, org):
    return make_programme(session, organisers=[org], title="Circular economy for municipalities")


def _done(session, user, module) -> ModuleCompletion | None:
    return session.scalar(sa.select(ModuleCompletion).where(ModuleCompletion.user_id == user.id,
                                                            ModuleCompletion.module_id == module.id))


# Structure -----------------------------------------------------------------------------------------

def test_create_programme_is_draft_with_creator_as_organiser_and_unique_slug(session, org):
    now = utcnow()
    first = services.create_programme(session, data={"title": "Climate-friendly urban mobility",
                                                     "topics": ["sustainable-transport"]},
                                      created_by_id=org.id, now=now)
    second = services.create_programme(session, data={"title": "Climate-friendly urban mobility"},
                                       created_by_id=org.id, now=now)
    assert first.status == "draft" and first.organisers == [org]
    assert [t.slug for t in first.topics] == ["sustainable-transport"]
    assert first.slug == "climate-friendly-urban-mobility" and second.slug == "climate-friendly-urban-mobility-2"
    mine = services.create_programme(session, data={"title": "Mine"}, created_by_id=org.id, now=now)
    assert mine.slug == "mine-2"  # never shadows /programmes/mine


def test_participants_cannot_create_and_bad_fields_are_named(session, org):
    with pytest.raises(Forbidden):
        services.create_programme(session, data={"title": "X"}, created_by_id=make_user(session).id, now=utcnow())
    with pytest.raises(ValidationFailed) as exc:
        services.create_programme(session, data={"title": " "}, created_by_id=org.id, now=utcnow())
    assert exc.value.fields_for() == {"title": "Title is required."}
    with pytest.raises(ValidationFailed) as exc:
        services.create_programme(session, data={"title": "X", "topics": ["nope"]}, created_by_id=org.id,
                                  now=utcnow())
    assert "nope" in exc.value.message


@pytest.mark.parametrize("hours", [-1, "-0.5", "abc", True, "NaN", 100000])
def test_bad_hours_refused(session, org, programme, hours):
    with pytest.raises(ValidationFailed) as exc:
        services.add_module(session, programme_id=programme.id, data={"title": "M", "hours": hours},
                            actor_id=org.id, now=utcnow())
    assert "hours" in exc.value.fields


def test_modules_are_ordered_and_movable(session, org, programme):
    now = utcnow()
    a = services.add_module(session, programme_id=programme.id, data={"title": "A", "hours": "2.5"},
                            actor_id=org.id, now=now)
    b = services.add_module(session, programme_id=programme.id, data={"title": "B"}, actor_id=org.id, now=now)
    c = services.add_module(session, programme_id=programme.id, data={"title": "C", "position": 1},
                            actor_id=org.id, now=now)
    assert a.hours == Decimal("2.50")
    session.expire(programme)
    assert [m.title for m in programme.modules] == ["C", "A", "B"]
    services.move_module(session, module_id=b.id, direction="up", actor_id=org.id, now=now)
    session.expire(programme)
    assert [m.title for m in programme.modules] == ["C", "B", "A"]
    assert c.position == 0


def test_prerequisite_cycles_are_refused_naming_the_modules(session, org, programme):
    a = make_module(session, programme, title="Waste audits")
    b = make_module(session, programme, title="Composting", prerequisites=[a])
    c = make_module(session, programme, title="Circular procurement", prerequisites=[b])
    with pytest.raises(ValidationFailed) as exc:
        services.set_prerequisites(session, module_id=a.id, prerequisite_ids=[c.id], actor_id=org.id,
                                   now=utcnow())
    message = exc.value.message
    assert "cycle" in message and "Waste audits" in message and "Composting" in message
    assert "Circular procurement" in message and exc.value.fields.get("prerequisites")
    with pytest.raises(ValidationFailed):
        services.set_prerequisites(session, module_id=a.id, prerequisite_ids=[a.id], actor_id=org.id,
                                   now=utcnow())
    other = make_module(session, make_programme(session, organisers=[org]))
    with pytest.raises(ValidationFailed) as exc:
        services.set_prerequisites(session, module_id=a.id, prerequisite_ids=[other.id], actor_id=org.id,
                                   now=utcnow())
    assert "same programme" in exc.value.message
    session.expire_all()
    assert a.prerequisites == []


def test_linking_draft_or_cancelled_events_and_self_study_modules_refused(session, org, programme):
    module = make_module(session, programme)
    draft = make_event(session, organisers=[org], status="draft", title="Draft fair")
    cancelled = make_event(session, organisers=[org], status="cancelled", title="Called-off tour")
    for event in (draft, cancelled):
        with pytest.raises(ValidationFailed) as exc:
            services.link_module(session, module_id=module.id, event_id=event.id, actor_id=org.id, now=utcnow())
        assert event.title in exc.value.message
    draft_session = make_session(session, draft)
    with pytest.raises(ValidationFailed):
        services.link_module(session, module_id=module.id, session_id=draft_session.id, actor_id=org.id,
                             now=utcnow())
    study = make_module(session, programme, completion="self_study")
    good = make_event(session, organisers=[org])
    with pytest.raises(ValidationFailed):
        services.link_module(session, module_id=study.id, event_id=good.id, actor_id=org.id, now=utcnow())
    with pytest.raises(ValidationFailed):
        services.link_module(session, module_id=module.id, actor_id=org.id, now=utcnow())
    with pytest.raises(NotFound):
        services.link_module(session, module_id=module.id, event_id=999999, actor_id=org.id, now=utcnow())
    services.link_module(session, module_id=module.id, event_id=good.id, actor_id=org.id, now=utcnow())
    with pytest.raises(Conflict):
        services.link_module(session, module_id=module.id, event_id=good.id, actor_id=org.id, now=utcnow())


def test_other_organisers_cannot_edit(session, programme):
    stranger = make_organiser(session)
    with pytest.raises(Forbidden):
        services.update_programme(session, programme_id=programme.id, data={"title": "Mine now"},
                                  actor_id=stranger.id, now=utcnow())
    draft = make_programme(session, status="draft")
    with pytest.raises(NotFound):
        services.update_programme(session, programme_id=draft.id, data={"title": "x"}, actor_id=stranger.id,
                                  now=utcnow())


def test_publish_needs_a_required_module_and_join_needs_published(session, org):
    draft = make_programme(session, organisers=[org], status="draft")
    user = make_user(session)
    with pytest.raises(NotFound):
        services.join_programme(session, programme_id=draft.id, user_id=user.id, now=utcnow())
    with pytest.raises(ValidationFailed):
        services.publish_programme(session, programme_id=draft.id, actor_id=org.id, now=utcnow())
    make_module(session, draft, is_required=False)
    with pytest.raises(ValidationFailed):
        services.publish_programme(session, programme_id=draft.id, actor_id=org.id, now=utcnow())
    make_module(session, draft)
    services.publish_programme(session, programme_id=draft.id, actor_id=org.id, now=utcnow())
    member = services.join_programme(session, programme_id=draft.id, user_id=user.id, now=utcnow())
    assert services.join_programme(session, programme_id=draft.id, user_id=user.id, now=utcnow()) is member
    services.archive_programme(session, programme_id=draft.id, actor_id=org.id, now=utcnow())
    with pytest.raises(Conflict):
        services.join_programme(session, programme_id=draft.id, user_id=make_user(session).id, now=utcnow())


def test_delete_module_archives_when_used(session, org, programme):
    used = make_module(session, programme, title="Used")
    unused = make_module(session, programme, title="Unused", prerequisites=[used])
    user = make_user(session)
    join_programme(session, programme, user)
    services.mark_module_done(session, module_id=used.id, user_id=user.id, actor_id=org.id, note="Attended in 2024",
                              now=utcnow())
    assert services.delete_module(session, module_id=unused.id, actor_id=org.id, now=utcnow()) == "deleted"
    assert services.delete_module(session, module_id=used.id, actor_id=org.id, now=utcnow()) == "archived"
    session.expire_all()
    assert [m.title for m in programme.modules] == ["Used"] and programme.modules[0].archived_at is not None
    assert programme.active_modules == []


# Attendance -----------------------------------------------------------------------------------------

def test_attendance_completes_then_undo_uncompletes_and_programme_completion_follows(session, org, programme):
    event = make_event(session, organisers=[org], title="Zero-waste workshop")
    tour = make_event(session, organisers=[org], title="Study tour")
    stop = make_session(session, tour, title="Recycling plant")
    first = make_module(session, programme, title="Zero waste", hours=Decimal("8"))
    second = make_module(session, programme, title="Recycling", hours=Decimal("2"))
    optional = make_module(session, programme, title="Extra", hours=Decimal("1.5"), is_required=False,
                           completion="self_study")
    make_link(session, first, event=event)
    make_link(session, second, event_session=stop)
    user, outsider = make_user(session), make_user(session)
    join_programme(session, programme, user)
    received = []

    def listener(sender, **kwargs):
        received.append((sender, kwargs["now"]))

    programme_completed.connect(listener)
    try:
        attend(session, event, outsider, actor=org)  # not a participant: no progress
        assert _done(session, outsider, first) is None
        checkin = attend(session, event, user, actor=org)
        done = _done(session, user, first)
        assert done.source == "attendance" and done.event_id == event.id
        assert services.programme_completion(session, user_id=user.id, programme_id=programme.id) is None
        services.mark_module_done(session, module_id=optional.id, user_id=user.id, actor_id=org.id,
                                  note="Read the handbook", now=utcnow())
        attend(session, tour, user, actor=org, event_session=stop)
        completion = services.programme_completion(session, user_id=user.id, programme_id=programme.id)
        assert completion is not None and completion.hours == Decimal("11.50")
        assert received and received[0][0] is completion
        assert services.completed_modules(session, user_id=user.id, programme_id=programme.id) == [
            ("Zero waste", 8.0), ("Recycling", 2.0), ("Extra", 1.5)]

        events.undo_checkin(session, checkin_id=checkin.id, actor_id=org.id, now=utcnow())
        assert _done(session, user, first) is None
        assert services.programme_completion(session, user_id=user.id, programme_id=programme.id) is None
        actions = set(session.scalars(sa.select(LearningAudit.action).where(LearningAudit.user_id == user.id)))
        assert {"marked_done", "programme_completed", "uncompleted", "programme_uncompleted"} <= actions
    finally:
        programme_completed.disconnect(listener)


def test_any_unit_of_a_linked_event_counts_and_past_attendance_counts_on_join_and_link(session, org, programme):
    event = make_event(session, organisers=[org])
    one, two = make_session(session, event), make_session(session, event)
    module = make_module(session, programme)
    user = make_user(session)
    attend(session, event, user, actor=org, event_session=two)  # before joining and before the link
    join_programme(session, programme, user)
    services.link_module(session, module_id=module.id, event_id=event.id, actor_id=org.id, now=utcnow())
    assert _done(session, user, module) is not None
    assert one is not None
    late = make_user(session)
    attend(session, event, late, actor=org, event_session=one)
    services.join_programme(session, programme_id=programme.id, user_id=late.id, now=utcnow())
    assert _done(session, late, module) is not None


def test_undo_keeps_completion_when_a_programme_certificate_stands(session, org, programme):
    from app.certificates import services as certificates

    event = make_event(session, organisers=[org])
    module = make_module(session, programme, title="Only module")
    make_link(session, module, event=event)
    user = make_user(session)
    join_programme(session, programme, user)
    checkin = attend(session, event, user, actor=org)
    assert services.programme_completion(session, user_id=user.id, programme_id=programme.id) is not None
    report = certificates.issue_programme_certificates(session, programme_id=programme.id, actor_id=org.id,
                                                       now=utcnow())
    assert len(report.issued) == 1
    events.undo_checkin(session, checkin_id=checkin.id, actor_id=org.id, now=utcnow())
    kept = _done(session, user, module)
    assert kept is not None and report.issued[0].code in kept.retained_reason
    assert services.programme_completion(session, user_id=user.id, programme_id=programme.id) is not None
    progress = services.programme_progress(session, programme_id=programme.id, user_id=user.id, viewer_id=user.id)
    assert progress.modules[0].completion.retained_reason


# Self-study -----------------------------------------------------------------------------------------

def test_self_study_prerequisites_review_and_own_approval(session, org, programme):
    basics = make_module(session, programme, title="Basics", completion="self_study")
    advanced = make_module(session, programme, title="Advanced", completion="self_study", prerequisites=[basics])
    user = make_user(session)
    with pytest.raises(Conflict):  # not joined
        services.submit_work(session, module_id=basics.id, user_id=user.id, text="x", now=utcnow())
    join_programme(session, programme, user)
    with pytest.raises(Conflict) as exc:
        services.submit_work(session, module_id=advanced.id, user_id=user.id, text="Too early", now=utcnow())
    assert "Basics" in exc.value.message
    with pytest.raises(ValidationFailed):
        services.submit_work(session, module_id=basics.id, user_id=user.id, text=" ", now=utcnow())
    with pytest.raises(ValidationFailed):
        services.submit_work(session, module_id=basics.id, user_id=user.id, link="javascript:alert(1)",
                             now=utcnow())
    first = services.submit_work(session, module_id=basics.id, user_id=user.id, text="My reflection", now=utcnow())
    with pytest.raises(Conflict):
        services.submit_work(session, module_id=basics.id, user_id=user.id, text="Again", now=utcnow())
    with pytest.raises(ValidationFailed):  # returning needs a comment
        services.return_submission(session, submission_id=first.id, actor_id=org.id, comment="", now=utcnow())
    services.return_submission(session, submission_id=first.id, actor_id=org.id, comment="Add an example",
                               now=utcnow())
    with pytest.raises(Conflict):
        services.approve_submission(session, submission_id=first.id, actor_id=org.id, now=utcnow())
    second = services.submit_work(session, module_id=basics.id, user_id=user.id, text="With an example",
                                  link="https://example.org/evidence", now=utcnow())
    with pytest.raises(NotFound):  # a participant cannot review
        services.approve_submission(session, submission_id=second.id, actor_id=make_user(session).id,
                                    now=utcnow())
    services.approve_submission(session, submission_id=second.id, actor_id=org.id, comment="Good", now=utcnow())
    assert _done(session, user, basics).source == "submission"

    # an organiser who follows a programme cannot approve their own work
    join_programme(session, programme, org)
    services.mark_module_done  # noqa: B018
    colleague = make_organiser(session)
    programme.organisers.append(colleague)
    services.mark_module_done(session, module_id=basics.id, user_id=org.id, actor_id=colleague.id,
                              note="Taught it", now=utcnow())
    own = services.submit_work(session, module_id=advanced.id, user_id=org.id, text="Mine", now=utcnow())
    with pytest.raises(Forbidden) as exc:
        services.approve_submission(session, submission_id=own.id, actor_id=org.id, now=utcnow())
    assert "own" in exc.value.message
    with pytest.raises(Forbidden):
        services.mark_module_done(session, module_id=advanced.id, user_id=org.id, actor_id=org.id, note="me",
                                  now=utcnow())


def test_manual_marking_is_audited_and_needs_a_note(session, org, programme):
    module = make_module(session, programme)
    make_module(session, programme, title="second")
    user = make_user(session)
    with pytest.raises(Conflict):
        services.mark_module_done(session, module_id=module.id, user_id=user.id, actor_id=org.id, note="x",
                                  now=utcnow())
    join_programme(session, programme, user)
    with pytest.raises(ValidationFailed):
        services.mark_module_done(session, module_id=module.id, user_id=user.id, actor_id=org.id, note="",
                                  now=utcnow())
    now = utcnow()
    done = services.mark_module_done(session, module_id=module.id, user_id=user.id, actor_id=org.id,
                                     note="Attended the 2023 run", now=now)
    assert (done.source, done.recorded_by_id, done.note, done.completed_at) == (
        "manual", org.id, "Attended the 2023 run", now)
    audit = session.scalar(sa.select(LearningAudit).where(LearningAudit.action == "marked_done"))
    assert (audit.actor_id, audit.note, audit.user_id) == (org.id, "Attended the 2023 run", user.id)
    assert session.scalar(sa.select(sa.func.count()).select_from(ProgrammeCompletion)) == 0  # `second` missing
    services.unmark_module(session, module_id=module.id, user_id=user.id, actor_id=org.id, note="Wrong person",
                           now=utcnow())
    assert _done(session, user, module) is None
    audit = session.scalar(sa.select(LearningAudit).where(LearningAudit.action == "unmarked"))
    assert (audit.actor_id, audit.note, audit.module_id) == (org.id, "Wrong person", module.id)
    with pytest.raises(NotFound):
        services.unmark_module(session, module_id=module.id, user_id=user.id, actor_id=org.id, note="again",
                               now=utcnow())


def test_unmarking_is_refused_while_a_programme_certificate_stands(session, org, programme):
    from app.certificates import services as certificates

    module = make_module(session, programme)
    user = make_user(session)
    join_programme(session, programme, user)
    services.mark_module_done(session, module_id=module.id, user_id=user.id, actor_id=org.id, note="Did it",
                              now=utcnow())
    assert services.programme_completion(session, user_id=user.id, programme_id=programme.id) is not None
    certificates.issue_programme_certificates(session, programme_id=programme.id, actor_id=org.id, now=utcnow())
    with pytest.raises(Conflict, match="ertificate"):
        services.unmark_module(session, module_id=module.id, user_id=user.id, actor_id=org.id, note="No",
                               now=utcnow())
    assert _done(session, user, module) is not None


def test_progress_of_others_is_hidden(session, org, programme):
    make_module(session, programme)
    user, other = make_user(session), make_user(session)
    join_programme(session, programme, user)
    with pytest.raises(NotFound):
        services.programme_progress(session, programme_id=programme.id, user_id=user.id, viewer_id=other.id)
    progress = services.programme_progress(session, programme_id=programme.id, user_id=user.id, viewer_id=org.id)
    assert progress.participant is not None and progress.modules[0].status == "available"


def test_learning_modules_for_event_and_csv_safety(session, org, programme):
    event = make_event(session, organisers=[org])
    agenda = make_session(session, event)
    by_event = make_module(session, programme, title="By event")
    by_session = make_module(session, programme, title="By session")
    make_link(session, by_event, event=event)
    make_link(session, by_session, event_session=agenda)
    draft = make_programme(session, organisers=[org], status="draft")
    make_link(session, make_module(session, draft), event=event)
    modules = services.learning_modules_for_event(session, event.id)
    assert [m.title for m in modules] == ["By event", "By session"]
    assert modules[0].programme.title == programme.title
    assert services.csv_safe("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert [services.csv_safe(v) for v in ("+1", "-1", "@SUM(A1)", "\tx", "ok", None)] == [
        "'+1", "'-1", "'@SUM(A1)", "'\tx", "ok", ""]


# Two requests at once ------------------------------------------------------------------------------

def _competitor(session, writes: dict[int, tuple]):
    """Before the n-th savepoint the learning services open, another "request" writes a clashing row.

    The row goes straight through the transaction's connection ahead of the SAVEPOINT, which is what a
    concurrent transaction's committed row looks like once the unique index sees it.
    """
    connection = session.connection()
    opened = []

    def before_savepoint(_session, transaction):
        if transaction.nested:
            opened.append(transaction)
            if len(opened) in writes:
                table, row = writes[len(opened)]
                connection.execute(table.insert().values(**row))

    sa.event.listen(session(), "after_transaction_create", before_savepoint)
    return lambda: sa.event.remove(session(), "after_transaction_create", before_savepoint)


def test_a_check_in_racing_another_completion_of_the_same_module_still_succeeds(session, org, programme):
    event = make_event(session, organisers=[org])
    module = make_module(session, programme, hours=Decimal("3"))
    make_link(session, module, event=event)
    user = make_user(session)
    join_programme(session, programme, user)
    enrolment = events.enrol(session, event_id=event.id, user_id=user.id, now=utcnow())
    session.commit()
    now = utcnow()
    stop = _competitor(session, {
        1: (ModuleCompletion.__table__, {"module_id": module.id, "user_id": user.id, "source": "attendance",
                                         "event_id": event.id, "completed_at": now, "note": "the other door"}),
    })
    try:
        checkin = events.check_in(session, event_id=event.id, actor_id=org.id, now=now, enrolment_id=enrolment.id,
                                  confirm_before_event=True)
    finally:
        stop()
    session.commit()  # the transaction is alive: the check-in is kept, the competitor's completion stands
    assert checkin.id is not None
    assert [c.note for c in session.scalars(sa.select(ModuleCompletion))] == ["the other door"]
    assert session.scalar(sa.select(sa.func.count()).select_from(ProgrammeCompletion)) == 0  # theirs to record


def test_a_check_in_racing_another_programme_completion_records_and_announces_it_once(session, org, programme):
    event = make_event(session, organisers=[org])
    module = make_module(session, programme, hours=Decimal("3"))
    make_link(session, module, event=event)
    user = make_user(session)
    join_programme(session, programme, user)
    enrolment = events.enrol(session, event_id=event.id, user_id=user.id, now=utcnow())
    session.commit()
    now = utcnow()
    received = []

    def listener(sender, **_):
        received.append(sender)

    programme_completed.connect(listener)
    stop = _competitor(session, {2: (ProgrammeCompletion.__table__, {
        "programme_id": programme.id, "user_id": user.id, "completed_at": now, "hours": Decimal("3")})})
    try:
        events.check_in(session, event_id=event.id, actor_id=org.id, now=now, enrolment_id=enrolment.id,
                        confirm_before_event=True)
    finally:
        stop()
        programme_completed.disconnect(listener)
    session.commit()
    assert _done(session, user, module).source == "attendance"
    assert session.scalar(sa.select(sa.func.count()).select_from(ProgrammeCompletion)) == 1
    assert received == []  # the other request announced it
    assert "programme_completed" not in set(session.scalars(sa.select(LearningAudit.action)))


def test_a_clash_on_one_completion_keeps_the_others_and_completes_the_programme(session, org, programme):
    event = make_event(session, organisers=[org])
    first, second = make_module(session, programme), make_module(session, programme)
    make_link(session, first, event=event)
    make_link(session, second, event=event)
    user = make_user(session)
    join_programme(session, programme, user)
    enrolment = events.enrol(session, event_id=event.id, user_id=user.id, now=utcnow())
    session.commit()
    now = utcnow()
    stop = _competitor(session, {1: (ModuleCompletion.__table__, {
        "module_id": first.id, "user_id": user.id, "source": "attendance", "event_id": event.id,
        "completed_at": now, "note": "the other door"})})
    try:
        events.check_in(session, event_id=event.id, actor_id=org.id, now=now, enrolment_id=enrolment.id,
                        confirm_before_event=True)
    finally:
        stop()
    session.commit()
    notes = dict(session.execute(sa.select(ModuleCompletion.module_id, ModuleCompletion.note)).all())
    assert notes == {first.id: "the other door", second.id: ""}
    assert services.programme_completion(session, user_id=user.id, programme_id=programme.id) is not None


def test_joining_twice_at_once_returns_the_same_membership(session, org, programme):
    from app.learning.models import ProgrammeParticipant

    make_module(session, programme)
    user = make_user(session)
    session.commit()
    make_user(session)  # this request already wrote something, as a check-in or an audit row would
    stop = _competitor(session, {1: (ProgrammeParticipant.__table__, {
        "programme_id": programme.id, "user_id": user.id, "joined_at": utcnow()})})
    try:
        member = services.join_programme(session, programme_id=programme.id, user_id=user.id, now=utcnow())
    finally:
        stop()
    session.commit()
    assert member.user_id == user.id
    assert session.scalar(sa.select(sa.func.count()).select_from(ProgrammeParticipant)) == 1


# Prerequisites block completion -------------------------------------------------------------------

def test_a_check_in_does_not_complete_a_module_before_its_prerequisites_then_completes_it_after(
        session, org, programme):
    basics = make_module(session, programme, title="Basics", completion="self_study")
    visit = make_module(session, programme, title="Site visit", prerequisites=[basics])
    follow_up = make_module(session, programme, title="Follow-up visit", prerequisites=[visit])
    tour, second_tour = make_event(session, organisers=[org]), make_event(session, organisers=[org])
    make_link(session, visit, event=tour)
    make_link(session, follow_up, event=second_tour)
    user = make_user(session)
    join_programme(session, programme, user)
    checkin = attend(session, tour, user, actor=org)  # the check-in itself succeeds
    assert checkin.id is not None
    attend(session, second_tour, user, actor=org)
    assert _done(session, user, visit) is None and _done(session, user, follow_up) is None
    # once the prerequisite is done, the attendance already recorded completes the waiting modules in order
    services.mark_module_done(session, module_id=basics.id, user_id=user.id, actor_id=org.id, note="Read it",
                              now=utcnow())
    assert _done(session, user, visit).source == "attendance"
    assert _done(session, user, follow_up).source == "attendance"


def test_marking_or_approving_a_module_before_its_prerequisites_is_refused(session, org, programme):
    basics = make_module(session, programme, title="Basics", completion="self_study")
    advanced = make_module(session, programme, title="Advanced", completion="self_study", prerequisites=[basics])
    user = make_user(session)
    join_programme(session, programme, user)
    with pytest.raises(Conflict) as exc:
        services.mark_module_done(session, module_id=advanced.id, user_id=user.id, actor_id=org.id,
                                  note="Skipping ahead", now=utcnow())
    assert "“Basics”" in exc.value.message and exc.value.fields.get("prerequisites")
    services.mark_module_done(session, module_id=basics.id, user_id=user.id, actor_id=org.id, note="Done",
                              now=utcnow())
    submission = services.submit_work(session, module_id=advanced.id, user_id=user.id, text="Essay", now=utcnow())
    services.unmark_module(session, module_id=basics.id, user_id=user.id, actor_id=org.id, note="Mistake",
                           now=utcnow())
    with pytest.raises(Conflict) as exc:
        services.approve_submission(session, submission_id=submission.id, actor_id=org.id, now=utcnow())
    assert "“Basics”" in exc.value.message
