"""The query library's pages: /queries lists every .rq with its title and description;
/queries/NAME shows one with a typed parameter form, its results as a table, timeline, bar chart
or network (the query's `view` metadata), and the same results at /queries/NAME.json and .csv."""

from __future__ import annotations

import csv
import io
import math
import re

from flask import Blueprint, Response, abort, request, url_for

import queries as query_library
from graph.analytics import AnalyticsError, entity_graph, shorten
from graph.network import entity_url, rows_network
from graph.query import QueryError, run_library_query
from webapp import get_store
from webapp.network import respond

bp = Blueprint("library", __name__)

INPUT_TYPES = {"integer": "number", "year": "number", "decimal": "number", "date": "date", "boolean": "checkbox",
               "iri": "text", "string": "text"}
MAX_SHOWN_ROWS = 1000
_DATE_LIKE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


# ---------------------------------------------------------------------------------- charts
CHART_WIDTH = 860
LABEL_WIDTH = 260
MAX_BARS = 60
MAX_LANES = 40


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def _year_fraction(text: str | None) -> float | None:
    """'2019', '2019-06', '2019-06-19' or a dateTime -> a fractional year for the x axis."""
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text or "")
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    return year + (month - 1) / 12 + (day - 1) / 365


def _pick(vars_: list[str], cells: list[list[dict]], extra: dict, key: str, test) -> int | None:
    """The column named by the query's metadata (`# date: ?var`), else the first whose values pass `test`."""
    named = (extra.get(key) or "").lstrip("?$").strip()
    if named in vars_:
        return vars_.index(named)
    for i, _ in enumerate(vars_):
        present = [row[i] for row in cells if row[i]["value"] not in (None, "")]
        if present and all(test(c["value"], c) for c in present):
            return i
    return None


def _nice_step(raw: float, whole: bool = True) -> float:
    """1, 2 or 5 times a power of ten, at least `raw` (and at least 1 for whole numbers)."""
    if raw <= 0 or (whole and raw <= 1):
        return 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)


def bar_chart(vars_: list[str], cells: list[list[dict]], extra: dict) -> dict | None:
    value_i = _pick(vars_, cells, extra, "value", lambda v, c: _number(v) is not None)
    label_i = _pick(vars_, cells, extra, "label", lambda v, c: _number(v) is None)
    if value_i is None or label_i is None or not cells:
        return None
    rows = [(r[label_i], _number(r[value_i]["value"]) or 0.0) for r in cells[:MAX_BARS]]
    biggest = max((v for _, v in rows), default=0)
    step = _nice_step(biggest / 4, whole=all(v == int(v) for _, v in rows))
    top = step * max(1, math.ceil(biggest / step))
    bar_h, gap, head = 20, 6, 24
    plot = CHART_WIDTH - LABEL_WIDTH - 70
    bars = []
    for i, (label_cell, v) in enumerate(rows):
        y = head + i * (bar_h + gap)
        bars.append({"label": shorten(label_cell["label"], 38), "title": f"{label_cell['label']}: {v:g}", "url": label_cell.get("url"),
                     "y": y, "w": round(max(1.0, plot * v / top), 1), "text_y": y + bar_h * 0.7,
                     "value": f"{v:,.0f}" if v == int(v) else f"{v:,.2f}"})
    ticks = [{"x": round(LABEL_WIDTH + plot * k * step / top, 1), "label": f"{k * step:,g}"} for k in range(int(round(top / step)) + 1)]
    return {"type": "bar", "width": CHART_WIDTH, "height": head + len(rows) * (bar_h + gap) + 10, "x0": LABEL_WIDTH,
            "bar_h": bar_h, "bars": bars, "ticks": ticks, "label_var": vars_[label_i], "value_var": vars_[value_i],
            "shown": len(rows), "total": len(cells)}


