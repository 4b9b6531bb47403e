"""Shared page machinery: every page renders a context dict and serves the same dict as `.json`;
IRIs become links into the app (entity IRIs under the base -> /id/..., others -> /resource)."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, jsonify, make_response, render_template, request

from webapp import get_store

bp = Blueprint("pages", __name__)


def id_base() -> str:
    return str(get_store().minter.id)


@bp.app_template_global("href")
def href(iri: str | None, anchor: str | None = None) -> str:
    if not iri:
        return "#"
    base = id_base()
    path = "/id/" + iri[len(base):] if iri.startswith(base) else "/resource?iri=" + quote(iri, safe="")
    return path + (f"#{anchor}" if anchor else "")


@bp.app_template_filter("q")
def quote_param(value: str) -> str:
    """A query-string value, every reserved character escaped (IRIs carry ':' and '/')."""
    return quote(str(value), safe="")


@bp.app_template_global("json_href")
def json_href() -> str:
    """This page's .json twin."""
    path = request.path.rstrip("/") or "/index"
    qs = request.query_string.decode("latin-1")
    return path + ".json" + (f"?{qs}" if qs else "")


def page(template: str, ctx: dict, *, as_json: bool = False, status: int = 200):
    if as_json:
        response = jsonify(ctx)
        response.status_code = status
        return response
    return make_response(render_template(template, **ctx), status)


def not_found(message: str, *, as_json: bool = False):
    ctx = {"page": "error", "title": "Not found", "message": message}
    return page("error.html", ctx, as_json=as_json, status=404)

