"""The map (/map): published practices, organisations and upcoming events on an offline base map, with the same
items listed beside it; and the JSON it draws from (/map/data.json)."""

from flask import Blueprint

bp = Blueprint("map", __name__)

from app.map import views  # noqa: E402,F401
