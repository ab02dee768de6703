"""Good practices from member cities: publish what a city did, review it, find it, want to try it."""

from flask import Blueprint

bp = Blueprint("practices", __name__)

from app.practices import views_opendata, views_verification  # noqa: E402,F401
