"""Drafting and editing a practice, its translations and files, and the review (checklist, publish, return,
archive, the revisions)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.decorators import organiser_required
from app.auth.models import User
from app.auth.rules import can_edit_practice, can_review_practice
from app.directory.services import COUNTRY_CODES, list_organisations, list_topics
from app.errors import DomainError, render_message
from app.events.models import Event, event_host
from app.extensions import db
from app.i18n import format_when
from app.language import LANGUAGES
from app.learning.models import Module, Programme
from app.practices import bp, services
from app.practices.display import country_label, sdg_goal_label, targets_by_goal, topic_text
from app.practices.forms import (
    BLANK_ROWS,
    ActionForm,
    FileForm,
    FileTextForm,
    PracticeForm,
    ReviewForm,
    TranslationForm,
)
from app.practices.labels import STAGE_LABELS
from app.practices.limits import MAX_INDICATORS, SECTIONS
from app.practices.models import Practice, practice_event
from app.practices.sdg import GOALS, TARGETS
from app.practices.views import storage_dir
from app.sqltypes import utcnow
from app.viewhelpers import show_domain_error

RECENT_EVENTS = 40  # published events offered besides the linked ones and those the organisation hosted


# ---------------------------------------------------------------------------------------------------
# The form's choices


def _choices(form: PracticeForm, practice: Practice | None) -> PracticeForm:
    form.language.choices = list(LANGUAGES.items())
    reviewer = can_review_practice(current_user)
    if reviewer:
        organisations = list_organisations(db.session)
    else:
        organisations = [o for o in (current_user.organisation, practice.organisation if practice else None) if o]
        organisations = list({o.id: o for o in organisations}.values())
    form.organisation_id.choices = [(str(o.id), _("%(name)s (%(city)s)", name=o.name, city=o.city) if o.city else o.name)
                                    for o in organisations]
    if reviewer:
        form.organisation_id.choices.insert(0, ("", _("— choose an organisation —")))
    countries = sorted(((code, country_label(code)) for code in COUNTRY_CODES), key=lambda pair: pair[1])
    form.country.choices = [("", _("— choose a country —")), *countries]
    form.stage.choices = list(STAGE_LABELS.items())
    form.topics.choices = [(t.slug, topic_text(t.name)) for t in list_topics(db.session)]
    form.sdg_goals.choices = [(str(goal), sdg_goal_label(goal)) for goal in GOALS]
    form.sdg_targets.choices = [(code, code) for code in TARGETS]
    form.contact_id.choices = [("", _("— nobody yet —")), *_contact_choices(form, practice)]
    form.event_ids.choices = [(str(e.id), _("%(title)s (%(date)s)", title=e.title,
                                            date=format_when(e.starts_at, e.timezone, "%d %b %Y")))
                              for e in _event_choices(practice)]
    form.module_ids.choices = [
        (str(m.id), _("%(programme)s › %(module)s", programme=p.title, module=m.title)) for m, p in _module_choices(practice)]
    return form


def _contact_choices(form: PracticeForm, practice: Practice | None) -> list[tuple[str, str]]:
    """The contact person is chosen by name: the current one, the editor, the one posted, and the members the
    "Find" button found (names and organisations only, never an email address)."""
    people: dict[int, tuple[str, str | None]] = {}
    ids = [current_user.id]
    if practice is not None and practice.contact_id:
        ids.append(practice.contact_id)
    posted = request.form.get("contact_id", "") if request.method == "POST" else ""
    if posted.isdigit() and len(posted) < 10:
        ids.append(int(posted))
    for user in db.session.scalars(sa.select(User).where(User.id.in_(ids), User.is_active_account.is_(True))):
        people[user.id] = (user.name, user.organisation.name if user.organisation else None)
    form.contact_matches = None
    if request.method == "POST" and form.find_contact.data:
        matches = services.find_members(db.session, form.contact_query.data or "")
        form.contact_matches = len(matches)
        for user_id, name, organisation in matches:
            people[user_id] = (name, organisation)
    return [(str(user_id), _("%(name)s (%(organisation)s)", name=name, organisation=organisation) if organisation
             else name) for user_id, (name, organisation) in sorted(people.items(), key=lambda item: item[1][0])]


def _event_choices(practice: Practice | None) -> list[Event]:
    """The events already linked, those the organisation hosted and the latest published ones."""
    linked = sa.select(practice_event.c.event_id).where(practice_event.c.practice_id == practice.id) \
        if practice is not None else None
    org_id = practice.organisation_id if practice is not None else getattr(current_user, "organisation_id", None)
    conditions = []
    if linked is not None:
        conditions.append(Event.id.in_(linked))
    if org_id:
        conditions.append(Event.id.in_(sa.select(event_host.c.event_id).where(event_host.c.organisation_id == org_id)))
    recent = sa.select(Event.id).where(Event.status == "published").order_by(Event.starts_at.desc()).limit(RECENT_EVENTS)
    conditions.append(Event.id.in_(sa.select(recent.subquery().c.id)))
    return list(db.session.scalars(sa.select(Event).where(sa.or_(*conditions)).order_by(Event.starts_at.desc())))


def _module_choices(practice: Practice | None) -> list[tuple[Module, Programme]]:
    """The modules of published programmes (and those already linked, whatever became of them)."""
    linked = [m.id for m in practice.modules] if practice is not None else []
    rows = db.session.execute(
        sa.select(Module, Programme).join(Programme, Module.programme_id == Programme.id)
        .where(sa.or_(sa.and_(Programme.status == "published", Module.archived_at.is_(None)),
                      Module.id.in_(linked or [0])))
        .order_by(Programme.title, Module.position, Module.id)).all()
    return [(m, p) for m, p in rows]


def _blank_rows(form: PracticeForm) -> int:
    filled = len(form.indicators.data or [])
    blank = max(form.indicators.posted_rows - filled, BLANK_ROWS)
    if request.method == "POST" and form.more_rows.data:
        blank += BLANK_ROWS
    return max(min(blank, MAX_INDICATORS - filled), 0)


def _render_form(form: PracticeForm, practice: Practice | None, **extra):
    translation_form = extra.pop("translation_form", None)
    if practice is not None and translation_form is None:
        translation_form = _translation_form(practice, request.args.get("translation"))
    return render_template(
        "practices/form.html", form=form, practice=practice, blank_rows=_blank_rows(form),
        targets_by_goal=targets_by_goal(), is_reviewer=can_review_practice(current_user),
        translation_form=translation_form, file_form=extra.pop("file_form", None) or FileForm(),
        action_form=ActionForm(), translation_sections=extra.pop("translation_sections", None), **extra)


def _translation_form(practice: Practice, language: str | None) -> TranslationForm:
    form = TranslationForm()
    form.translation_language.choices = [(code, name) for code, name in LANGUAGES.items() if code != practice.language]
    existing = {t.language: t for t in practice.translations}
    chosen = existing.get(language or "")
    if request.method == "GET" and chosen is not None:
        form.translation_language.data = chosen.language
        form.translation_title.data = chosen.title
        form.translation_summary.data = chosen.summary
    return form


def _translation_sections(practice: Practice, language: str | None) -> dict[str, str]:
    chosen = next((t for t in practice.translations if t.language == language), None)
    return {name: (getattr(chosen, name) or "") if chosen else "" for name in SECTIONS}


# ---------------------------------------------------------------------------------------------------
# Drafting and editing


@bp.route("/practices/new", methods=["GET", "POST"])
@login_required
def create():
    form = _choices(PracticeForm(), None)
    if request.method == "GET":
        form.language.data = str(getattr(current_user, "language", "en") or "en").split("_")[0]
        if form.language.data not in LANGUAGES:
            form.language.data = "en"
        if current_user.organisation_id:
            form.organisation_id.data = str(current_user.organisation_id)
            form.country.data = current_user.organisation.country
            form.city.data = current_user.organisation.city
        form.stage.data = "implemented"
        form.contact_id.data = str(current_user.id)
    if request.method == "POST" and not (form.more_rows.data or form.find_contact.data) and form.validate_on_submit():
        try:
            practice = services.create_practice(
                db.session, data=form.to_data(with_organisation=True), actor_id=current_user.id, now=utcnow())
            db.session.commit()
        except DomainError as exc:
            show_domain_error(exc, form)
        else:
            flash(_("The draft is saved. Add documents and images, then submit it for review."), "success")
            return redirect(url_for("practices.edit", practice_id=practice.id))
    return _render_form(form, None)


@bp.route("/practices/<int:practice_id>/edit", methods=["GET", "POST"])
@login_required
def edit(practice_id: int):
    practice, _user = services.editable_practice(db.session, practice_id, current_user.id)
    form = PracticeForm(obj=practice) if request.method == "GET" else PracticeForm()
    _choices(form, practice)
    if request.method == "GET":
        form.organisation_id.data = str(practice.organisation_id)
        form.contact_id.data = str(practice.contact_id) if practice.contact_id else ""
        form.topics.data = [t.slug for t in practice.topics]
        form.sdg_goals.data = [str(g) for g in practice.sdg_goals]
        form.sdg_targets.data = list(practice.sdg_targets)
        form.event_ids.data = [str(e.id) for e in practice.events]
        form.module_ids.data = [str(m.id) for m in practice.modules]
        form.subdivision.data = practice.subdivision or ""
        for name in ("latitude", "longitude", "started_year", "ended_year"):
            value = getattr(practice, name)
            getattr(form, name).data = "" if value is None else str(value)
    if request.method == "POST" and not (form.more_rows.data or form.find_contact.data) and form.validate_on_submit():
        was_published = practice.status == "published"
        try:
            services.update_practice(db.session, practice_id=practice.id, data=form.to_data(
                with_organisation=can_review_practice(current_user)), actor_id=current_user.id, now=utcnow())
            back_to_review = was_published and practice.status == "submitted"
            db.session.commit()
        except DomainError as exc:
            show_domain_error(exc, form)
        else:
            if back_to_review:
                flash(_("The practice is updated and goes back to the reviewers."), "success")
            else:
                flash(_("The practice is updated."), "success")
            return redirect(url_for("practices.edit", practice_id=practice.id))
    language = request.args.get("translation")
    return _render_form(form, practice, translation_sections=_translation_sections(practice, language))


@bp.post("/practices/<int:practice_id>/translation")
@login_required
def save_translation(practice_id: int):
    practice, _user = services.editable_practice(db.session, practice_id, current_user.id)
    form = _translation_form(practice, None)
    language = form.translation_language.data
    if form.validate_on_submit():
        fields = form.to_fields(request.form)
        try:
            services.set_translation(db.session, practice_id=practice.id, language=language, fields=fields,
                                     actor_id=current_user.id, now=utcnow())
            db.session.commit()
        except DomainError as exc:
            show_domain_error(exc, form)
        else:
            flash(_("The translation is saved."), "success")
            return redirect(url_for("practices.edit", practice_id=practice.id) + "#translations")
    practice_form = _choices(PracticeForm(obj=practice, formdata=None), practice)
    return _render_form(practice_form, practice, translation_form=form,
                        translation_sections={name: request.form.get(f"translation_{name}", "") for name in SECTIONS})


@bp.post("/practices/<int:practice_id>/translation/<language>/delete")
@login_required
def delete_translation(practice_id: int, language: str):
    if not ActionForm().validate_on_submit():
        abort(400, _("The form expired; please try again."))
    try:
        services.set_translation(db.session, practice_id=practice_id, language=language, fields=None,
                                 actor_id=current_user.id, now=utcnow())
        db.session.commit()
    except DomainError as exc:
        show_domain_error(exc)
    else:
        flash(_("The translation is removed."), "info")
    return redirect(url_for("practices.edit", practice_id=practice_id) + "#translations")


# ---------------------------------------------------------------------------------------------------
# Files


def _max_bytes(kind: str) -> int | None:
    key = "PRACTICE_DOCUMENT_MAX_BYTES" if kind == "document" else "PRACTICE_IMAGE_MAX_BYTES"
    return current_app.config.get(key)


@bp.post("/practices/<int:practice_id>/files")
@login_required
def upload(practice_id: int):
    practice, _user = services.editable_practice(db.session, practice_id, current_user.id)
    form = FileForm()
    if form.validate_on_submit():
        upload_file = form.file.data
        data = upload_file.read() if upload_file else b""
        try:
            services.add_file(db.session, practice_id=practice.id, kind=form.kind.data,
                              filename=getattr(upload_file, "filename", "") or "", data=data,
                              caption=form.caption.data or "", credit=form.credit.data or "",
                              actor_id=current_user.id, now=utcnow(), storage_dir=storage_dir(),
                              max_bytes=_max_bytes(form.kind.data))
            db.session.commit()
        except DomainError as exc:
            show_domain_error(exc, form)
        else:
            flash(_("The file is added."), "success")
            return redirect(url_for("practices.edit", practice_id=practice.id) + "#files")
    practice_form = _choices(PracticeForm(obj=practice, formdata=None), practice)
    return _render_form(practice_form, practice, file_form=form), 400


@bp.post("/practices/<int:practice_id>/files/<int:file_id>")
@login_required
def update_file(practice_id: int, file_id: int):
    """Change a file's caption or credit line (no need to upload it again)."""
    form = FileTextForm()
    if not form.validate_on_submit():
        if form.caption.errors or form.credit.errors:
            flash(_("The caption or the credit line is too long."), "danger")
            return redirect(url_for("practices.edit", practice_id=practice_id) + "#files")
        abort(400, _("The form expired; please try again."))
    try:
        services.update_file(db.session, practice_id=practice_id, file_id=file_id, actor_id=current_user.id,
                             now=utcnow(), caption=form.caption.data or "", credit=form.credit.data or "")
        db.session.commit()
    except DomainError as exc:
        show_domain_error(exc)
    else:
        flash(_("The caption and credit line are saved."), "success")
    return redirect(url_for("practices.edit", practice_id=practice_id) + "#files")


