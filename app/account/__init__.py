"""One's own account beyond sign-in: interests and digest, one's data, deletion, invitations (issue 14)."""

from flask import Blueprint

bp = Blueprint("account", __name__)

from app.account import views_data, views_interests  # noqa: E402,F401
