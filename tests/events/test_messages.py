"""Errors of events as codes with values: every reason raised is in the catalogue, every template is filled by
the values given, and no module of the package builds the sentence itself (issue 11, point 5)."""

from __future__ import annotations

import ast
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import app.events.messages  # noqa: F401  (fills the catalogue)
from app.errors import DomainError, message_template
from app.events import services
from app.sqltypes import utcnow
from tests.factories import make_event, make_organiser, make_session, make_user
from tests.messages_scan import PLACEHOLDER_RE, SourceScan

SCAN = SourceScan("events", r"^(event|enrolment|agenda|checkin)\.[a-z_.]+$",
                  extra_errors=("RegistrationClosed", "AlreadyEnrolled", "CheckinBeforeEvent", "AgendaItemCannotMove"))
PACKAGE, MODULES, REASON_RE = SCAN.package, SCAN.modules, SCAN.reason_re
_trees, _error_calls, _reasons_in = SCAN.trees, SCAN.error_calls, SCAN.reasons_in
_catalogue_keys = SCAN.catalogue_reasons


def test_every_reason_written_in_the_package_is_in_the_catalogue_and_none_is_unused():
    used = set().union(*(_reasons_in(tree) for _name, tree in _trees()))
    missing = sorted(reason for reason in used if message_template(reason) is None)
    assert not missing, missing
    assert sorted(_catalogue_keys() - used) == []
    assert len(used) > 100


def test_no_error_is_built_from_an_english_sentence():
    """The first argument of every domain error is a catalogue reason, never an f-string or a sentence."""
    offenders = []
    for name, call in _error_calls():
        if any(isinstance(node, ast.JoinedStr) for node in ast.walk(call)):
            offenders.append(f"{name}:{call.lineno} passes an f-string")
        if call.args:
            first = call.args[0]
            if isinstance(first, ast.Constant) and not REASON_RE.match(str(first.value)):
                offenders.append(f"{name}:{call.lineno} passes {first.value!r}")
    assert not offenders, offenders


def test_every_raise_gives_the_values_its_template_names():
    checked = 0
    for name, call in _error_calls():
        if not call.args or not isinstance(call.args[0], ast.Constant):
            continue
        template = message_template(call.args[0].value)
        given = {kw.arg for kw in call.keywords} - {"field", "fields"}
        assert set(PLACEHOLDER_RE.findall(template)) <= given, (name, call.lineno, template, given)
        checked += 1
    assert checked > 100


