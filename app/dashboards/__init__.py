"""Dashboards (issue 15): charts of how an event, a programme and the whole network are doing.

Each dashboard is a Flask-free service (`*_stats.py`, a constant number of GROUP BY queries), thin HTML views
(`*_views.py`, a chart per figure with its table and CSV) and a JSON API (`*_api.py`, on app.apikit's
blueprint). `filters.py` parses the period/format/topic/region filters they share. Routes are absolute.
"""

from flask import Blueprint

bp = Blueprint("dashboards", __name__)

# each dashboard's routes, one line each (registered on import)
import app.dashboards.event_api  # noqa: E402,F401
import app.dashboards.event_views  # noqa: E402,F401
import app.dashboards.network_api  # noqa: E402,F401
import app.dashboards.network_views  # noqa: E402,F401
import app.dashboards.programme_api  # noqa: E402,F401
import app.dashboards.programme_views  # noqa: E402,F401
