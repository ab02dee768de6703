"""The admin page of scheduled jobs: schedule, next and last run, last result, heartbeat, run now."""

from __future__ import annotations

from datetime import timedelta

from babel.dates import format_timedelta
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from app import validation_messages  # noqa: F401  (form.expired)
from app.auth.decorators import admin_required
from app.errors import render_message
from app.extensions import db
from app.i18n import PSEUDO_LOCALE
from app.jobs import bp, messages  # noqa: F401  (messages: the sentences flashed here)
from app.jobs.jobs import JOBS
from app.jobs.services import heartbeat_status, job_statuses, run_job
from app.sqltypes import utcnow

# the heartbeat says a scheduler process is alive: beating from a web request would hide the banner
NOT_FROM_THE_PAGE = {"heartbeat"}


class RunJobForm(FlaskForm):
    """Only the CSRF token: the job is named in the URL."""


def time_ago(age: timedelta | None) -> str:
    """'6 min ago', 'il y a 6 min', 'قبل 6 دقائق': how long ago, in the page's language (Babel)."""
    if age is None:
        return _("never")
    if age.total_seconds() < 1:
        return _("just now")
    locale = str(get_locale() or "en")
    if locale in ("en", PSEUDO_LOCALE):
        locale = "en_GB"
    return format_timedelta(-age, add_direction=True, format="short", locale=locale)


@bp.get("/admin/jobs")
@admin_required
def admin_jobs():
    now = utcnow()
    return render_template(
        "jobs/admin_jobs.html", statuses=job_statuses(db.session, now=now),
        heartbeat=heartbeat_status(db.session, now=now), now=now, time_ago=time_ago, form=RunJobForm(),
        not_from_the_page=NOT_FROM_THE_PAGE,
    )


@bp.post("/admin/jobs/<name>/run")
@admin_required
def run_now(name: str):
    if name not in JOBS:
        abort(404)
    form = RunJobForm()
    if not form.validate_on_submit():
        flash(render_message("form.expired"), "danger")
        return redirect(url_for("jobs.admin_jobs"))
    if name in NOT_FROM_THE_PAGE:
        flash(render_message("jobs.heartbeat_not_from_page"), "warning")
        return redirect(url_for("jobs.admin_jobs"))
    outcome = run_job(db.session, name, now=utcnow(), config=current_app.config)
    category = {"ok": "success", "skipped": "warning", "error": "danger"}[outcome.status]
    flash(render_message("jobs.outcome", {"name": name, "result": outcome.result}), category)
    return redirect(url_for("jobs.admin_jobs"))
