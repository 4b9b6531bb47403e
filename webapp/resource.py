"""Linked data: entity IRIs under the configured base resolve at /id/<rest>; any other IRI at
/resource?iri=. Content negotiation (Accept: text/turtle, application/ld+json,
application/n-triples, application/json) or a suffix (.ttl, .jsonld, .nt, .json) picks RDF or
the page's JSON twin; HTML otherwise."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, request
from rdflib import URIRef

from graph.explore import description_graph
from graph.sparql import BindingError, term_to_sparql
from ontology.namespace import PREFIXES
from webapp import get_store
from webapp.entities import entity_context
from webapp.pages import not_found, page

bp = Blueprint("resource", __name__)

# suffix -> (media type, rdflib format); "json" is the page's JSON twin, not RDF
SUFFIXES = {
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "nt": ("application/n-triples", "nt"),
    "json": ("application/json", None),
}
BY_MEDIA_TYPE = {mt: suffix for suffix, (mt, _f) in SUFFIXES.items()}


def negotiate() -> str | None:
    """The suffix the Accept header asks for, or None for HTML (browsers, */*)."""
    best = request.accept_mimetypes.best_match(["text/html", *BY_MEDIA_TYPE])
    return BY_MEDIA_TYPE.get(best) if best else None


def valid_iri(text: str) -> bool:
    try:
        term_to_sparql(URIRef(text))
    except BindingError:
        return False
    return ":" in text


def split_suffix(rest: str) -> tuple[str, str | None]:
    head, dot, ext = rest.rpartition(".")
    if dot and ext in SUFFIXES:
        return head, ext
    return rest, None


def respond(iri: URIRef, suffix: str | None, alternates: dict[str, str]):
    store = get_store()
    as_json = suffix == "json"
    if suffix in SUFFIXES and not as_json:
        media_type, fmt = SUFFIXES[suffix]
        graph = description_graph(store, iri)
        if len(graph) == 0:
            return not_found(f"Nothing is known about {iri}.")
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, str(ns))
        return Response(graph.serialize(format=fmt), mimetype=media_type)
    found = entity_context(store, iri)
    if found is None:
        return not_found(f"Nothing is known about {iri}.", as_json=as_json)
    template, ctx = found
    ctx["alternates"] = alternates
    return page(template, ctx, as_json=as_json)


@bp.get("/id/<path:rest>")
def by_id(rest: str):
    rest, suffix = split_suffix(rest)
    if suffix is None:
        suffix = negotiate()
    store = get_store()
    iri = URIRef(str(store.minter.id) + rest)
    if not valid_iri(str(iri)):
        return not_found(f"{rest} is not a valid identifier.", as_json=suffix == "json")
    alternates = {s: f"/id/{rest}.{s}" for s in SUFFIXES}
    return _vary(respond(iri, suffix, alternates))


@bp.get("/resource")
@bp.get("/resource.<suffix>")
def by_iri(suffix: str | None = None):
    raw = (request.args.get("iri") or "").strip()
    if suffix is not None and suffix not in SUFFIXES:
        return not_found(f"There is no {suffix} format; use one of {', '.join(SUFFIXES)}.")
    if suffix is None:
        suffix = negotiate()
    if not valid_iri(raw):
        return not_found("Give a valid IRI in the iri parameter, e.g. /resource?iri=https://…",
                         as_json=suffix == "json")
    base = str(get_store().minter.id)
    alternates = {s: f"/resource.{s}?iri={quote(raw, safe='')}" for s in SUFFIXES}
    if raw.startswith(base):
        alternates = {s: f"/id/{raw[len(base):]}.{s}" for s in SUFFIXES}
    return _vary(respond(URIRef(raw), suffix, alternates))


def _vary(resp):
    resp.headers["Vary"] = "Accept"
    return resp
