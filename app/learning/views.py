"""Pages of the learning package: thin views over app.learning.services."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from babel.lists import format_list
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy.orm import selectinload
from werkzeug.routing import BuildError

from app.auth.decorators import organiser_required
from app.auth.models import User
from app.directory.services import list_topics
from app.errors import DomainError
from app.events.models import Event
from app.extensions import db
from app.i18n import PSEUDO_LOCALE, format_when, page_gettext, viewer_timezone
from app.learning import bp, labels, services
from app.learning.forms import (
    ActionForm,
    LinkForm,
    MarkDoneForm,
    ModuleForm,
    ProgrammeEditForm,
    ProgrammeForm,
    ReviewForm,
    SubmissionForm,
    UnmarkForm,
)
from app.learning.models import Module, ModuleLink, Programme, Submission
from app.sqltypes import utcnow
from app.viewhelpers import field_message, show_domain_error


@bp.app_template_global()
def learning_event_modules(event) -> list[Module]:
    """The programme modules an event page lists (learning/_event_modules.html, included by events/detail.html)."""
    return services.learning_modules_for_event(db.session, event.id) if event is not None else []


@bp.app_template_filter("learning_list")
def title_list(titles) -> Markup:
    """Titles as a list in the page's language ("A, B and C", "A, B et C"), each isolated with <bdi>."""
    items = [str(Markup("<bdi>%s</bdi>") % title) for title in titles]
    locale = str(get_locale() or "en")
    if locale in ("en", PSEUDO_LOCALE):  # English the British way, as the dates; the pseudo-locale without "and"
        return Markup(format_list(items, "standard-narrow" if locale == PSEUDO_LOCALE else "standard", "en_GB"))
    return Markup(format_list(items, locale=locale))


@bp.app_context_processor
def learning_helpers():
    return {"learning_event_url": event_url, "learning_enrol_url": enrol_url,
            "learning_status_labels": labels.STATUS_LABELS, "completion_labels": labels.COMPLETION_KIND_LABELS,
            "learning_source_labels": labels.SOURCE_LABELS,
            "programme_status_labels": labels.PROGRAMME_STATUS_LABELS,
            "matrix_cell_labels": labels.MATRIX_CELL_LABELS, "matrix_state_labels": labels.MATRIX_STATE_LABELS,
            "audit_action_labels": labels.AUDIT_ACTION_LABELS, "audit_hours": _audit_hours}


def _audit_hours(note: str) -> Decimal | None:
    """The hours a "programme completed" entry records (a number; older entries wrote "3.00 hours")."""
    try:
        hours = Decimal(note.removesuffix(" hours").strip())
    except (InvalidOperation, AttributeError):
        return None
    return hours if hours.is_finite() else None


def _url(endpoint: str, **candidates) -> str | None:
    """url_for with the first parameter set the endpoint accepts (the events pages are another package's)."""
    if endpoint not in current_app.view_functions:
        return None
    for name, value in candidates.items():
        try:
            return url_for(endpoint, **{name: value})
        except BuildError:
            continue
    return None


def event_url(event: Event) -> str | None:
    return _url("events.detail", event_id=event.id, slug=event.slug, id=event.id)


def enrol_url(event: Event) -> str | None:
    return _url("events.enrol", event_id=event.id, slug=event.slug, id=event.id)


def _fail(exc: DomainError, form=None):
    show_domain_error(exc, form)


def _flash_refusal(exc: DomainError, form) -> None:
    """Flash a refusal on a form the page does not show again, naming the field as the form labels it."""
    db.session.rollback()
    for name, value in exc.fields.items():
        field = getattr(form, name, None)
        if field is not None and getattr(field, "label", None) is not None:
            flash(field_message(value, name, str(field.label.text)), "danger")
            return
    flash(exc.message_for(), "danger")


def _now():
    return utcnow()


# Public pages and the participant's dashboard ------------------------------------------------------

@bp.get("/")
def index():
    user = current_user if current_user.is_authenticated else None
    programmes = services.list_programmes(db.session, viewer=user)
    return render_template("learning/index.html", programmes=programmes)


@bp.get("/mine")
@login_required
def my_programmes():
    progress = services.my_programmes(db.session, user_id=current_user.id, now=_now())
    return render_template("learning/my_programmes.html", items=progress, action_form=ActionForm())


