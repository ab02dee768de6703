"""A programme whose dashboard figures are counted by hand in the tests (see `build`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.learning.models import ModuleCompletion, ProgrammeCompletion, Submission
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

DAY = timedelta(days=1)
START = datetime(2027, 1, 1, tzinfo=UTC)


@dataclass
class Demo:
    programme: object
    organiser: object
    modules: list  # m1, m2, m3 in order (the archived one left out)
    archived: object
    people: dict


def member(session, programme, name, joined_at):
    user = make_user(session, name=name)
    join_programme(session, programme, user).joined_at = joined_at
    return user


def complete(session, module, user, at, source="manual"):
    session.add(ModuleCompletion(module_id=module.id, user_id=user.id, completed_at=at, source=source,
                                 note="by hand in a test"))


def finish(session, programme, user, at):
    session.add(ProgrammeCompletion(programme_id=programme.id, user_id=user.id, completed_at=at))


def submit(session, module, user, status, at):
    session.add(Submission(module_id=module.id, user_id=user.id, text="My work", status=status, submitted_at=at,
                           reviewed_at=None if status == "submitted" else at + DAY))


def build(session) -> Demo:
    """Seven participants and an outsider in a programme of three modules (and one archived module).

    m1 (event, taught by event e1), m2 (self-study), m3 (event, needs m2, taught by a session of e3):
    - A, F, G completed m1, m2, m3 and the programme: A in 10 days (Jan 1 -> Jan 11), F in 4 (Jan 7 -> Jan 11),
      G in 20 (Jan 1 noon -> Jan 21 noon); A also checked in at e1 (counted once).
    - B completed m1 and handed in m2 (waiting for review).
    - C completed m1 only.
    - D had m2 returned and checked in at m3's session (m3 waits for m2: started, not completed).
    - E did nothing in the active modules (a waiting submission in the archived module).
    - X checked in at e1 without joining the programme (not counted anywhere).
    """
    organiser = make_organiser(session, name="Olivia")
    programme = make_programme(session, organisers=[organiser])
    m1 = make_module(session, programme, title="Foundations")
    archived = make_module(session, programme, title="Old module", completion="self_study",
                           archived_at=START)
    m2 = make_module(session, programme, title="Reflection", completion="self_study")
    m3 = make_module(session, programme, title="Site visit", prerequisites=[m2])
    e1 = make_event(session, organisers=[organiser])
    e3 = make_event(session, organisers=[organiser])
    e3_session = make_session(session, e3)
    make_link(session, m1, event=e1)
    make_link(session, m3, event_session=e3_session)

    people = {name: member(session, programme, name, joined)
              for name, joined in [("A", START), ("B", START), ("C", START), ("D", START), ("E", START),
                                   ("F", START + 6 * DAY), ("G", START + DAY / 2)]}
    finished_at = {"A": START + 10 * DAY, "F": START + 10 * DAY, "G": START + 20 * DAY + DAY / 2}
    for name, at in finished_at.items():
        for module in (m1, m2, m3):
            complete(session, module, people[name], at - DAY)
        finish(session, programme, people[name], at)
    complete(session, m1, people["B"], START + DAY)
    submit(session, m2, people["B"], "submitted", START + 2 * DAY)
    complete(session, m1, people["C"], START + DAY)
    submit(session, m2, people["D"], "returned", START + DAY)
    submit(session, archived, people["E"], "submitted", START - DAY)
    session.flush()
    attend(session, e1, people["A"], actor=organiser)
    attend(session, e3, people["D"], actor=organiser, event_session=e3_session)
    attend(session, e1, make_user(session, name="X"), actor=organiser)
    session.flush()
    return Demo(programme=programme, organiser=organiser, modules=[m1, m2, m3], archived=archived, people=people)


def grow(session, programme, modules, *, participants: int) -> None:
    """More of everything (people, completions, submissions, another module) to show the query count stays."""
    extra = make_module(session, programme, title="Extra", completion="self_study")
    for n in range(participants):
        user = member(session, programme, f"Extra {n}", START + n * DAY)
        for module in modules[: 1 + n % len(modules)]:
            complete(session, module, user, START + (n + 1) * DAY)
        submit(session, extra, user, "submitted" if n % 2 else "returned", START + (n + 2) * DAY)
        if n % 3 == 0:
            finish(session, programme, user, START + (n + 3) * DAY)
    session.flush()
