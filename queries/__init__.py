"""The research query library: one .rq file per question, each with a metadata header.

Header lines come first, each `# key: value`:

    # title: Councils by latest overall grade
    # description: One row per council with its most recent overall effectiveness grade.
    # view: table            (table | timeline | graph | bar)
    # param: year (integer) = 2023 -- the year of publication
    # param: council (iri) -- a council's IRI (no default: required)
    # param: name (string) = "" -- a quoted default may be empty (here: match everything)

Optional chart hints for the web pages: `# date: ?var` (timeline), `# label: ?var` and
`# value: ?var` (bar chart, timeline lanes).

The queries in this folder give every parameter a default, so each runs as it is, and stay fast on Oxigraph: compute
"latest" and "next" with GROUP BY subqueries rather than FILTER NOT EXISTS over pairs, and LIMIT.

Parameters are bound as typed RDF terms through a VALUES block (graph.sparql.bind_values),
never by pasting text into the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

QUERY_DIR = Path(__file__).resolve().parent

PARAM_TYPES = ("iri", "string", "integer", "decimal", "date", "year", "boolean")
VIEWS = ("table", "timeline", "graph", "bar")

_PARAM_RE = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<type>\w+)\)\s*(?:=\s*(?P<default>.*?))?\s*(?:--\s*(?P<desc>.*))?$"
)


class LibraryError(ValueError):
    pass


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    description: str = ""


@dataclass(frozen=True)
class LibraryQuery:
    name: str
    title: str
    description: str
    view: str
    params: tuple[Param, ...]
    sparql: str
    path: Path
    extra: dict = field(default_factory=dict, hash=False, compare=False)


def _default(text: str | None) -> str | None:
    if not text:
        return None
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def parse_query_file(path: Path) -> LibraryQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = re.match(r"#\s*([a-z-]+)\s*:\s*(.*)$", line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "param":
            pm = _PARAM_RE.match(value)
            if not pm or pm.group("type") not in PARAM_TYPES:
                raise LibraryError(f"{path.name}: cannot read parameter line {value!r}")
            params.append(Param(pm.group("name"), pm.group("type"), _default(pm.group("default")), pm.group("desc") or ""))
        elif key in meta:
            meta[key] += " " + value
        else:
            meta[key] = value
    if "title" not in meta:
        raise LibraryError(f"{path.name}: the header has no '# title:' line")
    view = meta.get("view", "table")
    if view not in VIEWS:
        raise LibraryError(f"{path.name}: unknown view {view!r} (one of {', '.join(VIEWS)})")
    return LibraryQuery(path.stem, meta["title"], meta.get("description", ""), view, tuple(params), text, path,
                        {k: v for k, v in meta.items() if k not in ("title", "description", "view")})


@lru_cache(maxsize=1)
def library() -> dict[str, LibraryQuery]:
    return {p.stem: parse_query_file(p) for p in sorted(QUERY_DIR.glob("*.rq"))}


def get(name: str) -> LibraryQuery | None:
    return library().get(name)
