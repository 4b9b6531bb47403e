"""Network data for the explorer's views: pyvis builds the nodes and edges (its styles), our template
and static JS draw them with the vendored vis-network. Every view is capped server-side so one
canvas never holds more than a few hundred nodes, with the number left out reported."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlencode

from pyvis.network import Network

from graph.analytics import NODE_TYPES, TYPES_BY_KEY, AnalyticsError, EntityGraph, entity_graph, shorten
from graph.store import Store

NEIGHBOURHOOD_CAP = 150
OVERVIEW_CAP = 300
OVERVIEW_TYPES = ("council", "person", "commissioner", "inspection", "intervention", "programme", "organisation")
COMMISSIONER = "commissioner"

OPTIONS = {
    "autoResize": True,
    "physics": {
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "springConstant": 0.06, "avoidOverlap": 0.4},
        "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 50, "fit": True},
        "minVelocity": 1.5,
    },
    "nodes": {"font": {"size": 13, "face": "system-ui, sans-serif", "color": "#1f2933"}, "borderWidth": 1},
    "edges": {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
        "color": {"color": "#9aa5b1", "highlight": "#1f2933", "hover": "#52606d"},
        "font": {"size": 10, "face": "system-ui, sans-serif", "color": "#52606d", "strokeWidth": 3, "align": "middle"},
        "smooth": {"enabled": True, "type": "continuous", "roundness": 0.3},
        "width": 1.2,
    },
    "interaction": {"hover": True, "tooltipDelay": 120, "keyboard": {"enabled": True, "bindToWindow": False},
                    "navigationButtons": False, "multiselect": False},
}


def entity_url(iri: str, base: str) -> str:
    """Entity IRIs under the configured base resolve in the app at /id/...; any other IRI has the
    generic resource page."""
    if iri.startswith(base + "id/"):
        return "/" + iri[len(base):]
    return "/resource?" + urlencode({"iri": iri})


def legend(types: Iterable[str]) -> list[dict]:
    present = set(types)
    return [{"key": t.key, "label": t.label, "color": t.color, "shape": t.shape} for t in NODE_TYPES if t.key in present]


def build_network(eg: EntityGraph, nodes: list[str], base: str, *, focus: str | None = None,
                  highlight_edges: set[frozenset] | None = None) -> dict:
    """pyvis nodes/edges for `nodes` and every edge among them, with our options."""
    net = Network(directed=True)
    g = eg.graph
    keep = set(nodes)
    for n in nodes:
        d = g.nodes[n]
        t = TYPES_BY_KEY[d["type"]]
        opts = {
            "title": f"{t.label}: {d['label']}",
            "shape": t.shape,
            "size": 22 if n == focus else 14,
            "borderWidth": 4 if n == focus else 1,
            "url": entity_url(n, base),
            "type": t.key,
        }
        if t.shape in ("box", "ellipse"):
            opts["font"] = {"color": "#ffffff", "size": 13}
            opts.pop("size")
        net.add_node(n, label=shorten(d["label"], 42), color=t.color, **opts)
    seen: set[frozenset] = set()
    for n in nodes:
        for m in g[n]:
            pair = frozenset((n, m))
            if m not in keep or pair in seen:
                continue
            seen.add(pair)
            rels = g.edges[n, m]["rels"]
            rel = rels[0]
            labels = sorted({r.label for r in rels})
            label = "; ".join(labels)
            edge = {"label": shorten(label, 40), "title": label}
            if highlight_edges is not None and pair in highlight_edges:
                edge.update(width=3, color="#d9480f")
            net.add_edge(rel.subject, rel.object, **edge)
    net.options = OPTIONS
    nodes_out, edges_out, _heading, _h, _w, _options = net.get_network_data()
    return {"nodes": nodes_out, "edges": edges_out, "options": OPTIONS}


def neighbourhood(store: Store, focus: str, *, hops: int = 1, types: Iterable[str] | None = None,
                  cap: int = NEIGHBOURHOOD_CAP) -> dict:
    """The entities within 1 or 2 hops of `focus`, nearest and best connected first, capped."""
    eg = entity_graph(store)
    g = eg.graph
    if focus not in g:
        return {"found": False, "focus": {"iri": focus, "label": eg.label(focus)}}
    hops = 2 if hops >= 2 else 1
    wanted = set(types) if types else None
    layers: list[list[str]] = [[focus]]
    seen = {focus}
    for _ in range(hops):
        nxt = []
        for n in layers[-1]:
            for m in g[n]:
                if m not in seen:
                    seen.add(m)
                    nxt.append(m)
        layers.append(sorted(nxt, key=lambda m: (-g.degree[m], g.nodes[m]["label"])))
    everyone = [n for layer in layers[1:] for n in layer]
    available = Counter(g.nodes[n]["type"] for n in everyone)
    chosen = [n for n in everyone if wanted is None or g.nodes[n]["type"] in wanted]
    shown = [focus] + chosen[: max(0, cap - 1)]
    hidden = chosen[len(shown) - 1:]
    data = build_network(eg, shown, store.minter.base, focus=focus)
    return {
        "found": True,
        "focus": {"iri": focus, "label": g.nodes[focus]["label"], "type": g.nodes[focus]["type"],
                  "url": entity_url(focus, store.minter.base)},
        "hops": hops,
        "types": sorted(wanted) if wanted else [],
        "available_types": [{"key": k["key"], "label": k["label"], "count": available[k["key"]]}
                            for k in legend(available)],
        "legend": legend(g.nodes[n]["type"] for n in shown),
        "shown": len(shown),
        "total": len(everyone) + 1,
        "hidden": len(hidden),
        "hidden_by_type": dict(Counter(g.nodes[n]["type"] for n in hidden)),
        "filtered_out": len(everyone) - len(chosen),
        "network": data,
    }


# under the cap, councils come first, then the rarer actors and events, inspections last
_OVERVIEW_RANK = {"council": 0, "person": 1, "intervention": 1, "programme": 1, "organisation": 2, "inspection": 3}


def _in_years(d: dict, year_from: int | None, year_to: int | None) -> bool:
    if year_from is None and year_to is None:
        return True
    y = d.get("year")
    if y is None:
        return False
    return (year_from is None or y >= year_from) and (year_to is None or y <= year_to)


def _region_label(eg: EntityGraph, region: str) -> str:
    return eg.label(region) if region.startswith(("http://", "https://")) else region


def overview_filters(eg: EntityGraph) -> dict:
    """What the overview's filters can offer: regions, grades and the span of years in the graph."""
    g = eg.graph
    regions = sorted({d["region"] for _, d in g.nodes(data=True) if d["type"] == "council" and d.get("region")})
    grades = {d["grade"] for _, d in g.nodes(data=True) if d["type"] == "inspection" and d.get("grade")}
    order = ["outstanding", "good", "requires-improvement", "adequate", "inadequate"]
    years = [d["year"] for _, d in g.nodes(data=True) if d.get("year") and d["type"] != "report"]
    return {
        # a region is an IRI or, in some registers, just its name
        "regions": [{"iri": r, "label": label} for label, r in sorted((_region_label(eg, r), r) for r in regions)],
        "grades": [{"iri": gr, "label": eg.label(gr)} for gr in
                   sorted(grades, key=lambda x: order.index(x.rsplit("/", 1)[-1]) if x.rsplit("/", 1)[-1] in order else 99)],
        "years": [min(years), max(years)] if years else [],
        "types": [{"key": k, "label": "Commissioner" if k == COMMISSIONER else TYPES_BY_KEY[k].label} for k in OVERVIEW_TYPES],
    }


