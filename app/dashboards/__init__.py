"""Dashboards (issue 15): how each event and programme is doing and how the network learns from itself, in
charts with their tables and CSV. Services compute the figures with GROUP BY queries; views and API are thin."""

from flask import Blueprint

bp = Blueprint("dashboards", __name__)

from app.dashboards import event_api, event_views  # noqa: E402,F401
