"""Blueprint registration: every part of the explorer registers here."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from webapp import home, sparql

    app.register_blueprint(home.bp)
    app.register_blueprint(sparql.bp)
