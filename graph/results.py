"""SPARQL results (graph.executor.Outcome) written as the W3C formats, as byte chunks so a web
response can stream them: sparql-results+json / +xml, CSV, TSV; graph results via graph.export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from graph.executor import Outcome, Term, decode_term

RESULT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}

_CHUNK = 500


def _json_term(t: Term) -> dict:
    if t[0] == "uri":
        return {"type": "uri", "value": t[1]}
    if t[0] == "bnode":
        return {"type": "bnode", "value": t[1]}
    out = {"type": "literal", "value": t[1]}
    if t[3]:
        out["xml:lang"] = t[3]
    elif t[2]:
        out["datatype"] = t[2]
    return out


def _json(outcome: Outcome) -> Iterator[bytes]:
    if outcome.kind == "ASK":
        yield json.dumps({"head": {}, "boolean": bool(outcome.boolean)}).encode()
        return
    yield (json.dumps({"head": {"vars": outcome.vars}})[:-1] + ',"results":{"bindings":[').encode()
    names = outcome.vars
    for start in range(0, len(outcome.rows), _CHUNK):
        chunk = outcome.rows[start : start + _CHUNK]
        text = ",".join(
            json.dumps({n: _json_term(v) for n, v in zip(names, row) if v is not None}, ensure_ascii=False)
            for row in chunk
        )
        yield ((",\n" if start else "\n") + text).encode()
    yield b"\n]}}\n"


def _xml_term(t: Term) -> str:
    if t[0] == "uri":
        return f"<uri>{escape(t[1])}</uri>"
    if t[0] == "bnode":
        return f"<bnode>{escape(t[1])}</bnode>"
    if t[3]:
        return f"<literal xml:lang={quoteattr(t[3])}>{escape(t[1])}</literal>"
    if t[2]:
        return f"<literal datatype={quoteattr(t[2])}>{escape(t[1])}</literal>"
    return f"<literal>{escape(t[1])}</literal>"


def _xml(outcome: Outcome) -> Iterator[bytes]:
    head = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>'
    if outcome.kind == "ASK":
        yield f"{head}</head>\n<boolean>{'true' if outcome.boolean else 'false'}</boolean>\n</sparql>\n".encode()
        return
    yield (head + "".join(f"<variable name={quoteattr(v)}/>" for v in outcome.vars) + "</head>\n<results>\n").encode()
    for start in range(0, len(outcome.rows), _CHUNK):
        parts = []
        for row in outcome.rows[start : start + _CHUNK]:
            cells = "".join(
                f"<binding name={quoteattr(n)}>{_xml_term(v)}</binding>" for n, v in zip(outcome.vars, row) if v is not None
            )
            parts.append(f"<result>{cells}</result>\n")
        yield "".join(parts).encode()
    yield b"</results>\n</sparql>\n"


def csv_value(t: Term | None) -> str:
    if t is None:
        return ""
    return ("_:" + t[1]) if t[0] == "bnode" else t[1]


def _csv(outcome: Outcome) -> Iterator[bytes]:
    if outcome.kind == "ASK":
        yield f"boolean\r\n{'true' if outcome.boolean else 'false'}\r\n".encode()
        return
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(outcome.vars)
    for start in range(0, len(outcome.rows), _CHUNK):
        writer.writerows([csv_value(v) for v in row] for row in outcome.rows[start : start + _CHUNK])
        yield buf.getvalue().encode()
        buf.seek(0)
        buf.truncate()
    if not outcome.rows:
        yield buf.getvalue().encode()


def _tsv_value(t: Term | None) -> str:
    # N-Triples syntax, as the TSV results format requires; pyoxigraph escapes tabs and newlines
    return "" if t is None else str(decode_term(t))


def _tsv(outcome: Outcome) -> Iterator[bytes]:
    if outcome.kind == "ASK":
        yield f"?boolean\n{'true' if outcome.boolean else 'false'}\n".encode()
        return
    yield ("\t".join("?" + v for v in outcome.vars) + "\n").encode()
    for start in range(0, len(outcome.rows), _CHUNK):
        yield "".join("\t".join(_tsv_value(v) for v in row) + "\n" for row in outcome.rows[start : start + _CHUNK]).encode()


def write_results(outcome: Outcome, fmt: str) -> Iterator[bytes]:
    """SELECT / ASK results in one of RESULT_FORMATS, as chunks."""
    return {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[fmt](outcome)


def outcome_triples(outcome: Outcome) -> list[ox.Triple]:
    return [ox.Triple(decode_term(s), decode_term(p), decode_term(o)) for s, p, o in outcome.triples]
