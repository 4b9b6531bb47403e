"""/sparql: a read-only SPARQL endpoint (GET ?query= or POST), JSON results."""

from __future__ import annotations

import json

from flask import Blueprint, Response, request

from webapp import get_store

bp = Blueprint("sparql", __name__)


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    query = request.values.get("query")
    if not query:
        return Response("give a SPARQL query in the 'query' parameter\n", status=400, mimetype="text/plain")
    try:
        result = get_store().query(query)
    except (SyntaxError, ValueError, RuntimeError) as exc:
        return Response(f"query failed: {exc}\n", status=400, mimetype="text/plain")
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return Response(result.graph.serialize(format="turtle"), mimetype="text/turtle")
    return Response(result.serialize(format="json"), mimetype="application/sparql-results+json")
