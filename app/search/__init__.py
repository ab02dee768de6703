"""One search across everything public (practices, events, programmes, organisations, people): the index, kept
in step with the data in the same transaction, and the query with its facets. A document may be for members
only (SearchDoc.audience, a members-only profile): run_search leaves it out unless audience="members".

A foundation package: it imports no domain. The domains describe their documents (each one's
search_documents.py) and app/receivers.py registers them here (registry.configure). The page and the API
route live in views.py and api.py; the reasons' sentences in messages.py.
"""

from flask import Blueprint

bp = Blueprint("search", __name__)

from app.search import views  # noqa: E402,F401  (the page, registered on bp)
from app.search.fold import fold, words  # noqa: E402,F401
from app.search.index import reindex, sync  # noqa: E402,F401
from app.search.query import Hit, SearchPage, SearchQuery, matching_ids, run_search  # noqa: E402,F401
from app.search.registry import FacetSpec, Parent, SearchDoc, Source, configure  # noqa: E402,F401
