"""Admin pages: thin views over the directory and auth services."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.admin import bp, messages  # noqa: F401  (messages: the sentences flashed here)
from app.admin.forms import ROLE_LABELS, OrganisationForm, RoleForm, TopicForm
from app.auth import services as auth_services
from app.auth.decorators import admin_required
from app.auth.models import User
from app.dashboards.admin_overview import admin_overview
from app.directory import services as directory
from app.directory.models import Organisation, Topic
from app.errors import DomainError, render_message
from app.extensions import db
from app.jobs.views import time_ago
from app.sqltypes import utcnow
from app.validation import page_number
from app.viewhelpers import show_domain_error


@bp.get("/")
@admin_required
def index():
    now = utcnow()
    return render_template("admin/index.html", overview=admin_overview(db.session, now=now), now=now,
                           time_ago=time_ago)


@bp.get("/users")
@admin_required
def users():
    q = (request.args.get("q") or "").strip()
    page = page_number(request.args.get("page", 1, type=int))
    stmt = sa.select(User).order_by(User.name)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(sa.or_(sa.func.lower(User.name).like(like), User.email.like(like)))
    pagination = db.paginate(stmt, page=page, per_page=50, error_out=False)
    return render_template("admin/users.html", pagination=pagination, q=q, role_form=RoleForm())


@bp.post("/users/<int:user_id>/role")
@admin_required
def set_role(user_id: int):
    form = RoleForm()
    if not form.validate_on_submit():
        flash(render_message("admin.role_invalid"), "danger")
        return redirect(url_for("admin.users"))
    try:
        user = auth_services.set_role(db.session, user_id, form.role.data)
        db.session.commit()
    except DomainError as exc:
        show_domain_error(exc)
    else:
        flash(render_message("admin.role_changed", {"name": user.name, "role": ROLE_LABELS.get(user.role, user.role)}),
              "success")
    return redirect(url_for("admin.users"))


@bp.get("/organisations")
@admin_required
def organisations():
    return render_template("admin/organisations.html", organisations=directory.list_organisations(db.session))


@bp.route("/organisations/new", methods=["GET", "POST"], defaults={"organisation_id": None})
@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@admin_required
def edit_organisation(organisation_id: int | None):
    org = None
    if organisation_id is not None:
        org = db.session.get(Organisation, organisation_id)
        if org is None:
            abort(404)
    form = OrganisationForm(obj=org)
    if org is not None and not form.is_submitted():
        # numbers as plain text (the fields are text so that a wrong entry comes back with the service's message)
        form.population.data = "" if org.population is None else str(org.population)
        form.latitude.data = "" if org.latitude is None else repr(org.latitude)
        form.longitude.data = "" if org.longitude is None else repr(org.longitude)
    form.country.choices = [("", _("— choose —"))] + directory.country_choices(str(get_locale() or "en"))
    if form.validate_on_submit():
        try:
            directory.save_organisation(
                db.session, name=form.name.data, kind=form.kind.data, city=form.city.data or "",
                country=form.country.data, website=form.website.data, organisation_id=organisation_id,
                description=form.description.data or "", population=form.population.data,
                latitude=form.latitude.data, longitude=form.longitude.data,
            )
            db.session.commit()
        except DomainError as exc:
            show_domain_error(exc, form)
        else:
            flash(render_message("admin.organisation_saved"), "success")
            return redirect(url_for("admin.organisations"))
    return render_template("admin/organisation_form.html", form=form, organisation=org)


@bp.get("/topics")
@admin_required
def topics():
    return render_template("admin/topics.html", topics=directory.list_topics(db.session))


@bp.route("/topics/new", methods=["GET", "POST"], defaults={"topic_id": None})
@bp.route("/topics/<int:topic_id>", methods=["GET", "POST"])
@admin_required
def edit_topic(topic_id: int | None):
    topic = None
    if topic_id is not None:
        topic = db.session.get(Topic, topic_id)
        if topic is None:
            abort(404)
    form = TopicForm(obj=topic)
    if form.validate_on_submit():
        try:
            directory.save_topic(
                db.session, slug=form.slug.data, name=form.name.data, description=form.description.data or "",
                topic_id=topic_id, now=utcnow(),
            )
            db.session.commit()
        except DomainError as exc:
            show_domain_error(exc, form)
        else:
            flash(render_message("admin.topic_saved"), "success")
            return redirect(url_for("admin.topics"))
    return render_template("admin/topic_form.html", form=form, topic=topic)
