"""People pages: the directory (/people), a profile (/people/<id>) and its photo, and one's own profile
(/people/me/edit). Each view parses, calls one service or query, commits and renders or redirects."""

from __future__ import annotations

import io

from babel import Locale, UnknownLocaleError
from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.directory.services import country_name, list_topics
from app.errors import DomainError, render_message
from app.extensions import db
from app.i18n import page_gettext
from app.people import bp, profiles, queries
from app.people.forms import PhotoForm, ProfileForm, RemovePhotoForm
from app.practices.sdg import GOAL_NAMES, goal_of
from app.search.query import facet_labels
from app.sqltypes import utcnow
from app.validation import page_number
from app.viewhelpers import show_domain_error

PER_PAGE = 24
FACET_ORDER = ("topic", "sdg", "country", "region", "language", "org_kind")


def storage_dir() -> str:
    return current_app.config["PRACTICE_STORAGE_DIR"]


def _language() -> str:
    return str(get_locale() or "en")


def _babel_locale() -> Locale:
    language = _language()
    try:
        return Locale.parse("en_GB" if language in ("en", "en_US_POSIX") else language)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")


def helpers() -> dict:
    """Names of countries and languages in the page's language, for the templates."""
    locale = _babel_locale()

    def country_label(code):
        return locale.territories.get(code or "") or country_name(code or "") or code

    def language_label(code):
        return locale.languages.get(code or "") or code

    def sdg_label(code):
        goal = goal_of(code) if "." in code else int(code)
        return page_gettext(GOAL_NAMES[goal]) if goal in GOAL_NAMES else code

    return {"country_label": country_label, "language_label": language_label, "sdg_label": sdg_label}


@bp.get("/people")
def index():
    filters = {name: (request.args.get(name) or "").strip() for name in queries.FILTER_NAMES}
    filters = {name: value for name, value in filters.items() if value}
    directory = queries.find_people(db.session, filters=filters, page=page_number(request.args.get("page", 1, type=int)),
                                    per_page=PER_PAGE, viewer=current_user, strict=False,
                                    language=_language().split("_")[0])
    result = directory.result
    facets = {name: result.facets.get(name, []) for name in FACET_ORDER}
    labels = facet_labels(db.session, facets, page_gettext, _language())
    notices = [render_message(reason, params) for reason, params in result.notices]
    args = {name: value for name, value in filters.items()}

    def filter_url(facet: str, value: str | None) -> str:
        changed = {k: v for k, v in args.items() if k != facet}
        if value is not None:
            changed[facet] = value
        return url_for("people.index", **changed)

    return render_template("people/index.html", directory=directory, result=result, facets=facets, labels=labels,
                           notices=notices, args=args, filter_url=filter_url, **helpers())


@bp.get("/people/<int:user_id>")
def detail(user_id: int):
    page = queries.person_page(db.session, user_id, viewer=current_user)
    viewer_id = current_user.id if current_user.is_authenticated else None
    may_contact = bool(page.profile.accepts_messages and viewer_id is not None and viewer_id != page.user.id)
    return render_template("people/detail.html", page=page, profile=page.profile, person=page.user,
                           may_contact=may_contact, is_own=viewer_id == page.user.id, **helpers())


@bp.get("/people/<int:user_id>/photo")
def photo(user_id: int):
    profile = queries.visible_profile(db.session, user_id, current_user)
    data = profiles.photo_path(profile, storage_dir()).read_bytes()
    response = send_file(io.BytesIO(data), mimetype=profile.photo_type, etag=profile.photo_key, conditional=True,
                         max_age=0 if profile.visibility != "public" else 300)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    if profile.visibility != "public":
        response.headers["Cache-Control"] = "private, no-store"
    return response


def _profile_form(profile, formdata=None) -> ProfileForm:
    if profile is not None and formdata is None:
        form = ProfileForm(formdata=None, data={
            "position": profile.position, "city": profile.city, "bio": profile.bio,
            "topics": [t.slug for t in profile.topics], "sdg_targets": ", ".join(profile.sdg_targets),
            "languages": ", ".join(profile.languages or []), "visibility": profile.visibility,
            "shows_events": profile.shows_events, "shows_certificates": profile.shows_certificates,
            "accepts_messages": profile.accepts_messages})
    else:
        form = ProfileForm() if formdata is not None else ProfileForm(formdata=None)
    form.topics.choices = [(t.slug, t.name) for t in list_topics(db.session)]
    return form


def _render_edit(form, profile, photo_form=None, status: int = 200):
    return render_template("people/edit.html", form=form, profile=profile, photo_form=photo_form or PhotoForm(),
                           remove_form=RemovePhotoForm(), **helpers()), status


@bp.get("/people/me/edit")
@login_required
def edit():
    profile = profiles.get_profile(db.session, current_user.id)
    return _render_edit(_profile_form(profile), profile)


@bp.post("/people/me/edit")
@login_required
def save():
    form = _profile_form(None, formdata=request.form)
    if form.validate_on_submit():
        try:
            profiles.save_profile(db.session, user_id=current_user.id, data=form.data_for_service(), now=utcnow())
            db.session.commit()
        except DomainError as exc:
            show_domain_error(exc, form)
        else:
            flash(_("Your practitioner profile is saved."), "success")
            return redirect(url_for("people.edit"))
    return _render_edit(form, profiles.get_profile(db.session, current_user.id), status=400)


@bp.post("/people/me/photo")
@login_required
def upload_photo():
    form = PhotoForm()
    if form.validate_on_submit():
        upload = form.photo.data
        data = upload.read() if upload else b""
        try:
            profiles.set_photo(db.session, user_id=current_user.id, data=data, now=utcnow(), storage_dir=storage_dir(),
                               max_bytes=current_app.config.get("PRACTICE_IMAGE_MAX_BYTES"))
            db.session.commit()
        except DomainError as exc:
            show_domain_error(exc, form)
        else:
            flash(_("Your photo is saved."), "success")
            return redirect(url_for("people.edit"))
    profile = profiles.get_profile(db.session, current_user.id)
    return _render_edit(_profile_form(profile), profile, photo_form=form, status=400)


@bp.post("/people/me/photo/remove")
@login_required
def remove_photo():
    form = RemovePhotoForm()
    if form.validate_on_submit():
        try:
            profiles.remove_photo(db.session, user_id=current_user.id, now=utcnow(), storage_dir=storage_dir())
            db.session.commit()
        except DomainError as exc:
            show_domain_error(exc)
        else:
            flash(_("Your photo is removed."), "success")
    return redirect(url_for("people.edit"))
