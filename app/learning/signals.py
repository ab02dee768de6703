"""Signals the learning services send inside the caller's transaction.

Every signal is sent with keyword arguments session and now, plus the ones listed.
"""

from blinker import Namespace

_signals = Namespace()

# sender: ProgrammeCompletion; kwargs: session, now
programme_completed = _signals.signal("programme-completed")

# sender: ProgrammeCompletion (being deleted: a required module was lost before any certificate);
# kwargs: session, now
programme_uncompleted = _signals.signal("programme-uncompleted")

# A question, not a notice: "may this completion be withdrawn?" Each receiver returns None (no objection) or
# the sentence that says why not (certificates: one stands on the event or programme).
# sender: None; kwargs: session, user_id, event_id (int | None), programme_id (int | None)
completion_withdrawal_requested = _signals.signal("completion-withdrawal-requested")