@bp.post("/practices/<int:practice_id>/files/<int:file_id>/delete")
@login_required
def remove_file(practice_id: int, file_id: int):
    if not ActionForm().validate_on_submit():
        abort(400, _("The form expired; please try again."))
    try:
        services.remove_file(db.session, practice_id=practice_id, file_id=file_id, actor_id=current_user.id,
                             now=utcnow(), storage_dir=storage_dir())
        db.session.commit()
    except DomainError as exc:
        show_domain_error(exc)
    else:
        flash(_("The file is removed."), "info")
    return redirect(url_for("practices.edit", practice_id=practice_id) + "#files")


# ---------------------------------------------------------------------------------------------------
# Review and workflow


def _review_page(practice: Practice, form: ReviewForm, status: int = 200):
    checks = services.check_practice(practice)
    checklist = [(item, render_message(services.CHECKLIST_REASONS[item]), checks.get(item))
                 for item in services.REVIEW_CHECKLIST]
    found = []
    if can_review_practice(current_user):
        texts = [practice.title, practice.summary, *(getattr(practice, name) for name in SECTIONS)]
        for text in texts:
            found += services.personal_data_in(text or "")
    return render_template(
        "practices/review.html", practice=practice, form=form, checklist=checklist, personal_data=found,
        revisions=services.revisions(db.session, practice.id), is_reviewer=can_review_practice(current_user),
        can_edit=can_edit_practice(current_user, practice), action_form=ActionForm()), status


