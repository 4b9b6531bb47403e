"""Home page: what is in the graph."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from graph.query import store_stats
from webapp import get_store

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    return render_template("home.html", stats=store_stats(get_store()))


@bp.get("/index.json")
def index_json():
    return jsonify(store_stats(get_store()))