def overview(store: Store, *, regions: Iterable[str] = (), grades: Iterable[str] = (), year_from: int | None = None,
             year_to: int | None = None, types: Iterable[str] | None = None, cap: int = OVERVIEW_CAP) -> dict:
    """Councils and what connects them (people, commissioners, inspections, interventions,
    programmes, organisations), filtered on the server and capped, best connected first."""
    eg = entity_graph(store)
    g = eg.graph
    wanted = set(types) if types else {"council", "commissioner", "intervention", "programme", "organisation"}
    unknown = wanted - set(OVERVIEW_TYPES)
    if unknown:
        raise AnalyticsError(f"unknown type {sorted(unknown)[0]!r}: use {', '.join(OVERVIEW_TYPES)}")
    regions, grades = set(regions), set(grades)

    def item_ok(n: str) -> bool:
        d = g.nodes[n]
        t = d["type"]
        if t == "person":
            if "person" in wanted:
                return True
            return COMMISSIONER in wanted and any(COMMISSIONER in r for r in d.get("roles", ()))
        if t not in wanted or t in ("council", "report"):
            return False
        if t == "inspection":
            if grades and d.get("grade") not in grades:
                return False
            return _in_years(d, year_from, year_to)
        if t in ("intervention", "programme"):
            return _in_years(d, year_from, year_to) if d.get("year") or year_from or year_to else True
        return True

    councils = [n for n, d in g.nodes(data=True) if d["type"] == "council" and (not regions or d.get("region") in regions)]
    if grades:
        councils = [c for c in councils if any(
            g.nodes[m]["type"] == "inspection" and g.nodes[m].get("grade") in grades and _in_years(g.nodes[m], year_from, year_to)
            for m in g[c])]
    chosen: dict[str, None] = {}
    for c in councils:
        items = [m for m in g[c] if item_ok(m)]
        if items or wanted <= {"council"}:
            if "council" in wanted or not items:
                chosen[c] = None
            for m in items:
                chosen[m] = None
                if "organisation" in wanted:
                    for o in g[m]:
                        if g.nodes[o]["type"] == "organisation":
                            chosen[o] = None
    ranked = sorted(chosen, key=lambda n: (_OVERVIEW_RANK.get(g.nodes[n]["type"], 3), -g.degree[n], g.nodes[n]["label"]))
    shown = ranked[:cap]
    hidden = ranked[cap:]
    data = build_network(eg, shown, store.minter.base)
    return {
        "filters": {"regions": sorted(regions), "grades": sorted(grades), "year_from": year_from, "year_to": year_to,
                    "types": sorted(wanted)},
        "options": overview_filters(eg),
        "legend": legend(g.nodes[n]["type"] for n in shown),
        "shown": len(shown),
        "total": len(ranked),
        "hidden": len(hidden),
        "hidden_by_type": dict(Counter(g.nodes[n]["type"] for n in hidden)),
        "network": data,
    }