def _refusal(function, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        function(*args, **kwargs)
    return caught.value


def test_real_refusals_carry_reasons_and_values_and_read_as_before(session):
    """A few refusals through the real services: code, reason and values, and the sentence made from them."""
    now = utcnow()
    organiser = make_organiser(session, name="Olu Organiser")
    person = make_user(session, name="Pat Participant")
    other = make_user(session, name="Kim Waiting")
    event = make_event(session, organisers=[organiser], capacity=1)
    session.flush()

    confirmed = services.enrol(session, event_id=event.id, user_id=person.id, now=now)
    again = _refusal(services.enrol, session, event_id=event.id, user_id=person.id, now=now)
    assert (again.code, again.reason, again.params) == ("conflict", "enrolment.already_enrolled_self",
                                                         {"status": "confirmed"})
    assert again.message == "You are already enrolled in this event (confirmed)."
    assert again.fields_for() == {"user_id": again.message}

    waiting = services.enrol(session, event_id=event.id, user_id=other.id, now=now)
    assert waiting.status == "waitlisted"
    by_organiser = _refusal(services.enrol, session, event_id=event.id, user_id=other.id, actor_id=organiser.id,
                            now=now)
    assert by_organiser.message == "Kim Waiting is already enrolled in this event (waitlisted)."

    refused = _refusal(services.check_in, session, event_id=event.id, actor_id=organiser.id, now=now,
                       enrolment_id=waiting.id, confirm_before_event=True)
    assert refused.reason == "checkin.waitlisted" and refused.params["name"] == "Kim Waiting"
    assert refused.message == "Kim Waiting is on the waiting list: only confirmed participants can be checked in."

    early = _refusal(services.check_in, session, event_id=event.id, actor_id=organiser.id, now=now,
                     ticket_code=confirmed.ticket_code)
    first_day = event.starts_at.astimezone(ZoneInfo(event.timezone)).date().isoformat()
    assert (early.code, early.reason) == ("checkin_before_event", "checkin.before_event")
    assert early.message == (f"Pat Participant is being checked in before the event: it starts on {first_day}. "
                             "Confirm to check in anyway.")
    assert early.fields_for() == {"confirm": early.message}

    small = _refusal(services.update_event, session, event_id=event.id, actor_id=organiser.id, now=now,
                     data={"capacity": 0})
    assert (small.reason, small.params) == ("event.capacity_below_taken", {"taken": 1})
    assert small.message == "Capacity cannot be below the 1 confirmed or offered seats."

    unknown = _refusal(services.update_event, session, event_id=event.id, actor_id=organiser.id, now=now,
                       data={"title": "x", "colour": "red", "budget": 3})
    assert unknown.message == "Unknown field(s): budget, colour." and unknown.fields_for() == {
        "budget": "Unknown field(s): budget, colour."}

    published = _refusal(services.publish_event, session, event_id=event.id, actor_id=organiser.id, now=now)
    assert published.message == "Only drafts can be published; this event is published."

    closed = make_event(session, organisers=[organiser], registration_opens_at=now + timedelta(days=2))
    session.flush()
    refusal = _refusal(services.enrol, session, event_id=closed.id, user_id=other.id, now=now)
    assert refusal.reason == "enrolment.not_open_yet" and refusal.params["timezone"] == closed.timezone
    assert refusal.message.startswith("Registration opens on ") and closed.timezone in refusal.message
    assert services.registration_state(closed, now=now) == (False, refusal.message)


def test_an_agenda_item_that_cannot_move_says_why_in_one_sentence(session):
    """The nested refusal (a time skipped by the clocks) is rendered inside the agenda item's sentence."""
    organiser = make_organiser(session)
    zone = ZoneInfo("Europe/Berlin")
    event = make_event(session, organisers=[organiser], timezone="Europe/Berlin",
                       starts_at=datetime(2031, 3, 22, 1, 0, tzinfo=zone), ends_at=datetime(2031, 3, 22, 5, 0, tzinfo=zone))
    make_session(session, event, title="Night walk", starts_at=datetime(2031, 3, 22, 2, 30, tzinfo=zone),
                 ends_at=datetime(2031, 3, 22, 3, 30, tzinfo=zone))
    session.flush()
    # a week later 02:30 does not exist in Berlin (the clocks go forward on 30 March 2031)
    refused = _refusal(services.update_event, session, event_id=event.id, actor_id=organiser.id, now=utcnow(),
                       data={"starts_at": "2031-03-30T01:00", "ends_at": "2031-03-30T05:00"})
    assert refused.reason == "agenda.item_cannot_move" and refused.params == {"title": "Night walk"}
    assert refused.message == ("The agenda item 'Night walk' cannot move with the event: 30 Mar 2031, 02:30 does "
                               "not exist in Europe/Berlin: the clocks go forward then. Choose a time outside the "
                               "change.")
    assert refused.fields_for() == {"starts_at": refused.message}


@pytest.mark.parametrize(("query", "sentence"), [
    ({"from": "31-12-2030"}, "“From” must be a date such as 2031-05-04; the filter was ignored."),
    ({"to": "2030-02-30T10:00"}, "“To” must be a date such as 2031-05-04; the filter was ignored."),
    ({"from": "9999-12-31"}, "“From” must be a date between the years 1900 and 9998; the filter was ignored."),
    ({"language": "english"}, "“Language (ISO code)” must be a two-letter code such as en or de; the filter was "
                              "ignored."),
    ({"city": "x" * 201}, "“City” is too long (at most 200 characters); the filter was ignored."),
    ({"format": "party"}, "“Format” is not valid; the filter was ignored."),
])
def test_the_events_page_words_a_refused_filter_by_its_reason(client, query, sentence):
    page = client.get("/events/", query_string=query)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert sentence in html
