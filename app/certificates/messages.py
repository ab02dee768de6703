"""The certificates package's message catalogue: reason -> English sentence (named placeholders).

The services raise reasons with values (``Conflict("certificate.already_revoked", code=..., revoked_on=...)``);
the edges make the sentence in the reader's language from these templates (app.errors.render_message).
Why one person cannot have a certificate now is a ``Why`` (a reason and its values), made into a sentence
only when a page, the API or the CLI shows it. Dates and shares in the values are wrapped (``Day``, ``Moment``,
``Share``) so they are written in the reader's locale when the sentence is made (ISO and "50%" outside a
request: the CLI and logs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from app.errors import msg, register_messages, render_message

register_messages({
    # lookups and authorisation
    "certificate.not_found": msg("No certificate has this code."),
    "certificate.event_not_found": msg("No such event."),
    "certificate.programme_not_found": msg("No such programme."),
    "certificate.managers_only": msg("Only the organisers and admins can manage these certificates."),
    "certificate.stands_on_event": msg(
        "Certificate %(code)s (issued %(issued_on)s) stands on this event; revoke it first."),
    "certificate.stands_on_programme": msg(
        "Certificate %(code)s (issued %(issued_on)s) stands on this programme; revoke it first."),
    # issuing
    "certificate.event_draft": msg("Certificates are only issued for published events (this one is draft)."),
    "certificate.event_cancelled": msg(
        "Certificates are only issued for published events (this one is cancelled)."),
    "certificate.event_not_published": msg(
        "Certificates are only issued for published events (this one is %(status)s)."),
    "certificate.event_not_started": msg("The event has not started yet; certificates come after attendance."),
    "certificate.issuing_clash": msg(
        "Certificates for the same people are being issued at this moment; try again."),
    # why one person gets no certificate now (the organisers' page, the API's "skipped", the CLI)
    "certificate.why.holds": msg("already holds certificate %(code)s"),
    "certificate.why.revoked": msg(
        "certificate %(code)s was revoked on %(revoked_on)s (%(reason)s); re-issue it from that certificate if "
        "it should stand"),
    "certificate.why.enrolment_pending": msg("enrolment is pending, not confirmed"),
    "certificate.why.enrolment_waitlisted": msg("enrolment is waitlisted, not confirmed"),
    "certificate.why.enrolment_offered": msg("enrolment is offered, not confirmed"),
    "certificate.why.enrolment_expired": msg("enrolment is expired, not confirmed"),
    "certificate.why.enrolment_cancelled": msg("enrolment is cancelled, not confirmed"),
    "certificate.why.enrolment_rejected": msg("enrolment is rejected, not confirmed"),
    "certificate.why.enrolment_other": msg("enrolment is %(status)s, not confirmed"),
    "certificate.why.attendance": msg("attended %(attended)s of %(total)s (%(share)s); the minimum is %(minimum)s"),
    "certificate.why.unsettled": msg(
        "completed through attendance at “%(title)s” (ends %(ends)s); the certificate follows automatically an "
        "hour after it ends"),
    "certificate.why.not_eligible": msg("not eligible"),
    # revoking and re-issuing
    "certificate.revoke_reason_missing": msg("Give the reason for revoking; it is shown to anyone who verifies."),
    "certificate.revoke_reason_too_long": msg("Keep the reason under %(maximum)s characters."),
    "certificate.already_revoked": msg("Certificate %(code)s was already revoked on %(revoked_on)s."),
    "certificate.already_replaced": msg("Certificate %(code)s was already replaced by %(replacement)s."),
    "certificate.holder_has_valid": msg("%(holder)s already holds the valid certificate %(code)s."),
    # export
    "certificate.export_target": msg("Name exactly one event or programme to export."),
    # JSON API
    "certificate.reason_not_string": msg("reason must be a string."),
    "certificate.unknown_language": msg("Certificates can be issued in %(languages)s; not '%(language)s'."),
})

ENROLMENT_REASONS = {status: f"certificate.why.enrolment_{status}"
                     for status in ("pending", "waitlisted", "offered", "expired", "cancelled", "rejected")}


def _in_request() -> bool:
    from flask import has_request_context

    return has_request_context()


@dataclass(frozen=True)
class Day:
    """A calendar date in a sentence: '4 March 2025' in the page's locale, ISO outside a request."""

    value: date

    def __str__(self) -> str:
        if not _in_request():
            return self.value.isoformat()
        from app.i18n import format_when

        return format_when(self.value, None, "%d %B %Y")


@dataclass(frozen=True)
class Moment:
    """A moment in a sentence: in the viewer's zone and locale on a page, '2025-03-04 10:00 UTC' outside."""

    value: datetime

    def __str__(self) -> str:
        if not _in_request():
            return f"{self.value:%Y-%m-%d %H:%M} UTC"
        from app.i18n import format_when, viewer_timezone

        return format_when(self.value, viewer_timezone(), "%d %b %Y, %H:%M")


@dataclass(frozen=True)
class Share:
    """A fraction in a sentence: '50%' ('50 %' in French)."""

    value: float

    def __str__(self) -> str:
        if not _in_request():
            return f"{round(100 * self.value)}%"
        from app.i18n import format_percentage

        return format_percentage(self.value)


@dataclass(frozen=True)
class Why:
    """Why one person gets no certificate now: a catalogue reason and its values, made into a sentence in the
    reader's language only when shown (``str(why)``)."""

    reason: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return render_message(self.reason, self.params)


def _labels():
    from app.i18n import _l

    kinds = {"event": _l("Certificate of attendance"), "programme": _l("Certificate of completion")}
    formats = {"conference": _l("Conference"), "workshop": _l("Workshop"), "training": _l("Training session"),
               "information_trip": _l("Information trip"), "programme": _l("Learning programme")}
    return kinds, formats


# What a page calls a certificate and its format (the PDF has its own words in app.certificates.i18n)
KIND_LABELS, FORMAT_LABELS = _labels()
