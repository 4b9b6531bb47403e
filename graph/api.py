"""cskg from Python (a notebook, a script): open a store, run a library query or any SPARQL with
parameters, get rows as dicts or a pandas DataFrame, export RDF.

    import cskg
    store = cskg.open("var/store")
    cskg.load(store, "data/samples", reference=True)
    rows = cskg.query(store, "councils-by-latest-grade", region="South East")
    rows.dicts()[:3]; rows.to_dataframe()
    cskg.export(store, "west-sussex.ttl", entity=...)
"""

from __future__ import annotations

import builtins
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from rdflib import BNode, Literal, URIRef

import queries as query_library
from graph.export import export_construct, export_entity, export_store
from graph.query import QueryError, run_query
from graph.store import Store, open_store


def open(location: str | os.PathLike[str] | None = None, *, base: str | None = None) -> Store:  # noqa: A001
    """Open a store: a folder (default ./var/store or $CSKG_STORE), ":memory:", or a
    sparql+http://host:port/... server. Use it in a `with` block, or call `.close()`."""
    return open_store(str(location) if location is not None else None, base=base)


def load(store: Store, paths, *, reference: bool = False) -> str:
    """Load report files or folders (unchanged files are skipped); with `reference=True` also the
    bundled council register and Ofsted outcomes. Returns the one-line summary."""
    from graph.load import load_paths

    if reference:
        from graph.reference import load_reference, reference_loaded

        if not reference_loaded(store):
            load_reference(store, echo=lambda *a, **k: None)
    return load_paths(store, [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)).line()


def _value(term):
    """An RDF term as a plain Python value: IRIs and blank nodes as text, literals as their
    Python value (int, Decimal, date, ...) where rdflib knows one, else as text."""
    if term is None:
        return None
    if isinstance(term, (URIRef, BNode)):
        return str(term)
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)


@dataclass
class Rows:
    """A query's results: `vars` (column names) and `terms` (rows of rdflib terms, None if unbound)."""

    vars: list[str]
    terms: list[list]

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self) -> Iterator[dict]:
        return iter(self.dicts())

    def dicts(self) -> list[dict]:
        """Rows as dicts of plain Python values."""
        return [{v: _value(t) for v, t in zip(self.vars, row)} for row in self.terms]

    def to_dataframe(self):
        """A pandas DataFrame (pandas is not a dependency of cskg: install it to use this)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("to_dataframe() needs pandas: pip install pandas") from None
        return pd.DataFrame(self.dicts(), columns=self.vars)


def library() -> dict[str, str]:
    """The query library: name -> title."""
    return {name: q.title for name, q in query_library.library().items()}


def query(store: Store, name_or_sparql: str, **params: object) -> Rows:
    """Run a library query by name (parameters as keyword arguments, e.g. `council_name="Sussex"`),
    a .rq file, or SELECT text. Raises graph.query.QueryError with a plain message."""
    result = run_query(store, name_or_sparql, {k: str(v) for k, v in params.items()})
    if result.type != "SELECT":
        raise QueryError(f"query() returns tables; this is a {result.type} query (use export(construct=...))")
    vars_ = [str(v) for v in result.vars]
    return Rows(vars_, [[row[i] for i in range(len(vars_))] for row in result])


def export(store: Store, out: str | os.PathLike[str] | IO[bytes], fmt: str = "turtle", *, graph: str | None = None,
           entity: str | None = None, construct: str | None = None) -> None:
    """Write RDF to a path or binary file: the whole store, one `graph`, one `entity` with the
    evidence of each fact, or the graph of a `construct` query. Formats: turtle, trig, nquads,
    ntriples, jsonld."""
    if sum(x is not None for x in (graph, entity, construct)) > 1:
        raise ValueError("give at most one of graph=, entity=, construct=")
    if isinstance(out, (str, os.PathLike)):
        with builtins.open(out, "wb") as fh:
            export(store, fh, fmt, graph=graph, entity=entity, construct=construct)
        return
    if entity is not None:
        export_entity(store, entity, out, fmt)
    elif construct is not None:
        export_construct(store, construct, out, fmt)
    else:
        export_store(store, out, fmt, graph)


__all__ = ["open", "load", "query", "export", "library", "Rows"]
