"""Administration: users and roles, organisations; later issues add the outbox and jobs pages."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from app.admin import views  # noqa: E402,F401
