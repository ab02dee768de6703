"""The organisation directory (/organisations) and profiles (/organisations/<id>): parse, ask the queries, render."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.directory.services import list_topics
from app.errors import DomainError
from app.extensions import db
from app.i18n import _l
from app.organisations import bp, queries
from app.organisations.naming import country_label, place_helpers, region_label
from app.sqltypes import utcnow
from app.validation import page_number

FILTER_LABELS = {"q": _l("Search"), "country": _l("Country"), "region": _l("Region"), "kind": _l("Kind"),
                 "topic": _l("Topic")}


@bp.get("/organisations")
def index():
    try:
        filters = queries.parse_directory_filters(request.args)
    except DomainError as exc:
        name = next(iter(exc.fields), "")
        flash(_("The %(label)s filter was ignored: %(reason)s", label=FILTER_LABELS.get(name, name),
                reason=exc.message_for()), "warning")
        filters = queries.DirectoryFilters()
    page = queries.list_directory(db.session, filters=filters,
                                  page=page_number(request.args.get("page", 1, type=int)))
    counts = queries.directory_counts(db.session)
    return render_template(
        "organisations/index.html", page=page, filters=filters, args=filters.as_args(), topics=list_topics(db.session),
        counts=counts, countries=sorted(counts.country, key=country_label),
        regions=sorted(counts.region, key=region_label), **place_helpers(),
    )


@bp.get("/organisations/<int:organisation_id>")
def detail(organisation_id: int):
    profile = queries.organisation_profile(db.session, organisation_id, now=utcnow(), viewer=current_user)
    return render_template("organisations/detail.html", profile=profile, org=profile.organisation,
                           **place_helpers())