@bp.get("/<slug>")
def detail(slug: str):
    programme = services.get_programme_by_slug(db.session, slug)
    user = current_user if current_user.is_authenticated else None
    if not services.can_view(programme, user):
        abort(404)
    programme = services.load_programme(db.session, programme.id)
    progress = None
    if user is not None:
        progress = services.programme_progress(db.session, programme_id=programme.id, user_id=user.id,
                                               viewer_id=user.id)
    upcoming = services.upcoming_events_for_modules(db.session, module_ids=[m.id for m in programme.active_modules],
                                                    now=_now())
    return render_template("learning/detail.html", programme=programme, progress=progress, upcoming=upcoming,
                           can_manage=services.can_manage(programme, user), action_form=ActionForm(),
                           submission_form=SubmissionForm())


@bp.post("/<int:programme_id>/join")
@login_required
def join(programme_id: int):
    programme = services.get_programme(db.session, programme_id)
    if not services.can_view(programme, current_user):
        abort(404)  # as the API does: a draft's slug and title stay private
    if not ActionForm().validate_on_submit():
        flash(_("The form expired; please try again."), "danger")
        return redirect(url_for("learning.detail", slug=programme.slug))
    try:
        services.join_programme(db.session, programme_id=programme_id, user_id=current_user.id, now=_now())
        db.session.commit()
    except DomainError as exc:
        _fail(exc)
    else:
        flash(_("You joined “%(title)s”.", title=programme.title), "success")
    return redirect(url_for("learning.detail", slug=programme.slug))


@bp.post("/modules/<int:module_id>/submit")
@login_required
def submit(module_id: int):
    module = services.get_module(db.session, module_id)
    slug = module.programme.slug
    form = SubmissionForm()
    if not form.validate_on_submit():
        errors = [e for errs in form.errors.values() for e in errs]
        flash(_("Your submission was not sent: %(errors)s", errors="; ".join(str(e) for e in errors)), "danger")
        return redirect(url_for("learning.detail", slug=slug))
    try:
        services.submit_work(db.session, module_id=module_id, user_id=current_user.id, now=_now(),
                             text=form.text.data or "", link=form.link.data or None)
        db.session.commit()
    except DomainError as exc:
        _flash_refusal(exc, form)
    else:
        flash(_("Thank you: your work was submitted for review."), "success")
    return redirect(url_for("learning.detail", slug=slug))


# Organiser pages -----------------------------------------------------------------------------------

def _managed(programme_id: int) -> Programme:
    programme = services.load_programme(db.session, programme_id)
    if not services.can_manage(programme, current_user):
        abort(404)
    return programme


@bp.get("/manage")
@organiser_required
def manage():
    programmes = services.managed_programmes(db.session, actor_id=current_user.id)
    queue = services.review_queue(db.session, actor_id=current_user.id)
    return render_template("learning/manage.html", programmes=programmes, queue_size=len(queue))


def _programme_form(form: ProgrammeForm) -> None:
    form.topics.choices = [(t.slug, t.name) for t in list_topics(db.session)]


def _programme_data(form: ProgrammeForm) -> dict:
    data = {"title": form.title.data, "summary": form.summary.data or "",
            "description": form.description.data or "", "topics": list(form.topics.data or [])}
    if isinstance(form, ProgrammeEditForm):
        data["organisers"] = list(form.organisers.data or [])
    return data


def _organiser_choices(programme: Programme) -> list[tuple[int, str]]:
    """Every organiser and admin account (the current organisers too, whatever their role now)."""
    people = {u.id: u for u in db.session.scalars(
        sa.select(User).where(User.role.in_(("organiser", "admin"))).order_by(User.name, User.id))}
    for user in programme.organisers:
        people.setdefault(user.id, user)
    return [(u.id, f"{u.name} <{u.email}>") for u in sorted(people.values(), key=lambda u: (u.name, u.id))]


@bp.route("/manage/new", methods=["GET", "POST"])
@organiser_required
def create():
    form = ProgrammeForm()
    _programme_form(form)
    if form.validate_on_submit():
        try:
            programme = services.create_programme(db.session, data=_programme_data(form),
                                                  created_by_id=current_user.id, now=_now())
            db.session.commit()
        except DomainError as exc:
            _fail(exc, form)
        else:
            flash(_("Programme created as a draft. Add its modules, then publish it."), "success")
            return redirect(url_for("learning.edit", programme_id=programme.id))
    return render_template("learning/programme_form.html", form=form, programme=None)


