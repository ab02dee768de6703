"""Learning programmes: modules, prerequisites, progress and completion."""

from flask import Blueprint

bp = Blueprint("learning", __name__, url_prefix="/programmes")

from app.learning import views, views_translations  # noqa: E402,F401
