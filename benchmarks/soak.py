"""Soak test: `make soak` (python -m benchmarks.soak).

1. Fuzz, for a bounded time (about 60 s): hypothesis drives every reader (text, Markdown, HTML,
   PDF, DOCX) and the extraction pipeline with generated and mutated documents through
   graph.load.prepare_report, exactly the path `cskg load` takes. A file may be refused (a
   one-line reason); an internal error, an exception escaping, or a multi-line reason fails.
2. Load: a real `cskg serve` on 127.0.0.1:<free port>, its store built in a temp dir from the
   sample reports and the reference data; 8 concurrent clients mix explorer pages, library
   query pages and SPARQL queries for 60 s, three rounds. Fails on any 5xx or dropped
   connection, or when the server's RSS grows by 10% or more from round 2 to round 3.

Prints a table and appends it to BENCHMARKS.md under "## Soak" (append only).

    python -m benchmarks.soak [--fuzz-seconds 60] [--seconds 60] [--rounds 3] [--clients 8]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import io
import logging
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
RSS_GROWTH_LIMIT = 0.10
FUZZ_FILE_SECONDS = 10


def log(msg: str) -> None:
    print(f"[soak {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def pct(xs: list[float], p: float) -> float:
    if not xs:
        return 0.0
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


# ------------------------------------------------------------------------------------ fuzzing
@dataclass
class FuzzResult:
    target: str
    examples: int = 0
    loaded: int = 0
    refused: int = 0
    failures: list[str] = field(default_factory=list)


def _sample_lines() -> list[str]:
    lines = []
    for f in sorted(SAMPLES.glob("*.txt")):
        lines += [ln for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return lines


def _strategies():
    """file suffix -> hypothesis strategy of file bytes."""
    from hypothesis import strategies as st

    lines = _sample_lines()
    odd_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
    line = st.one_of(st.sampled_from(lines), odd_text,
                     st.builds(lambda a, b, k: a[:k] + b + a[k:], st.sampled_from(lines), odd_text, st.integers(0, 200)))
    report_text = st.lists(line, min_size=1, max_size=60).map("\n".join)

    def mutate(base: bytes):
        edit = st.tuples(st.integers(0, max(0, len(base) - 1)), st.integers(0, 64), st.binary(max_size=64))
        return st.lists(edit, max_size=8).map(lambda edits: _apply(base, edits))

    tags = st.sampled_from(["p", "div", "h1", "h2", "li", "td", "span", "table", "ul", "script", "style", "b", "tr"])
    html_node = st.recursive(
        line.map(lambda s: s.replace("<", "&lt;")),
        lambda inner: st.builds(lambda t, kids: f"<{t}>{''.join(kids)}</{t}>", tags, st.lists(inner, max_size=5)),
        max_leaves=40)
    html = st.lists(html_node, max_size=20).map(lambda kids: f"<html><body>{''.join(kids)}</body></html>")
    encodings = st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"])

    def encode(text: str, enc: str) -> bytes:
        return text.encode(enc, errors="replace")

    return {
        ".txt": st.one_of(st.builds(encode, report_text, encodings), st.binary(max_size=2000)),
        ".md": report_text.map(lambda t: ("# " + t).encode()),
        ".html": st.one_of(html.map(str.encode), st.builds(lambda t: t.encode(), report_text), mutate(_html_seed())),
        ".pdf": st.one_of(mutate(_pdf_seed()), st.lists(line, min_size=1, max_size=30).map(_pdf_bytes)),
        ".docx": st.one_of(mutate(_docx_seed()), st.lists(line, min_size=1, max_size=30).map(_docx_bytes)),
        # report-like text only: inputs that get past the reader and exercise every extractor
        "pipeline": st.lists(st.sampled_from(lines), min_size=5, max_size=120).map(lambda ls: "\n\n".join(ls).encode()),
    }


def _apply(base: bytes, edits) -> bytes:
    data = bytearray(base)
    for at, cut, insert in edits:
        at = min(at, len(data))
        data[at:at + cut] = insert
    return bytes(data)


def _html_seed() -> bytes:
    body = "".join(f"<p>{ln}</p>" for ln in _sample_lines()[:60])
    return f"<html><head><title>Report</title></head><body><table><tr><td>Report to</td><td>Cabinet</td></tr></table>{body}</body></html>".encode()


def _pdf_bytes(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    y = 800
    for ln in lines:
        c.drawString(40, y, ln[:110].encode("latin-1", "replace").decode("latin-1"))
        y -= 14
        if y < 40:
            c.showPage()
            y = 800
    c.save()
    return buf.getvalue()


def _pdf_seed() -> bytes:
    return _pdf_bytes(_sample_lines()[:20])  # small: pdfminer is the slowest reader per input


def _docx_bytes(lines: list[str]) -> bytes:
    import docx

    d = docx.Document()
    for ln in lines:
        d.add_paragraph("".join(ch for ch in ln if ch in "\t\n\r" or ord(ch) >= 32 and not 0xD800 <= ord(ch) <= 0xDFFF
                                and ch not in "\ufffe\uffff"))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _docx_seed() -> bytes:
    return _docx_bytes(_sample_lines()[:80])


def fuzz(seconds: float) -> list[FuzzResult]:
    """Run each target for an equal share of `seconds`, in rounds of fresh hypothesis runs."""
    import warnings

    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import HypothesisWarning

    import graph.load
    from graph.load import loader_version, prepare_report

    # generated inputs are small: one that needs more than this is a hang worth reporting
    graph.load.FILE_TIME_LIMIT = FUZZ_FILE_SECONDS
    warnings.filterwarnings("ignore", category=HypothesisWarning)  # large generated files make large reprs
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # mutated PDFs make it warn on every page
    strategies = _strategies()
    targets = list(strategies)
    share = seconds / len(targets)
    version = loader_version()
    results = []
    with tempfile.TemporaryDirectory(prefix="cskg-fuzz-") as tmp:
        for target in targets:
            suffix = ".txt" if target == "pipeline" else target
            strategy = strategies[target]
            res = FuzzResult(target)
            deadline = time.monotonic() + share
            path = Path(tmp) / f"report{suffix}"

            @settings(max_examples=25, deadline=None, database=None, phases=[Phase.generate],
                      suppress_health_check=list(HealthCheck))
            @given(data=strategy)
            def one(data: bytes) -> None:
                if time.monotonic() > deadline:
                    return
                res.examples += 1
                path.write_bytes(data)
                try:
                    prepared = prepare_report(str(path), None, version)
                except Exception as exc:  # noqa: BLE001 - the point is to catch anything escaping
                    res.failures.append(f"{type(exc).__name__} escaped: {exc} (input {data[:120]!r})")
                    return
                if prepared.error:
                    res.refused += 1
                    if (prepared.error.startswith("internal error") or "took longer" in prepared.error
                            or "\n" in prepared.error.strip()):
                        res.failures.append(f"{prepared.error[:300]} (input {data[:120]!r})")
                elif prepared.item is not None:
                    res.loaded += 1

            while time.monotonic() < deadline:
                one()
            results.append(res)
            log(f"fuzz {target}: {res.examples} inputs, {res.loaded} loaded, {res.refused} refused, "
                f"{len(res.failures)} failures")
    return results


# --------------------------------------------------------------------------------- load test
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def vm_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def descendants_rss_kb(pid: int) -> int:
    """RSS of a process's descendants: the SPARQL query workers of `cskg serve`."""
    total, todo = 0, [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*/children"):
            try:
                kids = [int(x) for x in task.read_text().split()]
            except (OSError, ValueError):
                continue
            for kid in kids:
                try:
                    total += vm_rss_kb(kid)
                except OSError:
                    continue
                todo.append(kid)
    return total


def build_store(folder: Path) -> Path:
    from graph.load import load_paths
    from graph.reference import load_reference
    from graph.store import OxigraphStore

    path = folder / "store"
    store = OxigraphStore(path)
    try:
        load_reference(store, echo=lambda *a, **k: None)
        summary = load_paths(store, [SAMPLES])
        if summary.count("failed"):
            raise SystemExit(f"soak: the samples did not load: {summary.failed}")
    finally:
        store.close()
    return path


def targets(store_path: Path) -> list[tuple[str, str]]:
    """(label, path): explorer pages, every library query page, and SPARQL queries."""
    import queries as query_library
    from graph.store import OxigraphStore

    store = OxigraphStore(store_path)
    try:
        base = str(store.minter.id)

        def first(sparql: str) -> str | None:
            rows = list(store.query(sparql))
            return str(rows[0][0]) if rows else None

        def page(iri: str | None) -> str | None:
            return "/id/" + iri[len(base):] if iri and iri.startswith(base) else None

        council = first("SELECT ?c WHERE { ?r a schema:Report ; cs:mentions ?c . ?c a cs:LocalAuthority } LIMIT 1")
        person = first("SELECT ?p WHERE { ?p a foaf:Person } LIMIT 1")
        report = first("SELECT ?r WHERE { ?r a schema:Report } LIMIT 1")
    finally:
        store.close()
    out = [("home", "/"), ("reports", "/reports"), ("councils", "/councils"), ("search", "/search?q=Ofsted"),
           ("library", "/queries"), ("network overview", "/network/overview"), ("workbench", "/workbench")]
    for label, iri in (("council", council), ("person", person), ("report", report)):
        if page(iri):
            out.append((label, page(iri)))
            out.append((f"{label} json", page(iri) + ".json"))
    if council:
        out.append(("network", "/network?" + urllib.parse.urlencode({"focus": council})))
    for name in sorted(query_library.library()):
        out.append((f"library {name}", f"/queries/{name}"))
    sparql = {
        "sparql count by type": "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) LIMIT 20",
        "sparql reports": "SELECT ?r ?t WHERE { ?r a schema:Report ; dcterms:title ?t } LIMIT 50",
        "sparql construct": "CONSTRUCT { ?c skos:prefLabel ?l } WHERE { ?c a cs:LocalAuthority ; skos:prefLabel ?l }",
    }
    for label, q in sparql.items():
        out.append((label, "/sparql?" + urllib.parse.urlencode({"query": q, "format": "json"})))
    return out


def fetch(conn: http.client.HTTPConnection | None, port: int, path: str):
    if conn is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Accept": "text/html"})
    resp = conn.getresponse()
    resp.read()
    if resp.getheader("Connection", "").lower() == "close":
        conn.close()
        conn = None
    return conn, resp.status


def hammer(port: int, pages: list[tuple[str, str]], clients: int, seconds: float) -> tuple[list, float]:
    """`clients` threads, each with a keep-alive connection, walk the targets in a shuffled order."""
    records: list[tuple[str, float, int]] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(k: int) -> None:
        rng = random.Random(k)
        order = pages[:]
        conn, local = None, []
        while time.monotonic() < deadline:
            rng.shuffle(order)
            for label, path in order:
                if time.monotonic() >= deadline:
                    break
                t = time.perf_counter()
                try:
                    conn, status = fetch(conn, port, path)
                except (OSError, http.client.HTTPException):
                    if conn is not None:
                        conn.close()
                    conn, status = None, 0
                local.append((label, time.perf_counter() - t, status))
        if conn is not None:
            conn.close()
        with lock:
            records.extend(local)

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    started = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return records, time.perf_counter() - started


@dataclass
class Round:
    requests: int
    per_second: float
    p50: float
    p95: float
    p99: float
    worst: float
    server_errors: int
    dropped: int
    rss_kb: int
    workers_rss_kb: int
    slowest: str


def load_test(seconds: float, rounds: int, clients: int, workdir: Path) -> tuple[list[Round], list[str]]:
    log("building the store: reference data and the sample reports")
    store = build_store(workdir)
    pages = targets(store)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "cskg.cli", "--store", str(store), "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    problems: list[str] = []
    out: list[Round] = []
    try:
        first = proc.stdout.readline().strip()
        log(f"server: {first}")
        if f"127.0.0.1:{port}" not in first:
            problems.append(f"`cskg serve` did not announce 127.0.0.1:{port}: {first!r}")
        for _ in range(600):
            try:
                fetch(None, port, "/")
                break
            except OSError:
                if proc.poll() is not None:
                    return out, [f"`cskg serve` exited: {proc.stderr.read()[-500:]}"]
                time.sleep(0.1)
        live = []
        for label, path in pages:
            _, status = fetch(None, port, path)
            if status >= 500:
                problems.append(f"{label} ({path}) answers {status} before any load")
            elif status >= 400:
                log(f"{label}: {status}, left out of the mix")
            else:
                live.append((label, path))
        log(f"{len(live)} targets; {rounds} rounds of {seconds:g} s at {clients} clients")
        for r in range(rounds):
            records, wall = hammer(port, live, clients, seconds)
            lat = [x[1] for x in records]
            errors = [x for x in records if x[2] >= 500]
            dropped = [x for x in records if x[2] == 0]
            by_label: dict[str, list[float]] = {}
            for label, secs, _ in records:
                by_label.setdefault(label, []).append(secs)
            slowest = max(by_label, key=lambda k: pct(by_label[k], 95)) if by_label else ""
            out.append(Round(len(records), len(records) / wall, pct(lat, 50), pct(lat, 95), pct(lat, 99),
                             max(lat, default=0.0), len(errors), len(dropped), vm_rss_kb(proc.pid), descendants_rss_kb(proc.pid),
                             f"{slowest} (p95 {pct(by_label.get(slowest, []), 95) * 1000:.0f} ms)"))
            log(f"round {r + 1}: {out[-1].requests} requests, {out[-1].per_second:.1f}/s, p95 "
                f"{out[-1].p95 * 1000:.0f} ms, {len(errors)} 5xx, {len(dropped)} dropped, RSS {out[-1].rss_kb / 1024:.0f} MB")
            for label in sorted({x[0] for x in errors + dropped}):
                codes = sorted({x[2] for x in errors + dropped if x[0] == label})
                problems.append(f"round {r + 1}: {label} answered {codes} (0 = dropped connection)")
            if proc.poll() is not None:
                problems.append(f"the server exited during round {r + 1}")
                break
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if len(out) >= 3 and out[-1].rss_kb > out[-2].rss_kb * (1 + RSS_GROWTH_LIMIT):
        problems.append(f"RSS grew from {out[-2].rss_kb / 1024:.0f} MB to {out[-1].rss_kb / 1024:.0f} MB "
                        f"between the last two rounds (limit {RSS_GROWTH_LIMIT:.0%})")
    return out, problems


# ------------------------------------------------------------------------------------- report
def table(fuzzed: list[FuzzResult], rounds: list[Round], clients: int, seconds: float, problems: list[str]) -> str:
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"### {when} ({platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()})", ""]
    if fuzzed:
        lines += ["Fuzzing (hypothesis, generated and mutated files through `prepare_report`):", "",
                  "| target | inputs | loaded | refused | failures |", "|---|---:|---:|---:|---:|"]
        lines += [f"| {f.target} | {f.examples} | {f.loaded} | {f.refused} | {len(f.failures)} |" for f in fuzzed]
        lines.append("")
    if rounds:
        lines += [f"Load: `cskg serve` on 127.0.0.1, samples + reference data, {clients} clients, {seconds:g} s a round:", "",
                  "| round | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | 5xx | dropped | server RSS MB | query workers RSS MB | slowest |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        lines += [f"| {i} | {r.requests} | {r.per_second:.1f} | {r.p50 * 1000:.0f} | {r.p95 * 1000:.0f} | "
                  f"{r.p99 * 1000:.0f} | {r.worst * 1000:.0f} | {r.server_errors} | {r.dropped} | {r.rss_kb / 1024:.0f} | {r.workers_rss_kb / 1024:.0f} | {r.slowest} |"
                  for i, r in enumerate(rounds, start=1)]
        lines.append("")
    lines.append("Result: " + ("passed" if not problems else "FAILED: " + "; ".join(problems[:10])))
    return "\n".join(lines) + "\n"


