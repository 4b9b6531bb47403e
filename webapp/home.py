"""Home page: what is in the graph, councils by latest grade per region, recent events."""

from __future__ import annotations

from flask import Blueprint, request

from graph import views
from webapp import get_store
from webapp.pages import page

bp = Blueprint("home", __name__)


@bp.get("/")
@bp.get("/index.json", endpoint="index_json")
def index():
    ctx = views.home(get_store())
    ctx["page"] = "home"
    return page("home.html", ctx, as_json=request.path.endswith(".json"))
