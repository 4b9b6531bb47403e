"""SHACL validation of the store (or one of its graphs) against ontology/shapes.ttl.

The data is exported from the store as N-Triples into one rdflib graph, together with the
vocabulary, schemes and the standard-vocabulary axioms the shapes need, and checked by pySHACL.
Each violation is reported with its focus node and the named graphs that state it.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cache

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from graph.store import Store, StoreError
from ontology import ONTOLOGY_DIR
from ontology.namespace import PREFIXES, RDF, SH, VOCAB_BASE

SHAPES_FILE = "shapes.ttl"
SUPPORT_FILES = ("axioms.ttl", "cskg.ttl", "schemes.ttl")
_PREFIXES = {**PREFIXES, "shp": VOCAB_BASE + "shapes#"}
# how many focus nodes of one shape the text lists before summarising
SHOWN_PER_SHAPE = 10


@dataclass(frozen=True)
class Violation:
    shape: str  # the node shape, prefixed (shp:InspectionShape)
    path: str | None  # the property, prefixed, when a property shape failed
    constraint: str  # the SHACL constraint that failed: MinCount, Class, In, ...
    focus: str
    message: str  # the shape's own sh:message, else pySHACL's description
    severity: str  # Violation | Warning | Info
    value: str | None = None
    node: str | None = None  # IRI of the focus node, or of the node a blank focus hangs from
    graphs: tuple[str, ...] = ()


@dataclass
class ValidationReport:
    conforms: bool
    triples: int
    scope: str  # "the whole store" or a graph IRI
    violations: list[Violation] = field(default_factory=list)

    def count(self, severity: str = "Violation") -> int:
        return sum(1 for v in self.violations if v.severity == severity)

    def text(self) -> str:
        head = (
            f"{'conforms' if self.conforms else 'does not conform'}: {self.scope} ({self.triples:,} triples), "
            f"{self.count('Violation')} violations, {self.count('Warning')} warnings"
        )
        lines = [head]
        groups: dict[tuple[str, str, str, str], list[Violation]] = defaultdict(list)
        for v in self.violations:
            groups[(v.severity, v.shape, v.path or "", v.constraint)].append(v)
        for (severity, shape, path, constraint), items in sorted(groups.items()):
            shared = len({v.message for v in items}) == 1
            about = items[0].message if shared else f"{constraint} constraint"
            lines.append(f"\n{severity}: {f'{shape} {path}'.strip()}: {_clip(about)} ({len(items)} nodes)")
            for v in items[:SHOWN_PER_SHAPE]:
                value = f" value {_clip(v.value, 80)}" if v.value else ""
                graphs = ", ".join(v.graphs) if v.graphs else "no named graph"
                lines.append(f"  {v.focus}{value}  in {graphs}")
                if not shared:
                    lines.append(f"    {_clip(v.message)}")
            if len(items) > SHOWN_PER_SHAPE:
                lines.append(f"  ... and {len(items) - SHOWN_PER_SHAPE} more")
        return "\n".join(lines)


def _clip(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


@cache
def shapes_graph() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY_DIR / SHAPES_FILE, format="turtle")
    return g


@cache
def _support_triples() -> tuple[tuple[Node, Node, Node], ...]:
    g = Graph()
    for name in SUPPORT_FILES:
        g.parse(ONTOLOGY_DIR / name, format="turtle")
    return tuple(g)


def with_vocabulary(g: Graph) -> Graph:
    """Add the vocabulary, schemes and axioms the shapes rely on (in place)."""
    for t in _support_triples():
        g.add(t)
    return g


def data_graph(store: Store, graph: str | None = None) -> Graph:
    """The store's union (or one named graph) as an rdflib graph, with the vocabulary added."""
    buf = io.BytesIO()
    store.dump(buf, "ntriples", graph=graph)
    g = Graph()
    g.parse(data=buf.getvalue().decode("utf-8"), format="nt")
    return with_vocabulary(g)


class _PreparedQueryGraph(Graph):
    """A view of a graph whose SPARQL queries from shapes.ttl are parsed once per process:
    pySHACL hands each SPARQL target to rdflib as a string, which rdflib would parse again on
    every validation (about 0.15 s per query)."""

    def query(self, query_object, *args, **kwargs):
        # pySHACL prepends PREFIX lines (always the same ones) to the shape's query
        if isinstance(query_object, str) and query_object.rstrip().endswith(_shape_queries()):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@cache
def _shape_queries() -> tuple[str, ...]:
    return tuple(str(q).strip() for q in shapes_graph().objects(None, SH.select))


@cache
def _prepared(text: str):
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


