"""The reports index (each report's own page is the report viewer, at its /id/ IRI)."""

from __future__ import annotations

from flask import Blueprint, request

from graph import views
from webapp import get_store
from webapp.pages import page

bp = Blueprint("reports", __name__)


@bp.get("/reports")
@bp.get("/reports.json", endpoint="reports_json")
def reports():
    ctx = {"page": "reports", "reports": views.reports_list(get_store())}
    return page("reports.html", ctx, as_json=request.path.endswith(".json"))
