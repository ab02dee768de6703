"""Flask-Login wiring (sessions by user id; Bearer tokens for downloads outside /api): the web edge of
accounts, kept out of services.py so that the account rules never read the request."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import gettext

from app.auth.services import bearer_token, user_for_api_token, user_for_session_id
from app.errors import msg
from app.extensions import db, login_manager
from app.sqltypes import utcnow


def init_login(app: Flask) -> None:
    """Wire Flask-Login: sessions by user id, and Bearer tokens for downloads outside /api."""
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "warning"
    # Flask-Login's own sentence, through our catalogue in the visitor's language (it calls localize_callback)
    login_manager.login_message = msg("Please log in to open this page.")
    login_manager.localize_callback = gettext

    @login_manager.user_loader
    def load_user(user_id: str):
        return user_for_session_id(db.session, user_id)

    @login_manager.request_loader
    def load_user_from_bearer(req):
        token = bearer_token(request.headers.get("Authorization"))
        if not token:
            return None
        return user_for_api_token(db.session, token, now=utcnow())