def validate_graph(data: Graph) -> tuple[bool, Graph]:
    from pyshacl import validate

    conforms, results, _text = validate(
        _PreparedQueryGraph(store=data.store, identifier=data.identifier, namespace_manager=data.namespace_manager),
        shacl_graph=shapes_graph(),
        inference="none",
        allow_warnings=True,
        inplace=True,
        advanced=True,
    )
    return bool(conforms), results


def check_graph(data: Graph, scope: str = "the graph") -> ValidationReport:
    """Validate an rdflib graph that already holds the vocabulary (see `data_graph`)."""
    conforms, results = validate_graph(data)
    return ValidationReport(conforms, len(data), scope, _violations(results, data))


def validate_store(store: Store, graph: str | None = None) -> ValidationReport:
    """Validate the whole store, or the named graph given by IRI or source file name."""
    graph_iri = None
    if graph is not None:
        rec = store.source(graph)
        graph_iri = str(rec.graph) if rec is not None else graph
        if rec is None and not (
            "://" in graph_iri
            and store.query("ASK { GRAPH ?g { ?s ?p ?o } }", bindings={"g": URIRef(graph_iri)}).askAnswer
        ):
            raise StoreError(f"no graph named {graph!r} in the store (see `cskg stats --sources`)")
    report = check_graph(data_graph(store, graph_iri), graph_iri or "the whole store")
    report.violations = _attach_graphs(store, report.violations)
    return report


# ------------------------------------------------------------------------------------- reading results


def _short(term: Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, ns in _PREFIXES.items():
            ns = str(ns)
            if text.startswith(ns) and len(text) > len(ns):
                return f"{prefix}:{text[len(ns):]}"
        return f"<{text}>"
    if isinstance(term, BNode):
        return "[]"
    return term.n3()


def _node_shape(shapes: Graph, shape: Node) -> Node:
    """The named node shape a (blank) property shape belongs to."""
    seen = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        parent = next(shapes.subjects(None, shape), None)
        if parent is None:
            break
        shape = parent
    return shape


def _violations(results: Graph, data: Graph) -> list[Violation]:
    shapes = shapes_graph()
    out: list[Violation] = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        source = results.value(r, SH.sourceShape)
        node_shape = _node_shape(shapes, source) if source is not None else None
        focus = results.value(r, SH.focusNode)
        owner = _named_owner(data, focus) if focus is not None else None
        out.append(
            Violation(
                shape=_short(node_shape) or "?",
                path=_path_text(results, results.value(r, SH.resultPath)),
                constraint=str(results.value(r, SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1]
                .removesuffix("ConstraintComponent"),
                focus=_describe(data, focus),
                message=str(results.value(r, SH.resultMessage) or ""),
                severity=str(results.value(r, SH.resultSeverity) or SH.Violation).rsplit("#", 1)[-1],
                value=_short(results.value(r, SH.value)),
                node=str(owner) if isinstance(owner, URIRef) else None,
            )
        )
    out.sort(key=lambda v: (v.shape, v.path or "", v.focus))
    return out


def _path_text(results: Graph, path: Node | None) -> str | None:
    if path is None:
        return None
    if isinstance(path, BNode):
        inverse = results.value(path, SH.inversePath)
        if inverse is not None:
            return f"^{_short(inverse)}"
        return "(path)"
    return _short(path)


def _named_owner(data: Graph, node: Node) -> Node:
    """A blank node's nearest IRI ancestor (a selector's evidence node), to say where it is."""
    seen = set()
    while isinstance(node, BNode) and node not in seen:
        seen.add(node)
        parent = next(data.subjects(None, node), None)
        if parent is None:
            break
        node = parent
    return node


def _describe(data: Graph, focus: Node | None) -> str:
    if isinstance(focus, BNode):
        owner = _named_owner(data, focus)
        return f"[] of {_short(owner)}" if not isinstance(owner, BNode) else "[]"
    return _short(focus) or "?"


def _attach_graphs(store: Store, violations: list[Violation]) -> list[Violation]:
    """Each violation with the named graphs that hold statements about its focus node."""
    iris = sorted({v.node for v in violations if v.node})
    if not iris:
        return violations
    where: dict[str, list[str]] = defaultdict(list)
    graph_base = str(store.minter.graph_ns)
    for chunk in range(0, len(iris), 500):
        values = " ".join(URIRef(i).n3() for i in iris[chunk : chunk + 500])
        for row in store.query(f"SELECT DISTINCT ?s ?g WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"):
            where[str(row.s)].append("graph:" + str(row.g).removeprefix(graph_base))
    return [replace(v, graphs=tuple(sorted(where.get(v.node or "", ())))) for v in violations]


__all__ = [
    "ValidationReport", "Violation", "validate_store", "check_graph", "validate_graph", "data_graph", "with_vocabulary",
    "shapes_graph",
]
