"""Running queries (text, .rq files or library names) and formatting their results."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.query import Result

from graph.sparql import BindingError, bind_values
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


def _bindings(declared: dict[str, tuple[str, str | None]], params: dict[str, str]) -> dict:
    unknown = set(params) - set(declared)
    if unknown:
        raise QueryError(f"unknown parameter(s): {', '.join(sorted(unknown))}; this query takes: {', '.join(declared) or 'none'}")
    bindings = {}
    for name, (type_, default) in declared.items():
        value = params.get(name, default)
        if value is None:
            raise QueryError(f"parameter {name!r} ({type_}) is required: --param {name}=...")
        bindings[name] = coerce_param(value, type_)
    return bindings


def run_query(store: Store, text: str, params: dict[str, str] | None = None) -> Result:
    sparql, declared = resolve_query(text)
    bindings = _bindings(declared, params or {})
    try:
        return store.query(sparql, bindings=bindings)
    except BindingError as exc:
        raise QueryError(str(exc)) from None
    except (SyntaxError, ValueError, RuntimeError, OSError) as exc:
        raise QueryError(f"the query failed: {exc}") from None


def oxigraph_command() -> str | None:
    """The `oxigraph` command (PyPI package `oxigraph`): next to this Python, else on the PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.exists() else shutil.which("oxigraph")


def query_plan(text: str, params: dict[str, str] | None = None) -> str:
    """How Oxigraph will evaluate a query (text, .rq file or library name, with its parameters
    bound as `run_query` binds them), as an indented tree, without running it.

    Oxigraph plans from the query alone (its estimates come from which parts of each pattern are
    bound, not from the data), so the plan is made against an empty temporary store: the real
    store is neither read nor locked, and `cskg serve` can keep running. The default graph there
    stands for the embedded store's, which holds the union of all graphs."""
    import pyoxigraph as ox

    from ontology.namespace import PREFIXES, sparql_prefixes

    sparql, declared = resolve_query(text)
    bound = bind_values(sparql, _bindings(declared, params or {}))
    try:  # syntax errors, with the query's own line numbers (the command's count the PREFIX lines)
        ox.Store().query(bound, prefixes={k: str(v) for k, v in PREFIXES.items()})
    except SyntaxError as exc:
        raise QueryError(f"the query failed: {exc}") from None
    command = oxigraph_command()
    if command is None:
        raise QueryError("printing a plan needs the `oxigraph` command: pip install oxigraph")
    with tempfile.TemporaryDirectory(prefix="cskg-plan-") as tmp:
        empty, query_file, plan_file = Path(tmp) / "empty", Path(tmp) / "query.rq", Path(tmp) / "plan.json"
        ox.Store(str(empty))  # the command opens only a store that exists; unreferenced, it closes at once
        query_file.write_text(sparql_prefixes() + bound, encoding="utf-8")
        done = subprocess.run(
            [command, "query", "--location", str(empty), "--query-file", str(query_file),
             "--explain-file", str(plan_file), "--results-format", "tsv"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=120, check=False,
        )
        if done.returncode != 0 or not plan_file.exists():
            problem = (done.stderr or "").strip().splitlines()
            reason = problem[0].removeprefix("Error: ") if problem else "no reason given"
            raise QueryError(f"Oxigraph could not plan the query: {reason}")
        plan = json.loads(plan_file.read_text(encoding="utf-8"))
    lines: list[str] = []

    def walk(node: dict, depth: int) -> None:
        lines.append("  " * depth + node.get("name", "?"))
        for child in node.get("children", []):
            walk(child, depth + 1)

    walk(plan.get("plan", plan), 0)
    return "\n".join(lines) + "\n"


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


def store_stats(store: Store, sources: list | None = None) -> dict:
    """Counts from the metadata graph (no full-store COUNT) plus distinct entities per class;
    `sources`, the store's records when the caller has them already."""
    sources = store.sources() if sources is None else sources
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
