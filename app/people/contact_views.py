"""Pages of contact between members: the message form, /messages (both sides), reporting, /admin/reports.

A blueprint of its own (contact.*) beside the profile pages (people.*); the same services as the API."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.decorators import admin_required
from app.errors import DomainError
from app.extensions import db
from app.people import contact as services
from app.people.contact_forms import ActionForm, ContactSettingsForm, MessageForm, ReportForm, SuspendForm
from app.people.contact_links import links, origin_url, settings
from app.sqltypes import utcnow
from app.viewhelpers import show_domain_error

bp = Blueprint("contact", __name__)

PER_PAGE = 20


def _page() -> int:
    return min(max(request.args.get("page", 1, type=int) or 1, 1), 100000)


@bp.route("/people/<int:user_id>/contact", methods=["GET", "POST"])
@login_required
def form(user_id: int):
    practice_id = request.args.get("practice", type=int)
    # refusals (hidden, switched off, suspended, too new, past the limit) answer with their reason, before typing
    target = services.contact_target(db.session, recipient_id=user_id, sender_id=current_user.id,
                                     practice_id=practice_id)
    services.check_sender(db.session, current_user, now=utcnow(), settings=settings())
    message_form = MessageForm()
    if message_form.validate_on_submit():
        try:
            services.send_message(
                db.session, sender_id=current_user.id, recipient_id=user_id, subject=message_form.subject.data,
                text=message_form.text.data, now=utcnow(), settings=settings(), links=links(),
                origin_url=origin_url(user_id, practice_id), practice_id=practice_id)
            db.session.commit()
        except DomainError as exc:
            show_domain_error(exc, message_form)
        else:
            flash(_("Your message to %(name)s is sent. Their answer will come to your email address.",
                    name=target.recipient.name), "success")
            return redirect(url_for("contact.messages"))
    return render_template("people/contact.html", form=message_form, recipient=target.recipient,
                           practice=target.practice, practice_id=practice_id)


@bp.get("/messages")
@login_required
def messages():
    page = _page()
    rows, total = services.list_messages(db.session, user_id=current_user.id, page=page, per_page=PER_PAGE)
    settings_form = ContactSettingsForm(
        accepts_messages=services.accepts_messages(db.session, current_user.id), formdata=None)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    return render_template("people/messages.html", rows=rows, total=total, page=page, pages=pages,
                           settings_form=settings_form)


@bp.post("/messages/settings")
@login_required
def save_settings():
    settings_form = ContactSettingsForm()
    if not settings_form.validate_on_submit():
        abort(400, _("The form expired; please try again."))
    services.set_accepts_messages(db.session, user_id=current_user.id,
                                  accepts=settings_form.accepts_messages.data, now=utcnow())
    db.session.commit()
    if settings_form.accepts_messages.data:
        flash(_("Members may write to you through the platform."), "success")
    else:
        flash(_("Contact is switched off: nobody can write to you through the platform."), "info")
    return redirect(url_for("contact.messages"))


@bp.route("/messages/<int:message_id>/report", methods=["GET", "POST"])
@login_required
def report(message_id: int):
    message = services.received_message(db.session, message_id=message_id, user_id=current_user.id)
    report_form = ReportForm()
    if report_form.validate_on_submit():
        try:
            services.report_message(db.session, message_id=message_id, reporter_id=current_user.id,
                                    reason=report_form.reason.data or "", now=utcnow())
            db.session.commit()
        except DomainError as exc:
            show_domain_error(exc, report_form)
        else:
            flash(_("Thank you: the administrators will look at this message."), "success")
            return redirect(url_for("contact.messages"))
    return render_template("people/report.html", form=report_form, message=message)


@bp.get("/admin/reports")
@admin_required
def reports():
    return render_template("people/admin_reports.html", reports=services.open_reports(db.session),
                           suspensions=services.suspensions(db.session),
                           action_form=ActionForm(), suspend_form=SuspendForm())


@bp.post("/admin/reports/<int:report_id>/dismiss")
@admin_required
def dismiss(report_id: int):
    if not ActionForm().validate_on_submit():
        abort(400, _("The form expired; please try again."))
    try:
        services.dismiss_report(db.session, report_id=report_id, admin_id=current_user.id, now=utcnow())
        db.session.commit()
    except DomainError as exc:
        show_domain_error(exc)
    else:
        flash(_("The report is dismissed."), "info")
    return redirect(url_for("contact.reports"))


@bp.post("/admin/reports/<int:report_id>/suspend")
@admin_required
def suspend(report_id: int):
    suspend_form = SuspendForm()
    if not suspend_form.validate_on_submit():
        abort(400, _("The form expired; please try again."))
    try:
        services.suspend_sender(db.session, report_id=report_id, admin_id=current_user.id,
                                reason=suspend_form.reason.data or "", now=utcnow())
        db.session.commit()
    except DomainError as exc:
        show_domain_error(exc)
    else:
        flash(_("The sender's contact is suspended; they are told why when they try to write."), "warning")
    return redirect(url_for("contact.reports"))


@bp.post("/admin/suspensions/<int:user_id>/lift")
@admin_required
def lift(user_id: int):
    if not ActionForm().validate_on_submit():
        abort(400, _("The form expired; please try again."))
    services.lift_suspension(db.session, user_id=user_id)
    db.session.commit()
    flash(_("This person may write to members again."), "info")
    return redirect(url_for("contact.reports"))
