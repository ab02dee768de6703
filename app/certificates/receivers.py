"""Reactions of the certificates package to learning and events (connected by app.receivers, never on import).

- a programme completion issues and emails the completion certificate;
- a valid certificate objects to undoing the attendance or withdrawing the completion it stands on.
"""

from __future__ import annotations

from app.certificates import services as svc


def on_programme_completed(completion, *, session, now, settings: svc.CertificateSettings, **_):
    """Issue and email the certificate in the sender's transaction (idempotent; the scheduler catches up on the
    ones that must wait until the attended event is over)."""
    svc.issue_completion_certificate(session, programme_id=completion.programme_id, user_id=completion.user_id,
                                     now=now, settings=settings)


def certificate_on_attendance(enrolment, *, session, user_id, event_id, **_) -> str | None:
    """Answers events' "may this check-in be undone?": not while a valid certificate stands on the event."""
    return svc.active_certificate_reason(session, user_id=user_id, event_id=event_id)


def certificate_on_completion(sender, *, session, user_id, event_id=None, programme_id=None, **_) -> str | None:
    """Answers learning's "may this completion be withdrawn?": not while a valid certificate stands on it."""
    return svc.active_certificate_reason(session, user_id=user_id, event_id=event_id, programme_id=programme_id)
