"""Admin: the outbox at /admin/outbox (list by status, read one message, retry a failed one)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for

import app.mail.messages  # noqa: F401  (the sentences flashed here)
from app.auth.decorators import admin_required
from app.errors import DomainError, render_message
from app.extensions import db
from app.mail import bp
from app.mail.forms import RetryForm
from app.mail.models import OUTBOX_STATUSES, OutboxMessage
from app.mail.services import retry_message
from app.sqltypes import utcnow
from app.validation import page_number
from app.viewhelpers import redirect_back, show_domain_error

PER_PAGE = 50


@bp.get("/admin/outbox")
@admin_required
def admin_outbox():
    status = request.args.get("status") or ""
    if status and status not in OUTBOX_STATUSES:
        abort(404)
    page = page_number(request.args.get("page", 1, type=int))
    stmt = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status:
        stmt = stmt.where(OutboxMessage.status == status)
    pagination = db.paginate(stmt, page=page, per_page=PER_PAGE, error_out=False)
    counts = dict(db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
    ).all())
    return render_template(
        "mail/admin_outbox.html", pagination=pagination, status=status, counts=counts,
        statuses=OUTBOX_STATUSES, retry_form=RetryForm(),
    )


@bp.get("/admin/outbox/<int:message_id>")
@admin_required
def admin_outbox_message(message_id: int):
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    return render_template("mail/admin_outbox_message.html", message=message, retry_form=RetryForm())


@bp.post("/admin/outbox/<int:message_id>/retry")
@admin_required
def admin_outbox_retry(message_id: int):
    form = RetryForm()
    if not form.validate_on_submit():
        flash(render_message("form.expired"), "danger")
        return redirect(url_for("mail.admin_outbox", status="failed"))
    try:
        message = retry_message(db.session, message_id, now=utcnow())
        db.session.commit()
    except DomainError as exc:
        show_domain_error(exc)
    else:
        flash(render_message("mail.requeued", {"message_id": message.id, "to": message.to_addr}), "success")
    return redirect_back(url_for("mail.admin_outbox", status="failed"))
