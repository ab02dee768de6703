"""JSON API at /api/v1, authenticated by personal Bearer tokens. Each domain adds its routes in its api.py."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from app.api import openapi, views  # noqa: E402,F401
from app.calendar import api as calendar_api  # noqa: E402,F401
from app.certificates import api as certificates_api  # noqa: E402,F401
from app.events import api as events_api  # noqa: E402,F401
from app.learning import api as learning_api  # noqa: E402,F401
