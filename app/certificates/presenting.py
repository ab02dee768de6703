"""Presenting a certificate: what it states and its status as display-ready data for pages and the JSON API."""

from __future__ import annotations

from app.certificates import i18n
from app.certificates.models import Certificate

# Presenting ------------------------------------------------------------------------------------------

def certificate_facts(certificate: Certificate, *, lang: str = "en") -> dict:
    """What the certificate states plus its status, as display-ready data (pages and the JSON API)."""
    from datetime import date

    from app.certificates.pdf import place_line

    snapshot = certificate.snapshot
    if snapshot["kind"] == "event":
        start = date.fromisoformat(snapshot["start_date"])
        end = date.fromisoformat(snapshot.get("end_date") or snapshot["start_date"])
        dates = i18n.format_date_range(start, end, lang)
    else:
        completed = snapshot.get("completed_on")
        dates = i18n.format_date(date.fromisoformat(completed), lang) if completed else ""
    place_snapshot = dict(snapshot)
    if snapshot.get("country"):
        place_snapshot["country_name"] = i18n.country_name(snapshot["country"], lang)
    replaced_by = certificate.replaced_by
    return {
        "code": certificate.code,
        "valid": certificate.revoked_at is None,
        "status": certificate.status,
        "kind": certificate.kind,
        "kind_label": i18n.text(lang, f"title.{certificate.kind}"),
        # a holder who deleted their account may have withheld their name: the rest stays verifiable
        "holder": i18n.text(lang, "holder_withheld") if certificate.holder_withheld else snapshot["holder_name"],
        "holder_withheld": bool(certificate.holder_withheld),
        "title": snapshot["title"],
        "format": snapshot.get("format"),
        "format_label": i18n.text(lang, f"format.{snapshot.get('format') or certificate.kind}"),
        "dates": dates,
        "start_date": snapshot.get("start_date"),
        "end_date": snapshot.get("end_date"),
        "completed_on": snapshot.get("completed_on"),
        "online": bool(snapshot.get("online")),
        "place": place_line(place_snapshot, lang),
        "hours": snapshot["hours"],
        "hours_label": i18n.format_hours(snapshot["hours"], lang),
        "modules": [{"title": m["title"], "hours": m["hours"], "hours_label": i18n.format_hours(m["hours"], lang)}
                    for m in snapshot.get("modules") or []],
        "issuer": {"name": snapshot.get("issuer_name"), "organisation": snapshot.get("issuer_organisation") or None},
        "network": snapshot.get("network"),
        "issued_on": snapshot["issued_on"],
        "issued_at": certificate.issued_at.isoformat(),
        "revoked_at": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
        "revoked_on": certificate.revoked_at.date().isoformat() if certificate.revoked_at else None,
        "revoke_reason": certificate.revoke_reason,
        "replaced_by": replaced_by.code if replaced_by is not None else None,
        "replaces": certificate.replaces.code if certificate.replaces_id is not None else None,
        "language": snapshot.get("language"),
        "sha256": certificate.pdf_sha256,
        "verify_url": snapshot["verify_url"],
    }
