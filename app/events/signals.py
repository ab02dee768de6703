"""In-process signals the events services send inside the caller's transaction.

Other packages subscribe (calendar: invitations; learning: progress) and do their work with the same
session, so what they write commits or rolls back together with the change that caused it.
Every signal is sent with keyword arguments: session, now, and the ones listed.
"""

from blinker import Namespace

_signals = Namespace()

# sender: Enrolment; kwargs: session, now, old_status (None when new), notification (EventNotification)
enrolment_status_changed = _signals.signal("enrolment-status-changed")

# sender: Event; kwargs: session, now, changes (set of "time", "place", "status"), notification
event_changed = _signals.signal("event-changed")

# sender: Checkin; kwargs: session, now, enrolment (Enrolment)
checkin_recorded = _signals.signal("checkin-recorded")

# sender: Enrolment; kwargs: session, now, session_id (int | None), day (date | None)
checkin_undone = _signals.signal("checkin-undone")

# A question, not a notice: "may this check-in be undone?" Sent before undoing; each receiver returns None
# (no objection) or the sentence that says why not (certificates: one stands on this attendance).
# sender: Enrolment; kwargs: session, user_id, event_id
checkin_undo_requested = _signals.signal("checkin-undo-requested")
