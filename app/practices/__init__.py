"""Good practices from member cities: publish what a city did, review it, find it, want to try it."""

from flask import Blueprint

# no url_prefix: the pages live under /practices, and /practices.csv or /practices/feed.atom may join them
bp = Blueprint("practices", __name__)

from app.practices import views, views_edit, views_opendata, views_verification  # noqa: E402,F401
