"""The search page: /search?q=&type=&topic=&sdg=&region=&country=&stage=&language=&page="""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from app.errors import render_message
from app.extensions import db
from app.i18n import page_gettext
from app.search import bp
from app.search.query import FILTERS, SearchQuery, facet_labels, run_search

PER_PAGE = 20


def query_from(args, *, per_page: int = PER_PAGE) -> SearchQuery:
    """A SearchQuery from query parameters (the page number read leniently: a bad one is page 1)."""
    page = args.get("page", 1, type=int) or 1
    return SearchQuery(q=args.get("q", "") or "", page=min(max(page, 1), 10_000), per_page=per_page,
                       **{name: (args.get(name) or "").strip() or None for name in FILTERS})


@bp.get("/search")
def index():
    query = query_from(request.args)
    language = str(get_locale() or "en")
    audience = "members" if current_user.is_authenticated else "public"  # members-only profiles: members only
    result = run_search(db.session, query, language=language.split("_")[0], strict=False, audience=audience)
    labels = facet_labels(db.session, result.facets, page_gettext, language)
    notices = [render_message(reason, params) for reason, params in result.notices]
    args = {k: v for k, v in request.args.items() if k != "page" and v}

    def search_url(facet: str, value: str | None) -> str:
        """This search with one facet set to value (None: any), on its first page."""
        changed = {k: v for k, v in args.items() if k != facet}
        if value is not None:
            changed[facet] = value
        return url_for("search.index", **changed)

    return render_template("search/index.html", result=result, query=query, labels=labels, notices=notices,
                           args=args, facet_order=FILTERS, search_url=search_url,
                           searched=bool(query.q.strip() or query.filters()))
