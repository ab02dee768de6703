"""The certificates package's message catalogue: reason -> English sentence (named placeholders).

The services raise reasons with values (``Conflict("certificate.already_revoked", code=..., revoked_on=...)``);
the edges make the sentence in the reader's language from these templates (app.errors.render_message).
"""

from __future__ import annotations

from app.errors import msg, register_messages

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
