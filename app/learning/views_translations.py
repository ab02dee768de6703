"""The Translations sections of a programme's and a module's edit pages: the original language, and one
translation per language added, changed or removed (the rules are the services': app.content_language)."""

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
from app.extensions import db
from app.learning import bp, services
from app.sqltypes import utcnow


def programme_urls(programme_id: int) -> dict[str, str]:
    return {name: url_for(f".{name}_programme_translation", programme_id=programme_id)
            for name in ("save", "remove", "language")}


def module_urls(module_id: int) -> dict[str, str]:
    return {name: url_for(f".{name}_module_translation", module_id=module_id)
            for name in ("save", "remove", "language")}


class _Kind:
    """What differs between a programme and a module: how to load, change and link back to it."""

    def __init__(self, kind: str, item_id: int):
        self.kind, self.item_id = kind, item_id

    def load(self):
        if self.kind == "programme":
            programme = services.get_programme(db.session, self.item_id)
            if not services.can_manage(programme, current_user):
                abort(404)
            return programme
        module = services.get_module(db.session, self.item_id)
        if not services.can_manage(module.programme, current_user):
            abort(404)
        return module

    def change(self, data: dict, form) -> bool:
        update = services.update_programme if self.kind == "programme" else services.update_module
        key = "programme_id" if self.kind == "programme" else "module_id"
        try:
            update(db.session, **{key: self.item_id}, data=data, actor_id=current_user.id, now=utcnow())
            db.session.commit()
        except DomainError as exc:
            attach_translation_error(exc, form)
            return False
        return True

    @property
    def edit_url(self) -> str:
        if self.kind == "programme":
            return url_for(".edit", programme_id=self.item_id)
        return url_for(".edit_module", module_id=self.item_id)

    def page(self, item, form):
        urls = programme_urls(self.item_id) if self.kind == "programme" else module_urls(self.item_id)
        return render_template("translations.html", item=item, title=item.title, back_url=self.edit_url,
                               form=form, urls=urls), 422


def _save(kind: _Kind):
    item = kind.load()
    form = TranslationForm()
    if form.validate_on_submit():
        fields = [name for name, _limit in translated_fields(item)]
        if kind.change(form.to_data(fields), form):
            flash(_("The translation is saved."), "success")
            return redirect(kind.edit_url + "#translations")
    elif form.csrf_token.errors:
        abort(400, "The form expired; please try again.")
    return kind.page(kind.load(), form)


def _remove(kind: _Kind):
    kind.load()
    form = RemoveTranslationForm()
    if not form.validate_on_submit():
        abort(400, "The form expired; please try again.")
    if kind.change({"translations": {form.language.data: None}}, form):
        flash(_("The translation is removed."), "success")
    else:
        for message in form.language.errors:
            flash(message, "danger")
    return redirect(kind.edit_url + "#translations")


def _language(kind: _Kind):
    kind.load()
    form = LanguageForm()
    if form.validate_on_submit():
        if kind.change({"language": form.language.data}, form):
            flash(_("The original language is saved."), "success")
            return redirect(kind.edit_url + "#translations")
    elif form.csrf_token.errors:
        abort(400, "The form expired; please try again.")
    return kind.page(kind.load(), form)


@bp.post("/manage/<int:programme_id>/translations")
@organiser_required
def save_programme_translation(programme_id: int):
    return _save(_Kind("programme", programme_id))


@bp.post("/manage/<int:programme_id>/translations/remove")
@organiser_required
def remove_programme_translation(programme_id: int):
    return _remove(_Kind("programme", programme_id))


@bp.post("/manage/<int:programme_id>/language")
@organiser_required
def language_programme_translation(programme_id: int):
    return _language(_Kind("programme", programme_id))


@bp.post("/manage/modules/<int:module_id>/translations")
@organiser_required
def save_module_translation(module_id: int):
    return _save(_Kind("module", module_id))


@bp.post("/manage/modules/<int:module_id>/translations/remove")
@organiser_required
def remove_module_translation(module_id: int):
    return _remove(_Kind("module", module_id))


@bp.post("/manage/modules/<int:module_id>/language")
@organiser_required
def language_module_translation(module_id: int):
    return _language(_Kind("module", module_id))
