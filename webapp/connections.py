"""Connections: "how is X connected to Y?" (/connections) and the most connected people and
organisations (/connections/central), each with a .json twin; /connections/lookup.json offers
entity names for the pickers."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from graph.analytics import RANKABLE, TYPES_BY_KEY, AnalyticsError, connections, entity_graph, most_central
from graph.network import entity_url, paths_network
from webapp import get_store
from webapp.network import int_arg, respond

bp = Blueprint("connections", __name__)

TYPE_LABELS = {t.key: t.label for t in TYPES_BY_KEY.values()}


@bp.get("/connections", defaults={"as_json": False})
@bp.get("/connections.json", defaults={"as_json": True})
def paths_view(as_json: bool):
    store = get_store()
    a = request.args.get("from", "").strip()
    b = request.args.get("to", "").strip()
    max_paths = int_arg("max", 3, 1, 10)
    include_reports = request.args.get("reports") in ("1", "true", "on")
    context: dict = {"query": {"from": a, "to": b, "max": max_paths, "reports": include_reports},
                     "error": None, "result": None, "network": None, "type_labels": TYPE_LABELS}
    if not (a and b):
        return respond("connections.html", context, as_json)
    try:
        result = connections(store, a, b, max_paths=max_paths, include_reports=include_reports)
    except AnalyticsError as exc:
        context["error"] = str(exc)
        return respond("connections.html", context, as_json, 404)
    base = store.minter.base
    for node in (result["from"], result["to"], *(n for p in result["paths"] for n in p["nodes"])):
        node["url"] = entity_url(node["iri"], base)
    context["result"] = result
    if result["paths"]:
        context["network"] = paths_network(store, [[n["iri"] for n in p["nodes"]] for p in result["paths"]])
    return respond("connections.html", context, as_json)


@bp.get("/connections/central", defaults={"as_json": False})
@bp.get("/connections/central.json", defaults={"as_json": True})
def central_view(as_json: bool):
    store = get_store()
    types = [t for t in request.args.getlist("type") if t] or list(RANKABLE)
    measure = request.args.get("measure", "degree")
    top = int_arg("top", 20, 1, 200)
    context: dict = {"query": {"types": types, "measure": measure, "top": top}, "error": None, "result": None,
                     "type_labels": TYPE_LABELS, "rankable": list(RANKABLE)}
    try:
        result = most_central(store, types=types, measure=measure, top=top)
    except AnalyticsError as exc:
        context["error"] = str(exc)
        return respond("connections_central.html", context, as_json, 400)
    for row in result["rows"]:
        row["url"] = entity_url(row["iri"], store.minter.base)
    context["result"] = result
    return respond("connections_central.html", context, as_json)


@bp.get("/connections/lookup.json")
def lookup():
    """Entities whose name matches q: exact, then prefix, then substring; best connected first."""
    q = request.args.get("q", "")
    types = [t for t in request.args.getlist("type") if t] or None
    eg = entity_graph(get_store())
    hits = eg.find(q, limit=int_arg("limit", 10, 1, 50), types=types)
    return jsonify({"q": q, "results": [
        {"iri": n, "label": eg.label(n), "type": eg.type_of(n), "type_label": TYPE_LABELS.get(eg.type_of(n), "")}
        for n in hits
    ]})
