"""The programme dashboard's service against hand-counted data (tests/dashboards/programme_data.py)."""

from __future__ import annotations

from datetime import date

import pytest

from app.dashboards.programme_stats import managed_programme, programme_stats
from app.errors import Forbidden, NotFound
from tests.dashboards import programme_data
from tests.dashboards.programme_data import DAY, START, finish, member
from tests.factories import make_admin, make_module, make_organiser, make_programme, make_user


def test_figures_counted_by_hand(session):
    demo = programme_data.build(session)
    stats = programme_stats(session, programme_id=demo.programme.id)

    assert stats.participants == 7  # A-G; X only attended
    assert stats.completed == 3  # A, F, G
    assert stats.median_days_to_complete == 10.0  # 4, 10, 20
    assert stats.submissions_waiting == 2  # B in m2, E in the archived module
    m1, m2, m3 = stats.modules
    assert [m.module_id for m in stats.modules] == [m.id for m in demo.modules]  # archived one left out
    assert [(m.title, m.position, m.completion) for m in stats.modules] == [
        ("Foundations", 1, "event"), ("Reflection", 2, "self_study"), ("Site visit", 3, "event")]
    # m1: A, F, G, B, C completed it (A's check-in counts once); X is no participant
    assert (m1.started, m1.completed, m1.continued, m1.stopped, m1.submissions_waiting) == (5, 5, 4, 1, 0)
    # m2: A, F, G completed; B waits for review, D's was returned; of the three, all went on to m3
    assert (m2.started, m2.completed, m2.continued, m2.stopped, m2.submissions_waiting) == (5, 3, 3, 0, 1)
    # m3: A, F, G completed; D checked in but waits for m2
    assert (m3.started, m3.completed, m3.continued, m3.stopped) == (4, 3, None, None)
    assert [(d.day, d.count, d.cumulative) for d in stats.completions_over_time] == [
        (date(2027, 1, 11), 2, 2), (date(2027, 1, 21), 1, 3)]
    assert stats.completion_rate == pytest.approx(3 / 7)


def test_median_of_an_even_number_is_the_mean_of_the_middle_two(session):
    programme = make_programme(session)
    make_module(session, programme)
    for name, days in [("A", 2), ("B", 5), ("C", 1.5), ("D", 9)]:
        finish(session, programme, member(session, programme, name, START), START + days * DAY)
    member(session, programme, "E", START)  # not finished: not in the median
    session.flush()
    assert programme_stats(session, programme_id=programme.id).median_days_to_complete == 3.5  # (2 + 5) / 2


def test_empty_programme(session):
    programme = make_programme(session, status="draft")
    stats = programme_stats(session, programme_id=programme.id)
    assert (stats.participants, stats.completed, stats.median_days_to_complete, stats.submissions_waiting) == (
        0, 0, None, 0)
    assert stats.modules == () and stats.completions_over_time == () and stats.completion_rate is None

    module = make_module(session, programme)  # a module nobody started
    only = programme_stats(session, programme_id=programme.id).modules
    assert [(m.module_id, m.started, m.completed, m.continued) for m in only] == [(module.id, 0, 0, None)]


def test_other_programmes_do_not_leak_in(session):
    programme_data.build(session)
    other = make_programme(session)
    make_module(session, other)
    assert programme_stats(session, programme_id=other.id).participants == 0
    assert programme_stats(session, programme_id=other.id).modules[0].started == 0


def test_constant_number_of_queries(session, count_queries):
    demo = programme_data.build(session)
    with count_queries() as small:
        programme_stats(session, programme_id=demo.programme.id)
    programme_data.grow(session, demo.programme, demo.modules, participants=30)
    with count_queries() as bigger:
        stats = programme_stats(session, programme_id=demo.programme.id)
    assert stats.participants == 37 and len(stats.modules) == 4
    assert small.count == bigger.count == 8


def test_who_may_see_it(session):
    demo = programme_data.build(session)
    pid = demo.programme.id
    assert managed_programme(session, programme_id=pid, actor_id=demo.organiser.id) is demo.programme
    assert managed_programme(session, programme_id=pid, actor_id=make_admin(session).id) is demo.programme
    with pytest.raises(Forbidden):  # sees the published programme, does not organise it
        managed_programme(session, programme_id=pid, actor_id=make_organiser(session).id)
    with pytest.raises(Forbidden):
        managed_programme(session, programme_id=pid, actor_id=demo.people["A"].id)
    draft = make_programme(session, status="draft")
    with pytest.raises(NotFound):  # a draft stays invisible
        managed_programme(session, programme_id=draft.id, actor_id=make_user(session).id)
    with pytest.raises(NotFound):
        managed_programme(session, programme_id=10**6, actor_id=demo.organiser.id)
    with pytest.raises(NotFound):
        managed_programme(session, programme_id=pid, actor_id=None)