def append_to_benchmarks(text: str, path: Path) -> None:
    """Append under the "## Soak" heading; other sections of the file belong to other tools."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    with path.open("a", encoding="utf-8") as f:
        if "\n## Soak" not in "\n" + existing:
            f.write(("\n" if existing and not existing.endswith("\n\n") else "") + "## Soak\n\n"
                    "`make soak`: bounded-time fuzzing of the readers and extraction, then a load test of "
                    "`cskg serve` (see benchmarks/soak.py).\n\n")
        elif not existing.endswith("\n\n"):
            f.write("\n")
        f.write(text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__.split("\n\n")[0])
    ap.add_argument("--fuzz-seconds", type=float, default=60.0)
    ap.add_argument("--seconds", type=float, default=60.0, help="length of one load round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"), help="file to append the table to ('' for none)")
    args = ap.parse_args(argv)
    problems: list[str] = []
    fuzzed = fuzz(args.fuzz_seconds) if args.fuzz_seconds > 0 else []
    for f in fuzzed:
        problems += [f"fuzz {f.target}: {msg}" for msg in f.failures[:3]]
    rounds: list[Round] = []
    if args.rounds > 0:
        work = Path(tempfile.mkdtemp(prefix="cskg-soak-"))
        try:
            rounds, load_problems = load_test(args.seconds, args.rounds, args.clients, work)
            problems += load_problems
        finally:
            shutil.rmtree(work, ignore_errors=True)
    text = table(fuzzed, rounds, args.clients, args.seconds, problems)
    print(text)
    for p in problems:
        print(f"soak: {p}")
    if args.output:
        append_to_benchmarks(text, Path(args.output))
        log(f"appended to {args.output}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
