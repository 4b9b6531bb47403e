"""Entity pages: one dispatcher picks the page for an IRI by its type (council, person,
organisation, report, inspection, judgement, intervention, programme, recommendation), falling
back to the generic resource page; and the councils index."""

from __future__ import annotations

from flask import Blueprint, request
from rdflib import URIRef

from graph import views
from graph.explore import describe, main_type, types_of
from graph.store import Store
from webapp import get_store
from webapp.pages import page

bp = Blueprint("entities", __name__)

ENTITY_KINDS = {"inspection", "judgement", "intervention", "programme", "recommendation"}


def entity_context(store: Store, iri: URIRef) -> tuple[str, dict] | None:
    """(template, context) for an IRI, or None when the store says nothing about it."""
    # the council, person and report pages list none of the statements pointing here (a council
    # is the object of thousands): read those only for the pages that show them
    kind = main_type(types_of(store, iri))
    d = describe(store, iri, incoming=views.PAGE_INCOMING if kind in ("council", "person", "report") else None)
    if not d["outgoing"] and not d["incoming"]:
        return None
    if kind == "council":
        return "council.html", views.council(store, iri, d)
    if kind == "person":
        return "person.html", views.person(store, iri, d)
    if kind == "organisation":
        return "organisation.html", views.organisation(store, iri, d)
    if kind == "report":
        return "report.html", views.report(store, iri, d)
    if kind in ENTITY_KINDS:
        return "entity.html", views.entity(store, iri, kind, d)
    return "resource.html", views.resource(store, iri, d)


@bp.get("/councils")
@bp.get("/councils.json", endpoint="councils_json")
def councils():
    store = get_store()
    all_councils = views.councils_overview(store)
    region = request.args.get("region", "")
    grade = request.args.get("grade", "")
    shown = [
        c for c in all_councils
        if (not region or c["region"] == region)
        and (not grade or (c["grade"] or "none") == grade)
    ]
    ctx = {
        "page": "councils",
        "region": region,
        "grade": grade,
        "councils": shown,
        "total": len(all_councils),
        "region_options": sorted({c["region"] for c in all_councils}),
        "grades": [{"key": g, "label": g.replace("-", " ").capitalize()} for g in views.GRADE_ORDER]
        + [{"key": "none", "label": "Not inspected"}],
    }
    return page("councils.html", ctx, as_json=request.path.endswith(".json"))