def timeline_chart(vars_: list[str], cells: list[list[dict]], extra: dict) -> dict | None:
    date_i = _pick(vars_, cells, extra, "date", lambda v, c: bool(re.match(r"^\d{4}-\d{2}", v)) and not c.get("iri"))
    if date_i is None:
        date_i = next((i for i, v in enumerate(vars_) if "year" in v.lower() and all(
            re.match(r"^\d{4}$", r[i]["value"] or "") for r in cells if r[i]["value"])), None)
    if date_i is None or not cells:
        return None
    label_i = _pick(vars_, cells, extra, "label", lambda v, c: bool(c.get("iri")))
    if label_i is None:
        label_i = next((i for i in range(len(vars_)) if i != date_i), None)
    points = [(r, _year_fraction(r[date_i]["value"])) for r in cells]
    points = [(r, x) for r, x in points if x is not None]
    if not points:
        return None
    lanes: dict[str, dict] = {}
    for r, x in sorted(points, key=lambda p: p[1]):
        cell = r[label_i] if label_i is not None else {"label": "", "value": ""}
        lanes.setdefault(cell["value"] or "", {"label": shorten(cell["label"], 36), "url": cell.get("url"), "points": []})
    lane_list = list(lanes.items())[:MAX_LANES]
    lane_y = {key: 30 + i * 24 for i, (key, _) in enumerate(lane_list)}
    lo = min(x for _, x in points)
    hi = max(x for _, x in points)
    lo, hi = int(lo), int(hi) + 1
    plot = CHART_WIDTH - LABEL_WIDTH - 30

    def xpos(x: float) -> float:
        return round(LABEL_WIDTH + plot * (x - lo) / (hi - lo), 1)

    marks = []
    for r, x in points:
        key = (r[label_i]["value"] or "") if label_i is not None else ""
        if key not in lane_y:
            continue
        title = " · ".join(c["label"] for c in r if c["label"])
        marks.append({"x": xpos(x), "y": lane_y[key], "date": r[date_i]["value"], "title": title,
                      "url": next((c.get("url") for c in r if c.get("url")), None)})
    step = max(1, (hi - lo) // 10)
    ticks = [{"x": xpos(y), "label": str(y)} for y in range(lo, hi + 1, step)]
    return {"type": "timeline", "width": CHART_WIDTH, "height": 40 + len(lane_list) * 24, "x0": LABEL_WIDTH,
            "x1": CHART_WIDTH - 30, "lanes": [{"label": v["label"], "url": v["url"], "y": lane_y[k]} for k, v in lane_list],
            "marks": marks, "ticks": ticks, "date_var": vars_[date_i],
            "label_var": vars_[label_i] if label_i is not None else None, "shown": len(marks), "total": len(cells)}


def _summary(q) -> dict:
    return {"name": q.name, "title": q.title, "description": q.description, "view": q.view,
            "params": [{"name": p.name, "type": p.type, "default": p.default, "description": p.description} for p in q.params],
            "url": url_for("library.query_page", as_json=False, name=q.name)}


@bp.get("/queries", defaults={"as_json": False})
@bp.get("/queries.json", defaults={"as_json": True})
def index(as_json: bool):
    try:
        lib = query_library.library()
    except query_library.LibraryError as exc:
        abort(500, description=str(exc))
    return respond("library.html", {"queries": [_summary(q) for q in lib.values()]}, as_json)


def _execute(name: str, params: dict[str, str]) -> tuple[list[str], list[list]]:
    return run_library_query(get_store(), name, params)


def _run(name: str):
    q = query_library.get(name)
    if q is None:
        abort(404, description=f"no query named {name!r} in the library")
    given = {p.name: request.args.get(p.name, "").strip() for p in q.params}
    params = {k: v for k, v in given.items() if v}
    if request.args.get("_submitted"):
        for p in q.params:
            # a submitted form means what it shows: an unticked box is false, an emptied text is ""
            if p.type == "boolean" and p.name not in request.args:
                params[p.name] = "false"
            elif p.type == "string" and p.name in request.args and not given[p.name]:
                params[p.name] = ""
    missing = [p.name for p in q.params if p.name not in params and p.default is None]
    resolve_error = None
    for p in q.params:
        value = params.get(p.name)
        if p.type == "iri" and value and not re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I):
            # a name typed or picked in the form: the entity it labels
            try:
                params[p.name] = entity_graph(get_store()).resolve(value)
            except AnalyticsError as exc:
                resolve_error = f"{p.name}: {exc}"
    context = {
        "query": _summary(q),
        "sparql": q.sparql,
        "form": [{"name": p.name, "type": p.type, "input": INPUT_TYPES.get(p.type, "text"), "description": p.description,
                  "default": p.default, "value": params.get(p.name, p.default or ""), "required": p.default is None}
                 for p in q.params],
        "params": params,
        "missing": missing,
        "error": None,
        "vars": [],
        "rows": [],
        "row_count": 0,
        "truncated": False,
        "chart": None,
        "network": None,
    }
    if missing:
        context["error"] = f"give a value for {', '.join(missing)} to run this query"
        return context, None
    if resolve_error:
        context["error"] = resolve_error
        return context, None
    try:
        vars_, rows = _execute(name, params)
    except QueryError as exc:
        context["error"] = str(exc)
        return context, None
    return context, (vars_, rows)


def _cells(vars_: list[str], rows: list[list]) -> list[list[dict]]:
    store = get_store()
    eg = entity_graph(store)
    base = store.minter.base
    out = []
    for row in rows[:MAX_SHOWN_ROWS]:
        cells = []
        for term in row:
            if term is None:
                cells.append({"value": None, "label": ""})
            elif hasattr(term, "n3") and term.__class__.__name__ == "URIRef":
                iri = str(term)
                cells.append({"value": iri, "label": eg.label(iri), "url": entity_url(iri, base), "iri": True})
            else:
                text = str(term)
                cell = {"value": text, "label": text}
                if _DATE_LIKE.match(text):
                    cell["date"] = True
                elif _number(text) is not None:
                    cell["number"] = True
                cells.append(cell)
        out.append(cells)
    return out


@bp.get("/queries/<name>", defaults={"as_json": False})
@bp.get("/queries/<name>.json", defaults={"as_json": True})
def query_page(name: str, as_json: bool):
    context, result = _run(name)
    status = 200
    if result is not None:
        vars_, rows = result
        cells = _cells(vars_, rows)
        context.update(vars=vars_, rows=cells, row_count=len(rows), truncated=len(rows) > MAX_SHOWN_ROWS)
        view = context["query"]["view"]
        q = query_library.get(name)
        if view == "bar":
            context["chart"] = bar_chart(vars_, cells, q.extra)
        elif view == "timeline":
            context["chart"] = timeline_chart(vars_, cells, q.extra)
        elif view == "graph":
            context["network"] = rows_network(get_store(), vars_, rows[:MAX_SHOWN_ROWS])
    elif context["error"] and not context["missing"]:
        status = 400
    query_string = request.query_string.decode("utf-8", "replace")
    suffix = f"?{query_string}" if query_string else ""
    page = url_for("library.query_page", as_json=False, name=name)
    context["downloads"] = {"json": f"{page}.json{suffix}", "csv": f"{page}.csv{suffix}"}
    return respond("library_query.html", context, as_json, status)


@bp.get("/queries/<name>.csv")
def query_csv(name: str):
    context, result = _run(name)
    if result is None:
        return Response(context["error"] + "\n", status=400, mimetype="text/plain")
    vars_, rows = result
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(vars_)
    writer.writerows(["" if t is None else str(t) for t in row] for row in rows)
    return Response(buf.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
