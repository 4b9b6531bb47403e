"""Running queries (text, .rq files or library names) and formatting their results."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.query import Result

from graph.sparql import BindingError
from graph.store import Store

import queries as query_library


class QueryError(Exception):
    pass


def coerce_param(value: str, type_: str):
    """User text -> a typed RDF term for a library parameter."""
    from ontology.namespace import XSD

    try:
        if type_ == "iri":
            return URIRef(value.strip())
        if type_ == "integer":
            return Literal(int(value), datatype=XSD.integer)
        if type_ == "decimal":
            from decimal import Decimal

            return Literal(Decimal(value), datatype=XSD.decimal)
        if type_ == "year":
            return Literal(int(value), datatype=XSD.integer)
        if type_ == "date":
            import datetime as dt

            return Literal(dt.date.fromisoformat(value.strip()).isoformat(), datatype=XSD.date)
        if type_ == "boolean":
            return Literal(value.strip().lower() in ("1", "true", "yes"), datatype=XSD.boolean)
        return Literal(value)
    except (ValueError, ArithmeticError):
        raise QueryError(f"{value!r} is not a valid {type_}") from None


def resolve_query(text: str) -> tuple[str, dict[str, tuple[str, str | None]]]:
    """Query text, a path to a .rq file, or a library name -> (sparql, declared params)."""
    lib = query_library.get(text)
    if lib is not None:
        return lib.sparql, {p.name: (p.type, p.default) for p in lib.params}
    if text.endswith(".rq"):
        path = Path(text)
        if not path.exists():
            raise QueryError(f"no such query file: {text}")
        parsed = query_library.parse_query_file(path)
        return parsed.sparql, {p.name: (p.type, p.default) for p in parsed.params}
    if not any(k in text.upper() for k in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")):
        names = ", ".join(sorted(query_library.library())) or "(none yet)"
        raise QueryError(f"{text!r} is neither a SPARQL query, a .rq file nor a library query; library queries: {names}")
    return text, {}


def run_query(store: Store, text: str, params: dict[str, str] | None = None) -> Result:
    sparql, declared = resolve_query(text)
    params = params or {}
    unknown = set(params) - set(declared)
    if unknown:
        raise QueryError(f"unknown parameter(s): {', '.join(sorted(unknown))}; this query takes: {', '.join(declared) or 'none'}")
    bindings = {}
    for name, (type_, default) in declared.items():
        value = params.get(name, default)
        if value is None:
            raise QueryError(f"parameter {name!r} ({type_}) is required: --param {name}=...")
        bindings[name] = coerce_param(value, type_)
    try:
        return store.query(sparql, bindings=bindings)
    except BindingError as exc:
        raise QueryError(str(exc)) from None
    except (SyntaxError, ValueError, RuntimeError, OSError) as exc:
        raise QueryError(f"the query failed: {exc}") from None


def run_library_query(store: Store, name: str, params: dict[str, str] | None = None) -> tuple[list[str], list[list]]:
    """Run the library query `name` with parameters given as text -> (variable names, rows of
    rdflib terms, None where unbound). Raises QueryError for unknown names and bad parameters."""
    if query_library.get(name) is None:
        names = ", ".join(sorted(query_library.library()))
        raise QueryError(f"no library query named {name!r}; the library has: {names}")
    result = run_query(store, name, params)
    if result.type != "SELECT":
        raise QueryError(f"library query {name!r} is a {result.type} query, not a table")
    vars_ = [str(v) for v in result.vars]
    return vars_, [[row[i] for i in range(len(vars_))] for row in result]


def _cell(term) -> str:
    return "" if term is None else str(term)


def format_result(result: Result, fmt: str) -> str:
    if result.type == "ASK":
        return json.dumps({"boolean": bool(result.askAnswer)}) + "\n" if fmt == "json" else f"{bool(result.askAnswer)}\n"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return result.graph.serialize(format="json-ld" if fmt == "json" else "turtle")
    vars_ = [str(v) for v in result.vars]
    rows = [[_cell(row[i]) for i in range(len(vars_))] for row in result]
    if fmt == "json":
        return result_json(vars_, rows) + "\n"
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(vars_)
        writer.writerows(rows)
        return buf.getvalue()
    widths = [min(60, max([len(v)] + [len(r[i]) for r in rows])) for i, v in enumerate(vars_)]

    def fit(s: str, w: int) -> str:
        return s if len(s) <= w else s[: w - 1] + "…"

    lines = ["  ".join(v.ljust(w) for v, w in zip(vars_, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(fit(c, w).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def result_json(vars_: list[str], rows: list[list[str]]) -> str:
    return json.dumps([dict(zip(vars_, r)) for r in rows], indent=2, ensure_ascii=False)


ENTITY_CLASSES = [
    ("councils", "cs:LocalAuthority"),
    ("organisations", "org:Organization"),
    ("people", "foaf:Person"),
    ("memberships", "org:Membership"),
    ("inspections", "cs:Inspection"),
    ("judgements", "cs:Judgement"),
    ("recommendations", "cs:Recommendation"),
    ("interventions", "cs:Intervention"),
    ("programmes", "cs:Programme"),
    ("grants", "schema:MonetaryGrant"),
    ("reports", "schema:Report"),
]


def store_stats(store: Store) -> dict:
    """Counts from the metadata graph (no full-store COUNT) plus distinct entities per class."""
    sources = store.sources()
    kinds = {"report": 0, "reference": 0}
    for rec in sources:
        kinds[rec.kind] = kinds.get(rec.kind, 0) + 1
    values = " ".join(f"({cls} \"{label}\")" for label, cls in ENTITY_CLASSES)
    counts = {label: 0 for label, _ in ENTITY_CLASSES}
    rows = store.query(
        f"SELECT ?label (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES (?cls ?label) {{ {values} }} ?s a ?cls }} GROUP BY ?label"
    )
    for row in rows:
        counts[str(row[0])] = int(row[1])
    return {
        "store": store.location,
        "sources": kinds,
        "graphs": len(sources),
        "triples": sum(rec.triple_count for rec in sources),
        "entities": counts,
        "source_list": [
            {"kind": r.kind, "source_file": r.source_file, "graph": str(r.graph), "triples": r.triple_count,
             "sha256": r.sha256, "loaded_at": r.loaded_at}
            for r in sources
        ],
    }
