"""Dashboards (issue 15): how an event or a programme is doing and how the network learns from itself, in charts
with their tables and CSV. Each dashboard has a Flask-free service (*_stats.py), its pages and its API."""

from flask import Blueprint

bp = Blueprint("dashboards", __name__)

from app.dashboards import programme_api  # noqa: E402,F401