def _event_choices() -> list[tuple[str, str]]:
    """Published events from a year back onwards and their sessions, for linking."""
    since = _now() - timedelta(days=365)
    events = db.session.scalars(
        sa.select(Event).where(Event.status == "published", Event.ends_at >= since)
        .options(selectinload(Event.sessions)).order_by(Event.starts_at).limit(300))
    choices = [("", _("— choose an event or session —"))]
    zone = viewer_timezone()
    for event in events:
        when = format_when(event.starts_at, zone or event.timezone, "%d %b %Y")
        choices.append((f"event:{event.id}", _("%(event)s (%(date)s, every unit)", event=event.title, date=when)))
        for item in event.sessions:
            choices.append((f"session:{item.id}", "    " + _("%(event)s (%(date)s) › %(session)s",
                                                            event=event.title, date=when, session=item.title)))
    return choices


def _module_form(form: ModuleForm, programme: Programme, module: Module | None) -> None:
    form.prerequisites.choices = [(m.id, m.title) for m in programme.active_modules if m is not module]


def _module_data(form: ModuleForm) -> dict:
    return {"title": form.title.data, "description": form.description.data or "",
            "objectives": form.objectives.data or "", "hours": form.hours.data,
            "required": bool(form.is_required.data), "completion": form.completion.data,
            "prerequisites": list(form.prerequisites.data or [])}


@bp.route("/manage/<int:programme_id>", methods=["GET", "POST"])
@organiser_required
def edit(programme_id: int):
    programme = _managed(programme_id)
    form = ProgrammeEditForm(obj=programme) if request.method == "GET" else ProgrammeEditForm()
    _programme_form(form)
    form.organisers.choices = _organiser_choices(programme)
    if request.method == "GET":
        form.topics.data = [t.slug for t in programme.topics]
        form.organisers.data = [u.id for u in programme.organisers]
    if form.validate_on_submit():
        try:
            services.update_programme(db.session, programme_id=programme.id, data=_programme_data(form),
                                      actor_id=current_user.id, now=_now())
            db.session.commit()
        except DomainError as exc:
            _fail(exc, form)
        else:
            flash(_("Programme saved."), "success")
            if not services.can_manage(services.get_programme(db.session, programme_id), current_user):
                flash(_("You no longer organise “%(title)s”.", title=programme.title), "info")
                return redirect(url_for("learning.manage"))
            return redirect(url_for("learning.edit", programme_id=programme.id))
    module_form = ModuleForm(prefix="new")
    _module_form(module_form, programme, None)
    return render_template("learning/edit.html", programme=programme, form=form, module_form=module_form,
                           action_form=ActionForm())


@bp.post("/manage/<int:programme_id>/modules")
@organiser_required
def add_module(programme_id: int):
    programme = _managed(programme_id)
    form = ModuleForm(prefix="new")
    _module_form(form, programme, None)
    if form.validate_on_submit():
        try:
            module = services.add_module(db.session, programme_id=programme.id, data=_module_data(form),
                                         actor_id=current_user.id, now=_now())
            db.session.commit()
        except DomainError as exc:
            _fail(exc, form)
        else:
            flash(_("Module “%(title)s” added.", title=module.title), "success")
            return redirect(url_for("learning.edit_module", module_id=module.id))
    programme = _managed(programme_id)
    edit_form = ProgrammeEditForm(obj=programme)
    _programme_form(edit_form)
    edit_form.organisers.choices = _organiser_choices(programme)
    edit_form.topics.data = [t.slug for t in programme.topics]
    edit_form.organisers.data = [u.id for u in programme.organisers]
    return render_template("learning/edit.html", programme=programme, form=edit_form, module_form=form,
                           action_form=ActionForm()), 422