def paths_network(store: Store, paths: list[list[str]]) -> dict:
    """The union of some paths as one network, path edges highlighted."""
    eg = entity_graph(store)
    nodes = list(dict.fromkeys(n for p in paths for n in p))
    pairs = {frozenset((u, v)) for p in paths for u, v in zip(p, p[1:])}
    data = build_network(eg, nodes, store.minter.base, focus=None, highlight_edges=pairs)
    ends = {p[0] for p in paths} | {p[-1] for p in paths}
    for node in data["nodes"]:
        if node["id"] in ends:
            node["borderWidth"] = 4
    # only the path edges: other links among path nodes would suggest steps that are not in a path
    data["edges"] = [e for e in data["edges"] if frozenset((e["from"], e["to"])) in pairs]
    data["legend"] = legend(eg.graph.nodes[n]["type"] for n in nodes)
    return data


def rows_network(store: Store, variables: list[str], rows: list[list], *, cap: int = NEIGHBOURHOOD_CAP * 2) -> dict:
    """A network from result rows: every IRI in a row is a node, linked to the next IRI in the same
    row by an edge labelled with that column's name (?council ?person -> council --person--> person)."""
    from rdflib import URIRef

    eg = entity_graph(store)
    base = store.minter.base
    net = Network(directed=True)
    added: set[str] = set()
    hidden: set[str] = set()
    edges: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        iris = [(variables[i], str(t)) for i, t in enumerate(row) if isinstance(t, URIRef)]
        for _, iri in iris:
            if iri in added or iri in hidden:
                continue
            if len(added) >= cap:
                hidden.add(iri)
                continue
            added.add(iri)
            t = TYPES_BY_KEY.get(eg.type_of(iri) or "")
            label = eg.label(iri)
            shape = t.shape if t else "dot"
            style = {"font": {"color": "#ffffff", "size": 13}} if shape in ("box", "ellipse") else {"size": 14}
            net.add_node(iri, label=shorten(label, 42), title=f"{t.label if t else 'Resource'}: {label}",
                         color=t.color if t else "#adb5bd", shape=shape,
                         url=entity_url(iri, base), type=t.key if t else "other", **style)
        for (_, a), (var_b, b) in zip(iris, iris[1:]):
            if a != b and a in added and b in added:
                edges.setdefault((a, b), set()).add(var_b)
    for (a, b), names in edges.items():
        label = ", ".join(sorted(names))
        net.add_edge(a, b, label=label, title=label)
    net.options = OPTIONS
    nodes_out, edges_out, *_ = net.get_network_data()
    return {"nodes": nodes_out, "edges": edges_out, "options": OPTIONS, "hidden": len(hidden),
            "legend": legend(n["type"] for n in nodes_out)}
