"""Subscriptions to app.learning.signals: a completion certificate as soon as a programme is completed."""

from __future__ import annotations

from app.learning.signals import programme_completed


@programme_completed.connect
def on_programme_completed(completion, *, session, now, **_):
    """Issue and email the certificate in the sender's transaction (idempotent; the scheduler catches up on the
    ones that must wait until the attended event is over)."""
    from app.certificates.services import issue_completion_certificate

    issue_completion_certificate(session, programme_id=completion.programme_id, user_id=completion.user_id, now=now)