@bp.route("/manage/modules/<int:module_id>", methods=["GET", "POST"])
@organiser_required
def edit_module(module_id: int):
    module = services.get_module(db.session, module_id)
    programme = _managed(module.programme_id)
    if module.archived_at is not None:
        flash(_("This module is archived."), "warning")
        return redirect(url_for("learning.edit", programme_id=programme.id))
    form = ModuleForm(obj=module) if request.method == "GET" else ModuleForm()
    _module_form(form, programme, module)
    if request.method == "GET":
        form.prerequisites.data = [p.id for p in module.prerequisites]
        form.hours.data = f"{module.hours:g}" if module.hours is not None else "0"
    if form.validate_on_submit():
        try:
            services.update_module(db.session, module_id=module.id, data=_module_data(form),
                                   actor_id=current_user.id, now=_now())
            db.session.commit()
        except DomainError as exc:
            _fail(exc, form)
        else:
            flash(_("Module saved."), "success")
            return redirect(url_for("learning.edit_module", module_id=module.id))
    link_form = LinkForm()
    link_form.target.choices = _event_choices()
    status = 422 if request.method == "POST" else 200
    return render_template("learning/module_form.html", programme=programme, module=module, form=form,
                           link_form=link_form, action_form=ActionForm()), status


@bp.post("/manage/modules/<int:module_id>/links")
@organiser_required
def link_module(module_id: int):
    module = services.get_module(db.session, module_id)
    _managed(module.programme_id)
    form = LinkForm()
    form.target.choices = _event_choices()
    if form.validate_on_submit():
        kind, _sep, raw = form.target.data.partition(":")
        ids = {"event_id": int(raw)} if kind == "event" else {"session_id": int(raw)}
        try:
            services.link_module(db.session, module_id=module.id, actor_id=current_user.id, now=_now(), **ids)
            db.session.commit()
        except DomainError as exc:
            _fail(exc)
        else:
            flash(_("Linked."), "success")
    else:
        flash(_("Choose a published event or session."), "danger")
    return redirect(url_for("learning.edit_module", module_id=module_id))


@bp.post("/manage/links/<int:link_id>/delete")
@organiser_required
def unlink(link_id: int):
    link = db.session.get(ModuleLink, link_id)
    if link is None:
        abort(404)
    module_id = link.module_id
    _managed(link.module.programme_id)
    if ActionForm().validate_on_submit():
        try:
            services.unlink_module(db.session, link_id=link_id, actor_id=current_user.id, now=_now())
            db.session.commit()
        except DomainError as exc:
            _fail(exc)
        else:
            flash(_("Link removed; completions already recorded stay."), "success")
    return redirect(url_for("learning.edit_module", module_id=module_id))


@bp.post("/manage/modules/<int:module_id>/move")
@organiser_required
def move_module(module_id: int):
    module = services.get_module(db.session, module_id)
    _managed(module.programme_id)
    programme_id = module.programme_id
    if ActionForm().validate_on_submit():
        try:
            services.move_module(db.session, module_id=module_id, direction=request.form.get("direction", ""),
                                 actor_id=current_user.id, now=_now())
            db.session.commit()
        except DomainError as exc:
            _fail(exc)
    return redirect(url_for("learning.edit", programme_id=programme_id))


@bp.post("/manage/modules/<int:module_id>/delete")
@organiser_required
def delete_module(module_id: int):
    module = services.get_module(db.session, module_id)
    _managed(module.programme_id)
    programme_id = module.programme_id
    if ActionForm().validate_on_submit():
        try:
            outcome = services.delete_module(db.session, module_id=module_id, actor_id=current_user.id, now=_now())
            db.session.commit()
        except DomainError as exc:
            _fail(exc)
        else:
            flash(_("Module deleted.") if outcome == "deleted"
                  else _("People have completed or submitted this module, so it was archived."), "success")
    return redirect(url_for("learning.edit", programme_id=programme_id))


@bp.post("/manage/<int:programme_id>/<any(publish, archive):action>")
@organiser_required
def change_status(programme_id: int, action: str):
    _managed(programme_id)
    if ActionForm().validate_on_submit():
        change = services.publish_programme if action == "publish" else services.archive_programme
        try:
            change(db.session, programme_id=programme_id, actor_id=current_user.id, now=_now())
            db.session.commit()
        except DomainError as exc:
            _fail(exc)
        else:
            flash(_("Programme published.") if action == "publish" else _("Programme archived."), "success")
    return redirect(url_for("learning.edit", programme_id=programme_id))


