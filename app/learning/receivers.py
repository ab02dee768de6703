"""Progress follows attendance: the events package's check-in signals, received in the same transaction.

Connected by app.receivers (never as a side effect of importing this package)."""

from __future__ import annotations

from app.learning.services import sync_attendance_for_event


def on_checkin_recorded(sender, *, session, now, enrolment, **_):
    """A check-in on a linked event or session completes the module for a programme participant."""
    sync_attendance_for_event(session, event_id=enrolment.event_id, user_id=enrolment.user_id, now=now)


def on_checkin_undone(sender, *, session, now, session_id=None, day=None, **_):
    """Undoing the last qualifying check-in un-completes the module (unless a certificate stands on it)."""
    enrolment = sender
    sync_attendance_for_event(session, event_id=enrolment.event_id, user_id=enrolment.user_id, now=now,
                              exclude=(enrolment.id, session_id, day))
