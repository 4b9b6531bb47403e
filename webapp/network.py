"""Network views: the neighbourhood of any entity (/network) and the national overview
(/network/overview), each with a .json twin holding the same context the template got."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request

from graph.analytics import TYPES_BY_KEY, AnalyticsError, entity_graph
from graph.network import NEIGHBOURHOOD_CAP, OVERVIEW_CAP, neighbourhood, overview
from webapp import get_store

bp = Blueprint("network", __name__)


def respond(template: str, context: dict, as_json: bool, status: int = 200):
    """The page, or its .json twin: the very same context."""
    if as_json:
        return jsonify(context), status
    return render_template(template, **context, json_url=_json_url()), status


def _json_url() -> str:
    path = request.path
    query = request.query_string.decode("utf-8", "replace")
    return path + ".json" + (f"?{query}" if query else "")


def int_arg(name: str, default: int | None, lo: int | None = None, hi: int | None = None) -> int | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        abort(400, description=f"the parameter {name!r} must be a whole number, not {raw!r}")
    if lo is not None:
        value = max(lo, value)
    if hi is not None:
        value = min(hi, value)
    return value


def type_label(key: str) -> str:
    return TYPES_BY_KEY[key].label if key in TYPES_BY_KEY else key.capitalize()


@bp.get("/network", defaults={"as_json": False})
@bp.get("/network.json", defaults={"as_json": True})
def focus_view(as_json: bool):
    store = get_store()
    focus_text = request.args.get("focus", "").strip()
    hops = int_arg("hops", 1, 1, 2)
    types = [t for t in request.args.getlist("types") if t]
    cap = int_arg("cap", NEIGHBOURHOOD_CAP, 5, 500)
    context: dict = {"query": {"focus": focus_text, "hops": hops, "types": types, "cap": cap}, "error": None,
                     "result": None, "type_labels": {t.key: t.label for t in TYPES_BY_KEY.values()}}
    if not focus_text:
        return respond("network.html", context, as_json)
    try:
        focus = entity_graph(store).resolve(focus_text)
    except AnalyticsError as exc:
        context["error"] = str(exc)
        return respond("network.html", context, as_json, 404)
    context["result"] = neighbourhood(store, focus, hops=hops, types=types or None, cap=cap)
    return respond("network.html", context, as_json)


@bp.get("/network/overview", defaults={"as_json": False})
@bp.get("/network/overview.json", defaults={"as_json": True})
def overview_view(as_json: bool):
    store = get_store()
    year_from = int_arg("from", None)
    year_to = int_arg("to", None)
    types = [t for t in request.args.getlist("types") if t]
    regions = [r for r in request.args.getlist("region") if r]
    grades = [g for g in request.args.getlist("grade") if g]
    cap = int_arg("cap", OVERVIEW_CAP, 10, 1000)
    try:
        result = overview(store, regions=regions, grades=grades, year_from=year_from, year_to=year_to,
                          types=types or None, cap=cap)
    except AnalyticsError as exc:
        abort(400, description=str(exc))
    context = {"result": result, "cap": cap, "type_labels": {t.key: t.label for t in TYPES_BY_KEY.values()}}
    return respond("network_overview.html", context, as_json)
