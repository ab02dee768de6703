"""Dashboards (issue 15): how each event and programme is doing, the network's learning, the admin overview."""

from flask import Blueprint

bp = Blueprint("dashboards", __name__)

from app.dashboards import event_api, event_views  # noqa: E402,F401