@bp.get("/practices/reviews")
@organiser_required
def review_queue():
    """The organisers' menu entry: the practices waiting for review."""
    return redirect(url_for("practices.index", status="submitted"))


@bp.get("/practices/<int:practice_id>/review")
@login_required
def review(practice_id: int):
    practice = services.visible_practice(db.session, practice_id, current_user)
    if not (can_review_practice(current_user) or can_edit_practice(current_user, practice)):
        abort(403)
    return _review_page(practice, ReviewForm())


@bp.post("/practices/<int:practice_id>/<any(submit, publish, return, archive):action>")
@login_required
def workflow(practice_id: int, action: str):
    form = ReviewForm()
    if not form.validate_on_submit():
        if form.errors.get("comment"):
            practice = services.visible_practice(db.session, practice_id, current_user)
            return _review_page(practice, form, 400)
        abort(400, _("The form expired; please try again."))
    now = utcnow()
    comment = form.comment.data or ""
    try:
        if action == "submit":
            services.submit_practice(db.session, practice_id=practice_id, actor_id=current_user.id, now=now)
        elif action == "publish":
            services.publish_practice(db.session, practice_id=practice_id, actor_id=current_user.id, now=now,
                                      comment=comment)
        elif action == "return":
            services.return_practice(db.session, practice_id=practice_id, actor_id=current_user.id, now=now,
                                     comment=comment, base_url=current_app.config.get("BASE_URL", "").rstrip("/"),
                                     network_name=current_app.config.get("NETWORK_NAME", "Connective Cities"))
        else:
            services.archive_practice(db.session, practice_id=practice_id, actor_id=current_user.id, now=now,
                                      comment=comment)
        db.session.commit()
    except DomainError as exc:
        if action == "return" and "comment" in exc.fields:
            show_domain_error(exc, form)
            practice = services.visible_practice(db.session, practice_id, current_user)
            return _review_page(practice, form, 400)
        show_domain_error(exc)
        return redirect(url_for("practices.detail", practice_id=practice_id))
    messages = {
        "submit": _("The practice is submitted: the organisers will review it."),
        "publish": _("The practice is published."),
        "return": _("The practice is returned to its author, who is told by email."),
        "archive": _("The practice is archived."),
    }
    flash(messages[action], "success")
    if action in ("return", "publish") and can_review_practice(current_user):
        return redirect(url_for("practices.review", practice_id=practice_id))
    return redirect(url_for("practices.detail", practice_id=practice_id))