def _matrix_args() -> dict:
    module_id = request.args.get("module_id", type=int)
    return {"q": request.args.get("q", ""), "state": request.args.get("state", ""), "module_id": module_id}


@bp.get("/manage/<int:programme_id>/progress")
@organiser_required
def progress(programme_id: int):
    args = _matrix_args()
    try:
        matrix = services.progress_matrix(db.session, programme_id=programme_id, actor_id=current_user.id, **args)
    except DomainError as exc:
        if exc.status in (403, 404):
            abort(404)
        flash(exc.message_for(), "danger")
        return redirect(url_for("learning.progress", programme_id=programme_id))
    mark_form = MarkDoneForm()
    mark_form.module_id.choices = [(m.id, m.title) for m in matrix.modules]
    audit = services.recent_audit(db.session, programme_id=programme_id, actor_id=current_user.id)
    return render_template("learning/progress.html", matrix=matrix, filters=args, mark_form=mark_form,
                           states=services.MATRIX_STATES, audit=audit)


@bp.post("/manage/<int:programme_id>/unmark")
@organiser_required
def unmark(programme_id: int):
    programme = _managed(programme_id)
    form = UnmarkForm()
    form.module_id.choices = [(m.id, m.title) for m in programme.active_modules]
    if form.validate_on_submit():
        try:
            services.unmark_module(db.session, module_id=form.module_id.data, user_id=form.user_id.data,
                                   actor_id=current_user.id, note=form.note.data, now=_now())
            db.session.commit()
        except DomainError as exc:
            _fail(exc)
        else:
            flash(_("Completion withdrawn."), "success")
    else:
        flash(_("Choose a participant and a module and say why (the note is required)."), "danger")
    return redirect(url_for("learning.progress", programme_id=programme_id))


@bp.get("/manage/<int:programme_id>/progress.csv")
@organiser_required
def progress_csv(programme_id: int):
    try:
        matrix = services.progress_matrix(db.session, programme_id=programme_id, actor_id=current_user.id,
                                          **_matrix_args())
    except DomainError as exc:
        if exc.status in (403, 404):
            abort(404)
        abort(400, exc.message_for())
    buffer = io.StringIO()
    csv.writer(buffer).writerows(services.matrix_csv_rows(matrix, translate=page_gettext,
                                                          zone=viewer_timezone() or "UTC"))
    filename = f"progress-{matrix.programme.slug}.csv"
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.post("/manage/<int:programme_id>/mark")
@organiser_required
def mark_done(programme_id: int):
    programme = _managed(programme_id)
    form = MarkDoneForm()
    form.module_id.choices = [(m.id, m.title) for m in programme.active_modules]
    if form.validate_on_submit():
        try:
            services.mark_module_done(db.session, module_id=form.module_id.data, user_id=form.user_id.data,
                                      actor_id=current_user.id, note=form.note.data, now=_now())
            db.session.commit()
        except DomainError as exc:
            _fail(exc)
        else:
            flash(_("Recorded as done."), "success")
    else:
        flash(_("Choose a module and say why (the note is required)."), "danger")
    return redirect(url_for("learning.progress", programme_id=programme_id))


@bp.get("/manage/reviews")
@organiser_required
def reviews():
    queue = services.review_queue(db.session, actor_id=current_user.id)
    return render_template("learning/reviews.html", queue=queue, form=ReviewForm())


@bp.post("/manage/submissions/<int:submission_id>/review")
@organiser_required
def review(submission_id: int):
    submission = db.session.get(Submission, submission_id)
    if submission is None:
        abort(404)
    form = ReviewForm()
    if not form.validate_on_submit() or form.decision.data not in ("approve", "return"):
        flash(_("Choose approve or return."), "danger")
        return redirect(url_for("learning.reviews"))
    try:
        if form.decision.data == "approve":
            services.approve_submission(db.session, submission_id=submission_id, actor_id=current_user.id,
                                        now=_now(), comment=form.comment.data or "")
        else:
            services.return_submission(db.session, submission_id=submission_id, actor_id=current_user.id,
                                       comment=form.comment.data or "", now=_now())
        db.session.commit()
    except DomainError as exc:
        _flash_refusal(exc, form)
    else:
        flash(_("Submission approved.") if form.decision.data == "approve" else _("Submission returned."), "success")
    return redirect(url_for("learning.reviews"))
