"""Events: conferences, workshops, training sessions and information trips; enrolment; attendance."""

from flask import Blueprint

bp = Blueprint("events", __name__, url_prefix="/events")

from app.events import views, views_attendance, views_translations  # noqa: E402,F401
