"""Certificates: the package's use cases, by sub-domain (this module is their table of contents).

- app.certificates.lookups     settings, public codes, reading certificates, who may manage them
- app.certificates.issuing     candidates and reasons, snapshots, issuing by hand, by the scheduler, on completion
- app.certificates.revoking    revoking with a reason, re-issuing with a new code
- app.certificates.export      every certificate of an event or programme as one streamed ZIP of PDFs
- app.certificates.presenting  what a certificate states, display-ready for pages and the JSON API

Callers import from here (``from app.certificates import services``).
"""

from __future__ import annotations

from app.certificates.export import count_certificates, export_certificates_zip, zip_name
from app.certificates.issuing import (
    AUTO_ISSUE_DELAY,
    AUTO_ISSUE_WINDOW,
    SNAPSHOT_VERSION,
    Candidate,
    IssueReport,
    certificate_language,
    event_candidates,
    event_issuable_problem,
    event_issuable_reason,
    event_snapshot,
    issue_completion_certificate,
    issue_due_certificates,
    issue_event_certificates,
    issue_programme_certificates,
    programme_candidates,
    programme_snapshot,
    unsettled_attendance,
)
from app.certificates.lookups import (
    CODE_ALPHABET,
    CODE_GROUP_LENGTH,
    CODE_GROUPS,
    CODE_PREFIX,
    CertificateSettings,
    active_certificate_reason,
    can_download,
    can_manage_certificate,
    can_manage_programme,
    configure_settings,
    current_settings,
    find_by_pdf,
    find_certificate,
    get_certificate,
    get_programme,
    list_holder_certificates,
    list_target_certificates,
    new_code,
    normalise_code,
    pdf_url,
    render_pdf,
    verify_url,
)
from app.certificates.presenting import certificate_facts
from app.certificates.revoking import REVOKE_REASON_MAX, reissue_certificate, revoke_certificate

__all__ = [
    # lookups
    "CODE_ALPHABET", "CODE_PREFIX", "CODE_GROUPS", "CODE_GROUP_LENGTH", "CertificateSettings", "configure_settings", "current_settings",
    "verify_url", "pdf_url", "new_code", "normalise_code", "find_certificate", "get_certificate", "find_by_pdf",
    "list_holder_certificates", "list_target_certificates", "render_pdf", "active_certificate_reason",
    "get_programme", "can_manage_programme", "can_manage_certificate", "can_download",
    # issuing
    "SNAPSHOT_VERSION", "certificate_language", "AUTO_ISSUE_DELAY", "AUTO_ISSUE_WINDOW", "event_snapshot", "programme_snapshot",
    "IssueReport", "Candidate", "event_candidates", "event_issuable_problem", "event_issuable_reason", "issue_event_certificates",
    "programme_candidates", "unsettled_attendance", "issue_programme_certificates", "issue_due_certificates",
    "issue_completion_certificate",
    # revoking
    "REVOKE_REASON_MAX", "revoke_certificate", "reissue_certificate",
    # export
    "export_certificates_zip", "count_certificates", "zip_name",
    # presenting
    "certificate_facts",
]
