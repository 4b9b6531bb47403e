"""Search: labels and evidence quotes, ranked, with type filters; /search.json feeds the
as-you-type suggestions."""

from __future__ import annotations

from flask import Blueprint, request

from graph import views
from webapp import get_store
from webapp.pages import href, page

bp = Blueprint("search", __name__)

TYPE_LABELS = {
    "council": "Councils", "person": "People", "organisation": "Organisations", "programme": "Programmes",
    "report": "Reports", "legislation": "Legislation", "concept": "Concepts", "quote": "Evidence quotes",
}


@bp.get("/search")
@bp.get("/search.json", endpoint="search_json")
def search():
    q = request.args.get("q", "")[:200]
    types = [t for t in request.args.getlist("type") if t in views.SEARCH_TYPES]
    try:
        limit = max(1, min(200, int(request.args.get("limit", 50))))
    except ValueError:
        limit = 50
    ctx = views.search(get_store(), q, types=types, limit=limit)
    ctx["page"] = "search"
    for r in ctx["results"]:
        r["href"] = href(r["iri"])
    ctx["type_options"] = [{"key": k, "label": TYPE_LABELS[k], "count": ctx["counts"].get(k, 0)} for k in views.SEARCH_TYPES]
    return page("search.html", ctx, as_json=request.path.endswith(".json"))
