"""Blueprint registration: every part of the explorer registers here."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from webapp import home, sparql

    app.register_blueprint(home.bp)
    app.register_blueprint(sparql.bp)

    from webapp import entities, pages, reports, resource, search

    for module in (pages, entities, reports, resource, search):
        app.register_blueprint(module.bp)

    from webapp import connections, library, network, workbench

    for module in (network, connections, workbench, library):
        app.register_blueprint(module.bp)
