"""The query workbench (/workbench): YASGUI against /sparql with our prefixes, the query library as
examples, and result views for networks and charts. /workbench/labels.json names IRIs for the
network view."""

from __future__ import annotations

import re

from flask import Blueprint, jsonify, request, url_for

import queries as query_library
from graph.analytics import TYPES_BY_KEY, entity_graph
from graph.network import entity_url
from graph.query import QueryError, coerce_param
from graph.sparql import BindingError, bind_values
from ontology.namespace import PREFIXES
from webapp import get_store
from webapp.network import respond

bp = Blueprint("workbench", __name__)

MAX_LABELS = 2000
DEFAULT_QUERY_BODY = """SELECT ?council ?name WHERE {
  ?council a cs:LocalAuthority ;
           skos:prefLabel ?name .
}
ORDER BY ?name
LIMIT 50
"""


def _prefixes() -> dict[str, str]:
    out = {k: str(v) for k, v in PREFIXES.items()}
    out["id"] = get_store().minter.base + "id/"
    return out


def _prefix_block(prefixes: dict[str, str], names: list[str]) -> str:
    return "".join(f"PREFIX {k}: <{prefixes[k]}>\n" for k in names if k in prefixes)


def example_text(q) -> str:
    """A library query ready to run: parameters with defaults bound as VALUES (as the library page
    runs it); those without a default are left for the user to fill in."""
    bindings = {}
    for p in q.params:
        if p.default is not None:
            try:
                bindings[p.name] = coerce_param(p.default, p.type)
            except QueryError:
                continue
    try:
        text = bind_values(q.sparql, bindings)
    except BindingError:
        text = q.sparql
    # typed values as people write them: 2000, "2019-04-01"^^xsd:date
    text = re.sub(r'"(-?\d+)"\^\^<http://www\.w3\.org/2001/XMLSchema#integer>', r"\1", text)
    text = re.sub(r"\^\^<http://www\.w3\.org/2001/XMLSchema#(\w+)>", r"^^xsd:\1", text)
    missing = [p for p in q.params if p.default is None]
    if missing:
        note = "".join(f"# bind ?{p.name} ({p.type}): {p.description}\n" for p in missing)
        text = note + text
    if "PREFIX" not in text.upper():
        text = _prefix_block(_prefixes(), ["cs", "skos", "org", "foaf", "schema", "dcterms", "prov", "grade", "area", "xsd"]) + text
    return text


@bp.get("/workbench", defaults={"as_json": False})
@bp.get("/workbench.json", defaults={"as_json": True})
def page(as_json: bool):
    prefixes = _prefixes()
    try:
        lib = query_library.library()
    except query_library.LibraryError:
        lib = {}
    examples = [{"name": q.name, "title": q.title, "description": q.description, "view": q.view,
                 "query": example_text(q), "page": url_for("library.query_page", as_json=False, name=q.name)} for q in lib.values()]
    selected = request.args.get("example", "")
    context = {
        "endpoint": url_for("sparql.endpoint"),
        "labels_url": url_for("workbench.labels"),
        "prefixes": prefixes,
        "default_query": _prefix_block(prefixes, ["cs", "skos", "org", "foaf", "schema", "dcterms", "prov", "grade", "area"])
        + "\n" + DEFAULT_QUERY_BODY,
        "examples": examples,
        "selected": selected if selected in lib else "",
        "views": ["table", "timeline", "bar", "graph"],
    }
    return respond("workbench.html", context, as_json)


@bp.post("/workbench/labels.json")
def labels():
    """IRIs -> labels, types and pages, for drawing result rows as a network."""
    data = request.get_json(silent=True) or {}
    iris = [i for i in data.get("iris", []) if isinstance(i, str)][:MAX_LABELS]
    store = get_store()
    eg = entity_graph(store)
    out = {}
    for iri in iris:
        t = TYPES_BY_KEY.get(eg.type_of(iri) or "")
        out[iri] = {"label": eg.label(iri), "type": t.key if t else None, "type_label": t.label if t else "Resource",
                    "color": t.color if t else "#adb5bd", "shape": t.shape if t else "dot",
                    "url": entity_url(iri, store.minter.base)}
    return jsonify(out)
