"""SPARQL text helpers shared by every backend."""

from __future__ import annotations

import re

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

_VAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


class BindingError(ValueError):
    pass


def term_to_sparql(term: Identifier) -> str:
    """Serialise one RDF term for a VALUES block. IRIs are checked against the characters an
    IRIREF may not contain; literals are escaped by rdflib. User text can never close the term."""
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise BindingError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    if isinstance(term, BNode):
        raise BindingError("blank nodes cannot be bound as query parameters")
    raise BindingError(f"cannot bind {term!r}")


def _pattern_open_brace(sparql: str) -> int:
    """Index of the '{' that opens the query's WHERE pattern, skipping comments, strings and IRIs.
    For CONSTRUCT queries with a template, it is the group after the template."""
    i, n = 0, len(sparql)
    depth = 0
    groups_closed_at_top = 0
    is_construct_template = None
    while i < n:
        c = sparql[i]
        if c == "#":
            nl = sparql.find("\n", i)
            i = n if nl < 0 else nl + 1
            continue
        if c in "\"'":
            long = sparql[i : i + 3] in ('"""', "'''")
            quote = sparql[i : i + 3] if long else c
            j = i + len(quote)
            while j < n:
                if sparql[j] == "\\":
                    j += 2
                    continue
                if sparql.startswith(quote, j):
                    break
                j += 1
            i = j + len(quote)
            continue
        if c == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", sparql[i:]):
            i = sparql.index(">", i) + 1
            continue
        if c == "{":
            if depth == 0:
                if is_construct_template is None:
                    head = re.sub(r"#[^\n]*", "", sparql[:i])
                    is_construct_template = bool(re.search(r"\bCONSTRUCT\s*$", head, re.I))
                if not (is_construct_template and groups_closed_at_top == 0):
                    return i
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                groups_closed_at_top += 1
        i += 1
    raise BindingError("the query has no WHERE pattern to bind parameters into")


def bind_values(sparql: str, bindings: dict[str, Identifier]) -> str:
    """Bind variables by inserting `VALUES ?var { term }` at the start of the WHERE pattern, and
    into every subquery that uses the variable (a subquery does not see the outer VALUES, so a
    parameter must be given to it where it is used). Works on every SPARQL 1.1 engine and never
    pastes raw user text into the query.

    Inside expressions (FILTER, BIND, function arguments) the variable is also replaced by the
    term itself: the answer is the same (the VALUES binds it to that one term everywhere), but a
    planner can then push a filter down to the pattern it narrows. Oxigraph cannot see through a
    VALUES join: `FILTER(CONTAINS(?name, ?council_name))` was checked after every OPTIONAL of
    every council had been read (4-5x slower on a 10,000-report store)."""
    if not bindings:
        return sparql
    values, terms = {}, {}
    for name, term in bindings.items():
        if not _VAR_NAME.match(name):
            raise BindingError(f"not a variable name: {name!r}")
        terms[name] = term_to_sparql(term)
        values[name] = f"VALUES ?{name} {{ {terms[name]} }}"
    edits = [(_pattern_open_brace(sparql) + 1, 0, " " + " ".join(values.values()) + " ")]
    for start, end in _subquery_groups(sparql):
        used = {m.group()[1:] for m in _TOKEN.finditer(sparql, start, end) if m.lastgroup == "var"}
        rows = [row for name, row in values.items() if name in used]
        if rows:
            edits.append((start + 1, 0, " " + " ".join(rows) + " "))
    edits.extend((at, len(name) + 1, terms[name]) for at, name in _expression_uses(sparql, set(terms)))
    for at, length, text in sorted(edits, reverse=True):
        sparql = sparql[:at] + text + sparql[at + length:]
    return sparql


def _expression_uses(sparql: str, names: set[str]) -> list[tuple[int, str]]:
    """(index, name) of each use of a variable in `names` where a constant may stand instead:
    directly inside parentheses (an expression), not as the target of `AS`, not as the argument
    of BOUND, and not inside a group pattern nested in an expression (EXISTS { ... })."""
    out: list[tuple[int, str]] = []
    brackets: list[tuple[str, str]] = []  # (bracket, the word before it)
    previous = ""
    for m in _TOKEN.finditer(sparql):
        kind, text = m.lastgroup, m.group()
        if kind in ("ws", "comment"):
            continue
        if kind == "other" and text in "({[":
            brackets.append((text, previous))
        elif kind == "other" and text in ")}]" and brackets:
            brackets.pop()
        elif (kind == "var" and text[1:] in names and brackets and brackets[-1][0] == "("
              and brackets[-1][1] != "BOUND" and previous != "AS"):
            out.append((m.start(), text[1:]))
        previous = text.upper() if kind == "word" else text
    return out


def _subquery_groups(sparql: str) -> list[tuple[int, int]]:
    """(start, end) of the WHERE group of every nested SELECT: '{' index and its '}' index."""
    groups: list[tuple[int, int]] = []
    stack: list[tuple[int, bool]] = []  # (position of '{', opens a subquery pattern)
    pending_depth: int | None = None
    for m in _TOKEN.finditer(sparql):
        kind, text = m.lastgroup, m.group()
        if kind == "word" and text.upper() == "SELECT" and stack:
            pending_depth = len(stack)
        elif kind == "other" and text == "{":
            opens = pending_depth is not None and len(stack) == pending_depth
            if opens:
                pending_depth = None
            stack.append((m.start(), opens))
        elif kind == "other" and text == "}" and stack:
            start, opens = stack.pop()
            if opens:
                groups.append((start, m.start()))
    return groups


class ForbiddenQuery(ValueError):
    """A query the read-only endpoint refuses (an update, SERVICE, LOAD); the message says why."""


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
      |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00B7]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<bnode>_:[\w.\-]+)
  | (?P<pname>(?:[^\W\d][\w.\-]*)?:(?:[\w.\-:%]|\\.)*)
  | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>.)
    """,
    re.X | re.S,
)

_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING"}


def keywords(sparql: str) -> list[str]:
    """The bare words of a query, upper-cased, outside comments, strings, IRIs, variables and
    prefixed names: the only places a SPARQL keyword can be."""
    return [m.group().upper() for m in _TOKEN.finditer(sparql) if m.lastgroup == "word"]


def check_read_only(sparql: str) -> None:
    """Refuse anything but a plain query: updates (in any case, behind comments or strings),
    LOAD, and SERVICE, which would make the server fetch URLs chosen by whoever sent the query."""
    # SPARQL allows \u escapes anywhere; read the query both ways so neither reading hides a keyword
    words = set(keywords(sparql)) | set(keywords(_unescape_codepoints(sparql)))
    # Oxigraph's grammar needs no space after SERVICE ("SERVICESILENT<...>", "SERVICE:x"), so a
    # word or prefixed name that merely starts with it is refused too
    glued = {
        m.group().upper()
        for text in (sparql, _unescape_codepoints(sparql))
        for m in _TOKEN.finditer(text)
        if m.lastgroup in ("word", "pname")
    }
    if any(w.startswith("SERVICE") for w in words | glued):
        raise ForbiddenQuery("SERVICE (federated query) is not allowed here: this endpoint never fetches other URLs")
    found = sorted(words & _UPDATE_WORDS)
    if found:
        raise ForbiddenQuery(f"this endpoint is read-only: SPARQL updates ({', '.join(found)}) are refused")


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape_codepoints(sparql: str) -> str:
    def sub(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:
            return m.group()

    return _CODEPOINT.sub(sub, sparql)
