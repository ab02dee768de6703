"""Pages of good practices: the list with facets, a practice's page, "We want to try this" and file downloads.

Drafting, editing, translations, uploads and the review are in views_edit.py. Each view parses, calls one
service, commits (or rolls back and shows the error) and redirects or renders.
"""

from __future__ import annotations

import io
import math

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.rules import can_edit_practice, can_review_practice, can_see_practice_interest
from app.directory.services import list_topics
from app.errors import DomainError
from app.extensions import db
from app.practices import bp, services
from app.practices.display import facet_links, linked_practices, load_for_page, practice_helpers, topic_text
from app.practices.forms import ActionForm, InterestForm
from app.sqltypes import utcnow
from app.viewhelpers import show_domain_error

PER_PAGE = 20


def _viewer():
    return current_user if current_user.is_authenticated else None


def _page() -> int:
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), 100000)


@bp.record_once
def _install_template_helpers(state) -> None:
    # globals, not a context processor: the macros of practices/_macros.html see them when imported
    state.app.jinja_env.globals.update(practice_helpers())
    # the network's topics are in the catalogue (main's app.templating registers the same filter)
    state.app.jinja_env.filters.setdefault("topic_text", topic_text)


@bp.app_template_global()
def practices_linked_to(*, event_id: int | None = None, module_ids=None) -> list:
    """Published practices presented at an event or taught by some modules (for the events and learning pages,
    which include practices/_event_practices.html and _module_practices.html: they never ask practices)."""
    return linked_practices(db.session, event_id=event_id, module_ids=module_ids)


# ---------------------------------------------------------------------------------------------------
# The list


@bp.get("/practices")
def index():
    try:
        filters = services.parse_filters(request.args)
    except DomainError as exc:
        flash(exc.message_for(), "warning")
        filters = services.PracticeFilters()
    viewer = _viewer()
    # the viewer's own and their organisation's practices, every status (a page's link, not an API filter)
    filters.mine = viewer is not None and request.args.get("mine") in ("1", "True", "true")
    page = _page()
    items, total = services.list_practices(db.session, filters=filters, page=page, per_page=PER_PAGE, viewer=viewer)
    facets = services.facet_counts(db.session, filters, viewer=viewer)
    counts = services.interest_counts(db.session, [p.id for p in items])
    active = filters.as_dict()
    if filters.mine:
        active["mine"] = 1
    return render_template(
        "practices/list.html", items=items, total=total, page=page, pages=max(math.ceil(total / PER_PAGE), 1),
        filters=filters, active=active, facets=facet_links(facets, active, topics=list_topics(db.session)),
        interest=counts, can_filter_status=viewer is not None,
    )


# ---------------------------------------------------------------------------------------------------
# A practice's page


@bp.get("/practices/<int:practice_id>")
@bp.get("/practices/<int:practice_id>-<slug>")
def detail(practice_id: int, slug: str | None = None):
    practice = services.visible_practice(db.session, practice_id, _viewer())
    if slug is not None and slug != practice.slug:
        return redirect(url_for("practices.detail", practice_id=practice.id, slug=practice.slug or None,
                                **request.args), code=301)
    practice = load_for_page(db.session, practice.id)
    viewer = _viewer()
    org_id = getattr(viewer, "organisation_id", None)
    shown = services.pick_translation(practice, _page_language(), original=bool(request.args.get("original")))
    return render_template(
        "practices/detail.html", practice=practice, shown=shown,
        can_edit=can_edit_practice(viewer, practice), can_review=can_review_practice(viewer),
        interest_count=services.interest_count(db.session, practice.id),
        my_interest=services.interest_of(db.session, practice.id, org_id) if org_id else None,
        interested=(services.interested(db.session, practice.id)
                    if can_see_practice_interest(viewer, practice) else None),
        related=services.related_practices(db.session, practice),
        interest_form=InterestForm(), action_form=ActionForm(),
    )


def _page_language() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "en")


# ---------------------------------------------------------------------------------------------------
# "We want to try this"


@bp.post("/practices/<int:practice_id>/interest")
@login_required
def register_interest(practice_id: int):
    form = InterestForm()
    if not form.validate_on_submit():
        if form.errors.get("note"):
            flash(_("The note is too long."), "danger")
            return redirect(url_for("practices.detail", practice_id=practice_id))
        abort(400, _("The form expired; please try again."))
    try:
        services.register_interest(db.session, practice_id=practice_id, user_id=current_user.id,
                                   note=form.note.data or "", now=utcnow())
        db.session.commit()
    except DomainError as exc:
        show_domain_error(exc)
    else:
        flash(_("Your organisation's interest is registered: the contact person and the organisers can see it."),
              "success")
    return redirect(url_for("practices.detail", practice_id=practice_id) + "#interest")


@bp.post("/practices/<int:practice_id>/interest/withdraw")
@login_required
def withdraw_interest(practice_id: int):
    if not ActionForm().validate_on_submit():
        abort(400, _("The form expired; please try again."))
    try:
        services.withdraw_interest(db.session, practice_id=practice_id, user_id=current_user.id, now=utcnow())
        db.session.commit()
    except DomainError as exc:
        show_domain_error(exc)
    else:
        flash(_("Your organisation's interest is withdrawn."), "info")
    return redirect(url_for("practices.detail", practice_id=practice_id) + "#interest")


# ---------------------------------------------------------------------------------------------------
# Files


def storage_dir() -> str:
    return current_app.config["PRACTICE_STORAGE_DIR"]


@bp.get("/practices/<int:practice_id>/files/<int:file_id>")
def download(practice_id: int, file_id: int):
    """A document (attachment; PDFs sandboxed) or an image (inline); 404 to strangers if not published."""
    item = services.file_of(db.session, practice_id=practice_id, file_id=file_id, viewer=_viewer())
    # read whole (at most the upload limit): no file handle outlives the request
    data = services.open_file(item, storage_dir()).read_bytes()
    is_document = item.kind == "document"
    response = send_file(io.BytesIO(data), mimetype=item.content_type, as_attachment=is_document,
                         download_name=item.name, etag=item.sha256, conditional=True,
                         max_age=0 if item.practice.status != "published" else 300)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if item.content_type == "application/pdf":
        response.headers["Content-Security-Policy"] = "sandbox"
    else:
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # never in a shared cache: a practice taken back (returned, archived) must stop showing its files at once
    response.cache_control.public = False
    response.cache_control.private = True
    return response
