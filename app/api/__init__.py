"""JSON API at /api/v1, authenticated by personal Bearer tokens. Each domain adds its routes in its api.py.

The blueprint, the contract (app.apikit.contract.operation) and token authentication live in app.apikit, a
foundation module the domains build on; this package, at the top of the layers, imports every domain's
api.py so that all routes are registered, and serves the basics (app.api.views) and the OpenAPI document.
"""

from app.account import api_data as account_api  # noqa: E402,F401
from app.account import api_interests  # noqa: E402,F401
from app.api import views  # noqa: E402,F401
from app.apikit import INFO, TAGS, bp  # noqa: F401
from app.apikit.contract import document  # noqa: F401  (complete once this package is imported)
from app.calendar import api as calendar_api  # noqa: E402,F401
from app.certificates import api as certificates_api  # noqa: E402,F401
from app.dashboards import event_api as dashboards_event_api  # noqa: E402,F401
from app.dashboards import network_api as dashboards_network_api  # noqa: E402,F401
from app.dashboards import programme_api as dashboards_programme_api  # noqa: E402,F401
from app.events import api as events_api  # noqa: E402,F401
from app.learning import api as learning_api  # noqa: E402,F401
from app.organisations import api as organisations_api  # noqa: E402,F401
from app.people import api as people_api  # noqa: E402,F401
from app.people import contact_api as people_contact_api  # noqa: E402,F401
from app.people import match_api  # noqa: E402,F401
from app.practices import api as practices_api  # noqa: E402,F401
from app.search import api as search_api  # noqa: E402,F401
