"""The Translations section of an event's edit page: the original language, and one translation per language
added, changed or removed (the rules are the service's: app.content_language via services.update_event)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.decorators import organiser_required
from app.content_forms import (
    LanguageForm,
    RemoveTranslationForm,
    TranslationForm,
    attach_translation_error,
    translated_fields,
)
from app.errors import DomainError
from app.events import bp, services
from app.extensions import db
from app.sqltypes import utcnow


def _edit_url(event_id: int) -> str:
    return url_for(".edit", event_id=event_id) + "#translations"


def _change(event_id: int, data: dict, form) -> bool:
    try:
        services.update_event(db.session, event_id=event_id, data=data, actor_id=current_user.id, now=utcnow())
        db.session.commit()
    except DomainError as exc:
        attach_translation_error(exc, form)
        return False
    return True


def _page(event, form):
    return render_template("translations.html", item=event, kind="event", title=event.title,
                           back_url=url_for(".edit", event_id=event.id), form=form,
                           urls=_urls(event.id))


def _urls(event_id: int) -> dict[str, str]:
    return {"save": url_for(".save_translation", event_id=event_id),
            "remove": url_for(".remove_translation", event_id=event_id),
            "language": url_for(".set_original_language", event_id=event_id)}


@bp.post("/<int:event_id>/translations")
@organiser_required
def save_translation(event_id: int):
    event = services.managed_event(db.session, event_id, current_user.id)
    form = TranslationForm()
    if form.validate_on_submit():
        fields = [name for name, _limit in translated_fields(event)]
        if _change(event_id, form.to_data(fields), form):
            flash(_("The translation is saved."), "success")
            return redirect(_edit_url(event_id))
    elif form.csrf_token.errors:
        abort(400, "The form expired; please try again.")
    return _page(services.managed_event(db.session, event_id, current_user.id), form), 422


@bp.post("/<int:event_id>/translations/remove")
@organiser_required
def remove_translation(event_id: int):
    services.managed_event(db.session, event_id, current_user.id)
    form = RemoveTranslationForm()
    if not form.validate_on_submit():
        abort(400, "The form expired; please try again.")
    if _change(event_id, {"translations": {form.language.data: None}}, form):
        flash(_("The translation is removed."), "success")
    else:
        for message in form.language.errors:
            flash(message, "danger")
    return redirect(_edit_url(event_id))


@bp.post("/<int:event_id>/language")
@organiser_required
def set_original_language(event_id: int):
    event = services.managed_event(db.session, event_id, current_user.id)
    form = LanguageForm()
    if form.validate_on_submit():
        if _change(event_id, {"language": form.language.data}, form):
            flash(_("The original language is saved."), "success")
            return redirect(_edit_url(event_id))
    elif form.csrf_token.errors:
        abort(400, "The form expired; please try again.")
    return _page(event, form), 422
