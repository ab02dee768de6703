"""Event rules: planning, agenda, enrolment with capacity and waiting list, check-in and attendance.

Plain functions taking ids, data and `now`; they flush, never commit. This module is the table of contents:
the rules live in one module per sub-domain and are re-exported here, so callers keep writing
`from app.events import services; services.enrol(...)`.

- inputs.py      reading input: text, numbers, dates in a zone, lists, slugs, ticket codes, list filters
- queries.py     lookups with permissions, seat counts, waiting-list positions, the lists
- locking.py     the per-event lock every change of enrolments runs under
- enrolment.py   enrol, cancel, reject, approve, promote, offers; the waiting list filling freed seats
- planning.py    create, update, publish, cancel, delete, duplicate events; their agenda (sessions)
- attendance.py  attendance units, check-in and undo, who attended enough
"""

from __future__ import annotations

from app.events.attendance import (
    Attendance,
    AttendanceUnit,
    CheckinBeforeEvent,
    attendance_summary,
    attendance_units,
    check_in,
    pick_unit,
    summarise_attendance,
    undo_checkin,
)
from app.events.enrolment import (
    AlreadyEnrolled,
    RegistrationClosed,
    accept_offer,
    approve_enrolment,
    cancel_enrolment,
    enrol,
    expire_offers,
    promote_enrolment,
    registration_refusal,
    registration_state,
    reject_enrolment,
)
from app.events.inputs import (
    MAX_INT,
    TICKET_ALPHABET,
    TICKET_LENGTH,
    EventFilters,
    check_zone,
    new_ticket_code,
    normalise_ticket_code,
    parse_datetime,
    parse_filters,
    slugify,
)
from app.events.limits import EVENT_TEXT_LIMITS, EVENT_WRITABLE
from app.events.locking import LOCK_TIMEOUT_MS, lock_event
from app.events.planning import (
    PLACE_FIELDS,
    TIME_FIELDS,
    add_session,
    cancel_event,
    create_event,
    delete_event,
    delete_session,
    duplicate_event,
    get_session,
    publish_event,
    update_event,
    update_session,
)
from app.events.queries import (
    WAITING_STATUSES,
    EventPage,
    EventRowPage,
    SeatCounts,
    can_manage,
    get_enrolment_for,
    get_event,
    list_event_rows,
    list_events,
    managed_event,
    managed_events,
    my_enrolments,
    participants,
    positions_for_user,
    seat_counts,
    seat_counts_for,
    upcoming_events_for_home,
    visible_event,
    waitlist_position,
    waitlist_positions,
)

__all__ = [
    # inputs
    "MAX_INT", "TICKET_ALPHABET", "TICKET_LENGTH", "EventFilters", "check_zone", "new_ticket_code",
    "normalise_ticket_code", "parse_datetime", "parse_filters", "slugify", "EVENT_TEXT_LIMITS", "EVENT_WRITABLE",
    # queries
    "WAITING_STATUSES", "EventPage", "SeatCounts", "can_manage", "get_enrolment_for", "get_event", "list_events",
    "managed_event", "managed_events", "my_enrolments", "participants", "positions_for_user", "seat_counts",
    "seat_counts_for", "upcoming_events_for_home", "visible_event", "waitlist_position", "waitlist_positions",
    "list_event_rows", "EventRowPage",
    # locking
    "LOCK_TIMEOUT_MS", "lock_event",
    # enrolment
    "AlreadyEnrolled", "RegistrationClosed", "accept_offer", "approve_enrolment", "cancel_enrolment", "enrol",
    "expire_offers", "promote_enrolment", "registration_refusal", "registration_state", "reject_enrolment",
    # planning
    "PLACE_FIELDS", "TIME_FIELDS", "add_session", "cancel_event", "create_event", "delete_event",
    "delete_session", "duplicate_event", "get_session", "publish_event", "update_event", "update_session",
    # attendance
    "Attendance", "AttendanceUnit", "CheckinBeforeEvent", "attendance_summary", "attendance_units", "check_in",
    "pick_unit", "summarise_attendance", "undo_checkin",
]
