"""The benchmark runner: `make bench` (quick, under 10 minutes on 2 cores) or `make bench FULL=1`.

    python -m benchmarks.run [--full] [--workdir benchmarks/out] [--keep] [--no-append]

Builds synthetic corpora (benchmarks.generate), then measures on this machine, in one run:
ingest (read, extract, write) through graph.load.load_paths, the cost of adding one report to a
small and a big store, the reference load, the store's size, whole-store exports, every library
query on the store against the same queries on rdflib's in-memory Dataset, the explorer under 8
concurrent clients (a real `cskg serve` subprocess on 127.0.0.1), peak RSS of `cskg load` and
`cskg serve`, and a profile of ingest. Figures are medians over repeats; the section is appended
to BENCHMARKS.md. It measures speed, never extraction quality.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import importlib
import importlib.metadata
import math
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
# `python -m` from the checkout, so the CLI runs this tree's code whatever the editable install maps
CSKG = [sys.executable, "-m", "cskg.cli"]

TARGETS = {
    "ingest": 40.0,  # reports/s, text/HTML, both cores
    "add_one": 0.5,  # s
    "query_p50": 0.300,  # s
    "query_ratio": 10.0,
    "page_p95": 0.200,  # s
    "serve_rss": 1024.0,  # MB
    "export_qps": 200_000.0,
}


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def pct(xs: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not xs:
        return float("nan")
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]


def ms(seconds: float) -> str:
    return "n/a" if seconds != seconds else f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def mb(nbytes: float) -> str:
    return f"{nbytes / 1e6:.1f} MB"


def mark(ok: bool | None) -> str:
    return "n/a" if ok is None else ("yes" if ok else "**MISSED**")


# ------------------------------------------------------------------------------------ machine
def machine() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        ram = f"{kb / 1024 / 1024:.1f} GiB"

    def ver(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "absent"

    extractors = "unknown"
    with contextlib.suppress(Exception):
        from graph.load import loader_version

        extractors = loader_version()
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": ram,
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "os": platform.platform(),
        "python": platform.python_version(),
        "rdflib": ver("rdflib"),
        "pyoxigraph": ver("pyoxigraph"),
        "oxrdflib": ver("oxrdflib"),
        "cskg": extractors,
    }


# ------------------------------------------------------------------------------------ memory
def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    out: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError, ValueError):
                out += [int(x) for x in (task / "children").read_text().split()]
    return out


def tree_rss_kb(pid: int) -> int:
    """RSS of a process and all its descendants (extraction workers)."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _status_kb(p, "VmRSS")
        todo += _children(p)
    return total


class RssSampler(threading.Thread):
    """Samples a process tree's RSS until stopped; keeps the peak (in kB). Past `cap_kb` it kills
    the process: the machine is shared, a runaway must not take everyone's memory."""

    def __init__(self, pid: int, every: float = 0.2, cap_kb: int = 8 << 20) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak, self.samples, self.cap_kb, self.killed = pid, every, 0, [], cap_kb, False
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            kb = tree_rss_kb(self.pid)
            if kb:
                self.peak = max(self.peak, kb)
                self.samples.append(kb)
            if kb > self.cap_kb:
                self.killed = True
                with contextlib.suppress(OSError):
                    os.kill(self.pid, signal.SIGKILL)
                return
            self._stop_event.wait(self.every)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# ------------------------------------------------------------------------------------ results
@dataclass
class Results:
    mode: str
    info: dict[str, str]
    figures: list[tuple[str, str, str, str]] = field(default_factory=list)  # figure, value, target, met
    queries: list[tuple] = field(default_factory=list)
    pages: list[tuple] = field(default_factory=list)
    hotspots: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    def fig(self, name: str, value: str, target: str = "", met: bool | None = None) -> None:
        self.figures.append((name, value, target, mark(met) if target else ""))
        if met is False:
            self.missed.append(f"{name}: {value} (target {target})")
        log(f"{name}: {value}")

    def note(self, text: str) -> None:
        self.notes.append(text)
        log("note: " + text)

    def markdown(self, started: float) -> str:
        i = self.info
        out = [f"\n## Run {i['date']} ({self.mode})\n",
               f"Machine: {i['cpu']}, {i['cores']} cores, {i['ram']} RAM; {i['os']}; load average at start {i['load average at start']}, at end {i.get('load average at end', '?')} (the machine is shared).  ",
               f"Versions: Python {i['python']}, rdflib {i['rdflib']}, pyoxigraph {i['pyoxigraph']}, oxrdflib {i['oxrdflib']}, {i['cskg']}.  ",
               f"Run time: {(time.monotonic() - started) / 60:.1f} min. Corpus: {i.get('corpus', '')}\n",
               "| figure | value | target | met |", "|---|---|---|---|"]
        out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in self.figures]
        if self.queries:
            out += ["", "Library queries (same query text and parameters on each engine; warm runs):", "",
                    "| query | rows | Oxigraph on disk p50 / p95 | Oxigraph in memory p50 | rdflib Dataset p50 | rdflib / Oxigraph disk | p50 < 300 ms | >= 10x |",
                    "|---|---|---|---|---|---|---|---|"]
            out += ["| " + " | ".join(str(c) for c in row) + " |" for row in self.queries]
        if self.pages:
            out += ["", "Explorer pages under load (all clients together):", "",
                    "| page | example | distinct URLs | requests | p50 | p95 | p99 | first requests per URL: n, p50 / p95 | errors |",
                    "|---|---|---|---|---|---|---|---|---|"]
            out += ["| " + " | ".join(str(c) for c in row) + " |" for row in self.pages]
        if self.hotspots:
            out += ["", "Profile of ingest (pyinstrument, one process):", ""] + self.hotspots
        if self.missed:
            out += ["", "Targets missed in this run:", ""] + [f"- {m}" for m in self.missed]
        if self.notes:
            out += ["", "Notes:", ""] + [f"- {n}" for n in self.notes]
        return "\n".join(out) + "\n"


HEADER = """# Benchmarks

Produced by `make bench` (quick: under 10 minutes on a 2-core machine) and `make bench FULL=1`
(1,000 and 10,000 reports); each run APPENDS a section below. The code is in `benchmarks/`.
`make bench FULL=1 STORE=dir` (`--on-store`) takes only the figures measured on a store built earlier
(size, exports, library queries, explorer), to re-measure a change without rebuilding the corpora.

The corpus is synthetic (`python -m benchmarks.generate N OUTDIR --seed 1`): reports recombining the
structures of the genre (front matter layouts, numbered paragraphs, Ofsted judgement sentences,
lists and tables, monitoring visits, interventions, commissioners, programmes, money tables) with
councils, inspectors, dates and grades drawn from `data/reference`, and prose from a Markov chain
over the sample reports. It measures **speed, not extraction quality**: the facts are random.

How figures are taken: ingest goes through `graph.load.load_paths` (read, extract, write) on a fresh
on-disk store; "cskg load" is the CLI in a subprocess (its peak RSS includes the extraction
workers); query latencies are warm runs of each `queries/*.rq` with its default parameters (or a
value sampled from the store) on the on-disk store, on an in-memory Oxigraph copy, and on rdflib's
`Dataset(default_union=True)` parsed from the same N-Quads dump, in the same run; explorer figures
come from a bounded Python load generator (threads + http.client, loopback only) against
`cskg serve`, which shares the 2 cores with it; the clients rotate over up to 100 distinct
councils, people, reports and networks, so page caches answer only repeats ("first requests per
URL" are the uncached ones). Medians over repeats; p95/p99 are nearest-rank.

Guards, because the machine is shared: every engine runs its queries in a child process; one
execution is stopped after 20 s (full: 120 s) and an engine process past 3 GB (Oxigraph in memory: 12 GB) RSS is killed
(rdflib: 8 GB), the query reported as killed. rdflib executions are cut at 5 s (full: 30 s) and
reported as lower bounds ("> 5000 ms", ratio "> Nx"); an rdflib query past 5 s is timed once. The quick run gives each engine a time budget
for all queries (100 s on disk, 40 s in memory, 90 s rdflib; full: 10, 7 and 9 min); queries past it say "not run".
The quick run picks its corpus size (100 to 1,000) from a pilot so that it stays under 10 minutes.

| target (2-core machine) | value |
|---|---|
| ingest, text/HTML reports | >= 40 reports/s using both cores |
| adding one report to a 10,000-report store | < 0.5 s |
| library queries on the 10,000-report store | every p50 < 300 ms and >= 10x faster than rdflib in memory |
| explorer pages under 8 concurrent clients | p95 < 200 ms, zero errors |
| `cskg serve` RSS with the 10,000-report store | < 1 GB |
| whole-store N-Quads export | >= 200k quads/s |
"""


# ------------------------------------------------------------------------------------ config
@dataclass
class Config:
    full: bool
    workdir: Path
    seed: int
    n_ingest: int | None  # None: chosen from a pilot (quick) or 1,000 (full)
    n_big: int | None
    repeats: int
    query_repeats: int
    explorer_seconds: float
    clients: int
    profile_reports: int
    engine_budget: dict  # seconds for all library queries together, per engine
    ingest_budget: float  # seconds the quick run may spend ingesting


def make_config(args: argparse.Namespace) -> Config:
    if args.full:
        budgets = {"oxigraph-disk": 600.0, "oxigraph-memory": 420.0, "rdflib": 540.0}
        return Config(True, Path(args.workdir), args.seed, args.n or 1000, args.big or 10_000, 3, 10, 60.0, 8, 100, budgets, 0.0)
    budgets = {"oxigraph-disk": 100.0, "oxigraph-memory": 40.0, "rdflib": 90.0}
    return Config(False, Path(args.workdir), args.seed, args.n, args.big, 3, 5, 15.0, 8, 100, budgets, 180.0)


# ------------------------------------------------------------------------------------ corpora
def corpus(gen, outdir: Path, start: int, n: int) -> Path:
    """Reports start..start+n-1 into outdir (reused when already there: generation is deterministic)."""
    outdir.mkdir(parents=True, exist_ok=True)
    have = {p.name.split("-", 1)[0] for p in outdir.iterdir()}
    for i in range(start, start + n):
        if f"{i:05d}" not in have:
            name, data = gen.report(i)
            (outdir / name).write_bytes(data)
    return outdir


def folder_of(files: list[Path], folder: Path) -> Path:
    """A folder holding exactly `files` (hard links, or copies where links fail), for a command that
    takes a folder: a corpus folder keeps every report an earlier, larger run generated (a quick
    run after a full one would otherwise load all 10,000)."""
    wanted = {p.name: p for p in files}
    folder.mkdir(parents=True, exist_ok=True)
    for p in folder.iterdir():
        if p.name not in wanted:
            p.unlink()
    for name, src in wanted.items():
        dst = folder / name
        if not dst.exists():
            try:
                os.link(src, dst)
            except OSError:
                shutil.copyfile(src, dst)
    return folder


def pilot(gens: dict, workdir: Path) -> dict[str, float]:
    """Single-core cost of reading + extracting + building one report, per format (median ms)."""
    from graph.load import loader_version, prepare_report

    cost: dict[str, float] = {}
    version = loader_version()
    for fmt, gen in gens.items():
        folder = corpus(gen, workdir / f"pilot-{fmt}", 0, 4 if fmt in ("pdf", "docx") else 12)
        times = []
        for path in sorted(folder.iterdir()):
            t = time.perf_counter()
            prep = prepare_report(str(path), None, version)
            times.append(time.perf_counter() - t)
            if prep.error:
                times.pop()
        cost[fmt] = median(times) if times else float("nan")
    return cost


# ------------------------------------------------------------------------------------ ingest
FAILURES: Counter = Counter()
WRITE_SECONDS: list[float] = []


def ingest_once(files_or_dir: list[Path], store_dir: Path) -> tuple[float, int, int, int]:
    """(seconds, loaded, failed, triples) for a fresh on-disk store; failure reasons go to FAILURES."""
    from graph.load import load_paths
    from graph.store import OxigraphStore

    shutil.rmtree(store_dir, ignore_errors=True)
    store = OxigraphStore(store_dir)
    writes = store.replace_sources

    def timed_writes(items) -> None:  # how much of the wall time the single writer takes
        t = time.perf_counter()
        writes(items)
        WRITE_SECONDS.append(time.perf_counter() - t)

    store.replace_sources = timed_writes
    try:
        t = time.perf_counter()
        summary = load_paths(store, files_or_dir)
        store.flush()
        seconds = time.perf_counter() - t
    finally:
        store.close()
    for o in summary.failed:
        FAILURES[f"{Path(o.path).suffix}: {re.sub(r'[0-9]+', 'N', o.reason)[:100]}"] += 1
    return seconds, summary.count("loaded"), summary.count("failed"), summary.triples_added


def add_one_cost(store_dir: Path, new_files: list[Path]) -> tuple[list[float], float]:
    """Seconds to load each new file into the store, and what looking up the files' source records
    (`store.sources_named`, the only per-store work a load does before writing) costs at this size."""
    from graph.load import load_paths
    from graph.store import OxigraphStore

    store = OxigraphStore(store_dir)
    times = []
    try:
        t = time.perf_counter()
        for f in new_files:
            store.sources_named([f.name])
        listing = (time.perf_counter() - t) / max(len(new_files), 1)
        for f in new_files:
            t = time.perf_counter()
            summary = load_paths(store, [f])
            times.append(time.perf_counter() - t)
            if summary.count("loaded") != 1:
                log(f"add-one: {f.name} did not load: {summary.line()}")
    finally:
        store.close()
    return times, listing


def cli_load(store_dir: Path, folder: Path) -> tuple[float, int, str]:
    """`cskg load` in a subprocess: (seconds, peak RSS kB of the process tree, summary line)."""
    shutil.rmtree(store_dir, ignore_errors=True)
    t = time.perf_counter()
    proc = subprocess.Popen(CSKG + ["--store", str(store_dir), "load", "-q", str(folder)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    sampler = RssSampler(proc.pid)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - t
    peak = sampler.stop()
    if sampler.killed:
        raise RuntimeError(f"cskg load was killed when its RSS passed {sampler.cap_kb // 1024} MB")
    line = (out.strip().splitlines() or [""])[-1]
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"cskg load failed ({proc.returncode}): {err.strip()[-500:]}")
    for m in re.finditer(r"^failed: (.+?): (.*)$", err, re.M):
        FAILURES[f"{Path(m.group(1)).suffix}: {re.sub(r'[0-9]+', 'N', m.group(2))[:100]}"] += 1
    return seconds, peak, line


# ------------------------------------------------------------------------------------ reference
def reference_loader():
    try:
        mod = importlib.import_module("graph.reference")
    except ImportError:
        return None
    return getattr(mod, "load_reference", None)


def load_reference_into(store_dir: Path) -> float:
    from graph.store import OxigraphStore

    fn = reference_loader()
    store = OxigraphStore(store_dir)
    try:
        t = time.perf_counter()
        fn(store, echo=lambda *a, **k: None)
        store.flush()
        return time.perf_counter() - t
    finally:
        store.close()


# ------------------------------------------------------------------------------------ queries
_SAMPLE_BY_NAME = (
    (("council", "organisation", "org", "authority", "la"), "?x a cs:LocalAuthority"),
    (("person", "people", "inspector", "commissioner"), "?x a foaf:Person"),
    (("inspection",), "?x a cs:Inspection"),
    (("report", "source"), "?x a schema:Report"),
    (("programme",), "?x a cs:Programme"),
)


def sample_value(store, name: str, type_: str) -> str | None:
    """A parameter value that exists in the store, for required parameters with no default."""
    if type_ in ("integer", "year"):
        return "2019"
    if type_ == "decimal":
        return "100000"
    if type_ == "date":
        return "2019-01-01"
    if type_ == "boolean":
        return "true"
    if type_ == "string":
        return "Ofsted"
    pattern = next((p for keys, p in _SAMPLE_BY_NAME if any(k in name.lower() for k in keys)), "?x a cs:LocalAuthority")
    rows = list(store.query(f"SELECT ?x WHERE {{ {pattern} }} LIMIT 1"))
    return str(rows[0][0]) if rows else None


def bound_queries(store) -> list[tuple[str, str, dict, str]]:
    """(name, bound sparql, params, problem) for every library query."""
    import queries as query_library
    from graph.query import QueryError, coerce_param
    from graph.sparql import bind_values

    out = []
    for name, q in sorted(query_library.library().items()):
        params, problem = {}, ""
        for p in q.params:
            value = p.default if p.default is not None else sample_value(store, p.name, p.type)
            if value is None:
                problem = f"no value for required parameter {p.name}"
                break
            params[p.name] = value
        try:
            bindings = {k: coerce_param(v, next(p.type for p in q.params if p.name == k)) for k, v in params.items()}
            text = bind_values(q.sparql, bindings)
        except (QueryError, ValueError) as exc:
            text, problem = q.sparql, f"cannot bind parameters: {exc}"
        out.append((name, text, params, problem))
    return out


def time_query(run, repeats: int, budget: float, tick=lambda: None, enough: float = float("inf")
               ) -> tuple[list[float], int, str]:
    """A first run (a warm-up, unless it takes a second or more: then it counts), then timed runs
    up to `repeats` while within `budget` seconds, and until one run has taken `enough` seconds
    (the baseline's slow runs: one is as good as three for a ratio, and repeating them used up the
    time budget before half the queries had run). `tick` is called before every execution."""
    times: list[float] = []
    try:
        tick()
        t = time.perf_counter()
        rows = run()
        first = time.perf_counter() - t
    except Exception as exc:  # noqa: BLE001 - a failing query is a finding, not a crash
        return [], -1, f"{type(exc).__name__}: {str(exc)[:120]}"
    spent = first
    if first >= 1.0:
        times.append(first)
    while len(times) < repeats and (spent < budget or not times) and not (times and max(times) >= enough):
        tick()
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
        spent += times[-1]
    return times, rows, ""


def prefixes() -> dict[str, str]:
    from ontology.namespace import PREFIXES

    return {k: str(v) for k, v in PREFIXES.items()}


# ------------------------------------------------------------------------------------ explorer
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port: int, path: str, timeout: float = 60.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept": "text/html"})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def load_generator(port: int, pages: list[tuple[str, str]], clients: int, seconds: float, warm: set[str] = frozenset()):
    """Each client thread keeps one connection and walks the page list from its own offset.
    Records (label, seconds, status, cold): cold is the first request for that exact URL in this
    run, which no page cache can have answered."""
    records: list[tuple[str, float, int, bool]] = []
    seen: set[str] = set(warm)  # URLs requested before the load are not cold
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(k: int) -> None:
        conn = None
        i = k * max(1, len(pages) // clients)
        local = []
        while time.monotonic() < deadline:
            label, path = pages[i % len(pages)]
            i += 1
            with lock:
                cold = path not in seen
                seen.add(path)
            t = time.perf_counter()
            status = 0
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", path, headers={"Accept": "text/html"})
                resp = conn.getresponse()
                resp.read()
                status = resp.status
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                if conn is not None:
                    conn.close()
                conn = None
            local.append((label, time.perf_counter() - t, status, cold))
        if conn is not None:
            conn.close()
        with lock:
            records.extend(local)

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return records, time.perf_counter() - t0


EXPLORER_ENTITIES = 100  # distinct councils, people and reports the clients rotate through


def explorer_pages(store, base: str, library_texts: list[str]) -> list[tuple[str, str]]:
    """The pages to load, interleaved by type: home, councils, people, reports, networks and
    /sparql with library queries; many distinct entities, so page caches do not answer everything."""

    def iris(sparql: str) -> list[str]:
        with contextlib.suppress(Exception):
            return [str(r[0]) for r in store.query(sparql) if r[0] is not None]
        return []

    def path_of(iri: str) -> str | None:
        return "/" + iri[len(base):] if iri.startswith(base) else None

    n = EXPLORER_ENTITIES
    councils = iris(f"SELECT ?c WHERE {{ ?r a schema:Report ; dcterms:publisher ?c }} GROUP BY ?c ORDER BY DESC(COUNT(?r)) LIMIT {n}") \
        or iris(f"SELECT ?c WHERE {{ ?c a cs:LocalAuthority }} LIMIT {n}")
    people = iris(f"SELECT ?p WHERE {{ ?m org:member ?p }} GROUP BY ?p ORDER BY DESC(COUNT(?m)) LIMIT {n}") \
        or iris(f"SELECT ?p WHERE {{ ?p a foaf:Person }} LIMIT {n}")
    reports = iris(f"SELECT ?r WHERE {{ ?r a schema:Report }} LIMIT {n}")
    sparql = library_texts or ["SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) LIMIT 20"]
    kinds = [
        ("home", ["/"]),
        ("council", [p for p in map(path_of, councils) if p]),
        ("person", [p for p in map(path_of, people) if p]),
        ("report", [p for p in map(path_of, reports) if p]),
        ("network", ["/network?" + urllib.parse.urlencode({"focus": c}) for c in councils]),
        ("sparql", ["/sparql?" + urllib.parse.urlencode({"query": q}) for q in sparql]),
    ]
    kinds = [(label, urls) for label, urls in kinds if urls]
    longest = max(len(urls) for _, urls in kinds)
    return [(label, urls[j % len(urls)]) for j in range(longest) for label, urls in kinds]


def run_explorer(res: Results, cfg: Config, store_dir: Path, pages: list[tuple[str, str]]) -> None:
    port = free_port()
    env = dict(os.environ, CSKG_STORE=str(store_dir))
    # a file, not a pipe: a server logging tracebacks into a full pipe would stall and skew the figures
    log_path = cfg.workdir / "serve.log"
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(CSKG + ["--store", str(store_dir), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                stdout=subprocess.DEVNULL, stderr=log_file, cwd=ROOT, env=env)
    try:
        t0 = time.monotonic()
        while True:
            try:
                http_get(port, "/", timeout=5)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() - t0 > 60:
                    err = log_path.read_text(encoding="utf-8", errors="replace")
                    res.note(f"`cskg serve` did not come up: {err.strip()[-300:]}")
                    return
                time.sleep(0.2)
        res.fig("`cskg serve` start-up until / answers", ms(time.monotonic() - t0))
        idle_rss = _status_kb(proc.pid, "VmRSS")
        live_kinds, probed = set(), set()
        for label, path in dict((label, path) for label, path in reversed(pages)).items():  # one URL of each kind
            probed.add(path)
            try:
                t = time.perf_counter()
                status, body = http_get(port, path)
                cold = time.perf_counter() - t
            except OSError as exc:
                res.note(f"{label} page {path[:80]}: {exc}; left out of the load")
                continue
            if status == 404:
                res.note(f"{label} page `{path[:80]}` answers 404 (not built yet): left out of the load")
            elif status >= 400:
                res.note(f"{label} page `{path[:80]}` answers {status}: kept in the load, counted as errors")
                live_kinds.add(label)
            else:
                live_kinds.add(label)
                log(f"page {label}: first request {ms(cold)}, {len(body)} bytes")
        live = [(label, path) for label, path in pages if label in live_kinds]
        if not live:
            res.note("no explorer page answered; explorer not measured")
            return
        sampler = RssSampler(proc.pid, 0.25)
        sampler.start()
        records, wall = load_generator(port, live, cfg.clients, cfg.explorer_seconds, warm=probed)
        peak = sampler.stop()
        if sampler.killed:
            res.note(f"`cskg serve` was killed when its RSS passed {sampler.cap_kb // 1024} MB")
        hwm = _status_kb(proc.pid, "VmHWM")
        lat = [r[1] for r in records]
        errors = sum(1 for r in records if r[2] == 0 or r[2] >= 400)
        p95 = pct(lat, 95)
        res.fig(f"explorer, {cfg.clients} clients for {cfg.explorer_seconds:.0f} s: requests/s", f"{len(records) / wall:.1f}")
        res.fig("explorer latency p50 / p95 / p99", f"{ms(pct(lat, 50))} / {ms(p95)} / {ms(pct(lat, 99))}",
                "p95 < 200 ms", p95 < TARGETS["page_p95"])
        res.fig("explorer errors (5xx, 4xx, connection)", f"{errors} of {len(records)}", "0", errors == 0)
        for label in dict.fromkeys(label for label, _ in live):
            mine = [r for r in records if r[0] == label]
            pl = [r[1] for r in mine]
            cold = [r[1] for r in mine if r[3]]
            errs = sum(1 for r in mine if r[2] == 0 or r[2] >= 400)
            example = next(path for lab, path in live if lab == label)
            res.pages.append((label, f"`{example[:50]}{'…' if len(example) > 50 else ''}`", len({p for lab, p in live if lab == label}),
                              len(mine), ms(pct(pl, 50)), ms(pct(pl, 95)), ms(pct(pl, 99)), f"{len(cold)}: {ms(pct(cold, 50))} / {ms(pct(cold, 95))}",
                              errs))
        serve_mb = max(peak, hwm) / 1024
        res.fig("`cskg serve` RSS idle -> peak under load", f"{idle_rss / 1024:.0f} MB -> {serve_mb:.0f} MB",
                "< 1 GB (10,000 reports)", serve_mb < TARGETS["serve_rss"])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ------------------------------------------------------------------------------------ profile
def profile_ingest(res: Results, files: list[Path], store_dir: Path) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        res.note("pyinstrument is not installed (dev extra): no profile")
        return
    from graph.load import load_paths
    from graph.store import OxigraphStore

    shutil.rmtree(store_dir, ignore_errors=True)
    store = OxigraphStore(store_dir)
    profiler = Profiler(interval=0.002)
    try:
        profiler.start()
        load_paths(store, files, workers=1)  # one process, so the profile sees extraction
        store.flush()
        profiler.stop()
    finally:
        store.close()
    root = profiler.last_session.root_frame()
    if root is None:
        return
    total = root.time
    own: dict[str, float] = {}
    inclusive: dict[str, float] = {}

    def walk(frame, stack: frozenset) -> None:
        key = f"`{frame.function}` ({_short_path(frame.file_path)}:{frame.line_no})"
        real = [c for c in frame.children if not c.is_synthetic]
        # pyinstrument books a frame's own samples on synthetic '[self]' children
        self_time = frame.time - sum(c.time for c in real)
        own[key] = own.get(key, 0.0) + max(self_time, 0.0)
        if key not in stack and _is_project(frame.file_path):
            inclusive[key] = inclusive.get(key, 0.0) + frame.time
        for child in real:
            walk(child, stack | {key})

    walk(root, frozenset())
    res.hotspots.append(f"{len(files)} text/HTML reports, one process, {total:.1f} s sampled.")
    res.hotspots += ["", "| self time (where the CPU is) | share |", "|---|---|"]
    res.hotspots += [f"| {k} | {v / total:.0%} |" for k, v in sorted(own.items(), key=lambda kv: -kv[1])[:12]]
    res.hotspots += ["", "| project function, inclusive time | share |", "|---|---|"]
    res.hotspots += [f"| {k} | {v / total:.0%} |" for k, v in sorted(inclusive.items(), key=lambda kv: -kv[1])[:15]]


def _is_project(path: str | None) -> bool:
    return bool(path) and str(ROOT) in path and "/.venv/" not in path and "/benchmarks/" not in path


def _short_path(path: str | None) -> str:
    if not path:
        return "?"
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1]
    return os.path.relpath(path, ROOT) if path.startswith(str(ROOT)) else Path(path).name


# ------------------------------------------------------------------------------------ the run
def run(cfg: Config) -> Results:
    from benchmarks.generate import Generator

    res = Results("full" if cfg.full else "quick", machine())
    work = cfg.workdir
    work.mkdir(parents=True, exist_ok=True)
    stores = work / "stores"
    shutil.rmtree(stores, ignore_errors=True)
    seed = cfg.seed

    # -- corpora and the pilot
    gens = {f: Generator(seed, (f,)) for f in ("txt", "html", "pdf", "docx")}
    text_html = Generator(seed, ("txt", "html"))
    mixed = Generator(seed)
    log("pilot: single-core cost per report and format")
    cost = pilot(gens, work)
    res.fig("read + extract + build, one core, per report: " + ", ".join(cost),
            " / ".join(ms(cost[f]) for f in cost))
    known = {f: c for f, c in cost.items() if c == c}  # a format with no reader yet has no cost
    if not known:
        raise SystemExit("benchmarks: no synthetic report could be read and extracted; see `cskg load` on benchmarks/out")
    weights = {"txt": 45, "html": 35, "pdf": 10, "docx": 10}
    c_text = median([known[f] for f in ("txt", "html") if f in known] or list(known.values()))
    c_mixed = sum(known[f] * weights[f] for f in known) / sum(weights[f] for f in known)
    if cfg.n_ingest is None:
        # ingest repeats + the CLI load of the mixed corpus must fit the quick budget. The pilot
        # leaves out the store writes (~30% of ingest) and the machine is shared, so no credit is
        # taken for the second core.
        per = (cfg.repeats * c_text + c_mixed) * 1.3
        cfg.n_ingest = int(max(100, min(1000, cfg.ingest_budget / max(per, 1e-3))) // 50 * 50)
    n1 = cfg.n_ingest
    n_big = cfg.n_big or n1
    n_small = n1 if cfg.full else max(50, n1 // 10)
    log(f"corpora: {n1} text/HTML reports for ingest, {n_big} mixed-format reports for the big store")
    dir_text = corpus(text_html, work / f"corpus-text-html-s{seed}", 0, n1)
    dir_mixed = corpus(mixed, work / f"corpus-mixed-s{seed}", 0, n_big)
    dir_extra = corpus(text_html, work / f"corpus-extra-s{seed}", 900_000, 5)
    text_files = sorted(dir_text.iterdir())[:n1]
    mixed_files = sorted(dir_mixed.iterdir())[:n_big]
    fmt_count = {}
    for p in mixed_files:
        fmt_count[p.suffix] = fmt_count.get(p.suffix, 0) + 1
    res.info["corpus"] = (f"seed {seed}; ingest: {n1} text/HTML reports ({mb(sum(p.stat().st_size for p in text_files))}); "
                          f"big store: {n_big} reports " + ", ".join(f"{n} {s}" for s, n in sorted(fmt_count.items())) +
                          f" ({mb(sum(p.stat().st_size for p in mixed_files))}).")

    # -- 1. ingest through load_paths
    runs = []
    WRITE_SECONDS.clear()
    for r in range(cfg.repeats):
        log(f"ingest {n1} text/HTML reports, repeat {r + 1}/{cfg.repeats}")
        runs.append(ingest_once(text_files, stores / f"ingest-{r}"))
        if r < cfg.repeats - 1:
            shutil.rmtree(stores / f"ingest-{r}", ignore_errors=True)
    secs = median([x[0] for x in runs])
    loaded, failed, triples = runs[-1][1], runs[-1][2], runs[-1][3]
    rps = loaded / secs if secs else 0.0
    res.fig(f"ingest {n1} text/HTML reports via load_paths (median of {cfg.repeats})",
            f"{rps:.1f} reports/s, {triples / secs:,.0f} triples/s ({secs:.1f} s; {triples / max(loaded, 1):.0f} triples/report; {failed} failed)",
            ">= 40 reports/s", rps >= TARGETS["ingest"])
    res.fig("of which store writes in the loading process (replace_sources), per repeat",
            f"{sum(WRITE_SECONDS) / cfg.repeats:.1f} s of {secs:.1f} s")
    if failed:
        reasons = "; ".join(f"{r} ({n})" for r, n in FAILURES.most_common(3))
        res.note(f"{failed} of {n1} synthetic reports failed to load; most common reasons over all repeats: {reasons}")
    FAILURES.clear()

    # the small store for the add-one cost
    if cfg.full:
        small = stores / f"ingest-{cfg.repeats - 1}"
    else:
        small = stores / "small"
        ingest_once(text_files[:n_small], small)

    from graph.store import OxigraphStore

    # -- 5. the big store through `cskg load` (peak RSS of the whole process tree)
    big = stores / "big"
    log(f"`cskg load` of {n_big} mixed-format reports")
    secs_cli, peak_load, line = cli_load(big, folder_of(mixed_files, work / f"corpus-mixed-s{seed}-first-{n_big}"))
    big_failed = sum(FAILURES.values())
    with OxigraphStore(big) as s_big:  # counted from the metadata graph, not parsed from the CLI's words
        reports = [r for r in s_big.sources() if r.kind == "report"]
    big_loaded, big_triples = len(reports), sum(r.triple_count for r in reports)
    log(f"cskg load said: {line}")
    res.fig(f"`cskg load` {n_big} mixed-format reports (txt/html/pdf/docx), one run",
            f"{big_loaded / secs_cli:.1f} reports/s, {big_triples / secs_cli:,.0f} triples/s ({secs_cli:.1f} s; {big_failed} failed)")
    res.fig("peak RSS of `cskg load` (process + extraction workers)", f"{peak_load / 1024:.0f} MB")
    if big_failed:
        reasons = "; ".join(f"{r} ({n})" for r, n in FAILURES.most_common(4))
        res.note(f"`cskg load`: {big_failed} of {n_big} mixed-format reports failed; most common reasons: {reasons}")
    if not cfg.full:
        shutil.rmtree(stores / f"ingest-{cfg.repeats - 1}", ignore_errors=True)

    # -- 2. reference data
    if reference_loader() is None:
        res.note("graph.reference.load_reference is not there yet: reference load not measured, stores hold reports only")
    else:
        times = []
        for r in range(cfg.repeats):
            log(f"reference load, repeat {r + 1}/{cfg.repeats}")
            shutil.rmtree(stores / "ref", ignore_errors=True)
            try:
                times.append(load_reference_into(stores / "ref"))
            except Exception as exc:  # noqa: BLE001 - another engineer's module mid-change
                res.note(f"load_reference failed: {type(exc).__name__}: {exc}")
                break
        shutil.rmtree(stores / "ref", ignore_errors=True)
        if times:
            res.fig(f"reference load into an empty store (median of {len(times)})", f"{median(times):.2f} s")
            with contextlib.suppress(Exception):
                load_reference_into(big)
                load_reference_into(small)

    # -- 1b. adding one report to a small and a big store
    extras = sorted(dir_extra.iterdir())
    add_one: dict[int, float] = {}
    for label, store_dir, n in (("small", small, n_small), ("big", big, n_big)):
        copies = []
        for i, f in enumerate(extras):
            dest = work / f"extra-{label}" / f"{label}-{i}-{f.name}"
            dest.parent.mkdir(exist_ok=True)
            shutil.copy(f, dest)
            copies.append(dest)
        times, listing = add_one_cost(store_dir, copies)
        res.fig(f"add one report to a store of {n} reports (median of {len(times)})",
                f"{ms(median(times))} (of which looking up the file's record: {ms(listing)})", "< 0.5 s", median(times) < TARGETS["add_one"])
        add_one[n] = (median(times), listing)
    if len(add_one) == 2 and n_big > n_small:
        # the whole load is noisy at small sizes; the record lookup is the part that could scale
        slope = (add_one[n_big][0] - add_one[n_small][0]) / (n_big - n_small)
        lslope = (add_one[n_big][1] - add_one[n_small][1]) / (n_big - n_small)
        at_10k = add_one[n_big][0] + max(slope, lslope, 0.0) * (10_000 - n_big)
        res.fig(f"add one report: growth from {n_small} to {n_big} reports, linear projection to 10,000",
                f"whole load {slope * 1e6:+.0f} ms per 1,000 reports, record lookup {lslope * 1e6:+.0f} ms per 1,000; "
                f"projected at 10,000: {ms(at_10k)}", "flat; < 0.5 s at 10,000", at_10k < TARGETS["add_one"])

    store_figures(res, cfg, big, n_big, small, n_small)

    # -- profile
    log(f"profile: ingest of {cfg.profile_reports} reports in one process")
    profile_ingest(res, text_files[: cfg.profile_reports], stores / "profile")

    res.info["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return res


def store_figures(res: Results, cfg: Config, big: Path, n_big: int, small: Path | None, n_small: int | None) -> None:
    """The figures taken on a built store: size, exports, library queries (against rdflib on
    `small` when the big store is too large for it) and the explorer under load."""
    from graph.store import OxigraphStore

    # -- 5b. size on disk
    res.fig(f"store size on disk ({n_big} reports + reference)", mb(dir_size(big)))
    work = cfg.workdir

    # -- 6. exports
    from graph.export import export_store

    store = OxigraphStore(big)
    nq = work / "export.nq"
    try:
        quads = 0
        for fmt, out in (("nquads", nq), ("turtle", work / "export.ttl")):
            times = []
            for _ in range(cfg.repeats):
                t = time.perf_counter()
                with open(out, "wb") as fh:
                    export_store(store, fh, fmt)  # what `cskg export` runs
                times.append(time.perf_counter() - t)
            if fmt == "nquads":
                with open(out, "rb") as fh:
                    quads = sum(1 for _ in fh)
                rate = quads / median(times)
                res.fig(f"export N-Quads (median of {len(times)})", f"{median(times):.2f} s, {mb(out.stat().st_size)}, {quads:,} quads, "
                        f"{rate:,.0f} quads/s", ">= 200k quads/s", rate >= TARGETS["export_qps"])
            else:
                res.fig(f"export Turtle, union of graphs (median of {len(times)})",
                        f"{median(times):.2f} s, {mb(out.stat().st_size)}, {quads / median(times):,.0f} quads/s")
        (work / "export.ttl").unlink(missing_ok=True)

        bound = bound_queries(store)
    finally:
        store.close()
    rdf_nq, rdf_store = nq, big
    if quads > RDFLIB_MAX_QUADS:
        # rdflib cannot hold this in memory on a laptop: compare on the small store instead
        rdf_nq, rdf_store = work / "small.nq", small
    if rdf_store is None:
        res.note(f"the store has {quads:,} quads, more than rdflib is given here ({RDFLIB_MAX_QUADS:,}), and no smaller "
                 "store was given: no rdflib comparison")
    elif rdf_store != big:
        with OxigraphStore(rdf_store) as s_small, open(rdf_nq, "wb") as fh:
            s_small.dump(fh, "nquads")
        res.note(f"the big store has {quads:,} quads, more than rdflib is given here ({RDFLIB_MAX_QUADS:,}): "
                 f"the rdflib comparison runs on the {n_small}-report store, against Oxigraph on that same store")

    # -- 3. library queries, each engine in its own process (a runaway query cannot take the run down)
    runnable = [(name, text) for name, text, _p, problem in bound if not problem]
    if not bound:
        res.note("the query library (queries/*.rq) is empty: no query figures")
    ox_disk = run_engine(res, "oxigraph-disk", str(big), runnable, cfg) if runnable else {}
    ox_mem = run_engine(res, "oxigraph-memory", str(nq), runnable, cfg) if runnable else {}
    ox_same, rdf = {}, {}
    if rdf_store is not None and runnable:
        ox_same = ox_disk if rdf_store == big else run_engine(res, "oxigraph-disk", str(rdf_store), runnable, cfg)
        rdf = run_engine(res, "rdflib", str(rdf_nq), runnable, cfg)
    fast = [text for name, text in runnable if ox_disk.get(name, ([], 0, "x"))[0] and median(ox_disk[name][0]) < 1.0]
    with OxigraphStore(big) as pages_store:
        pages = explorer_pages(pages_store, pages_store.minter.base, fast)
    for name, _text, _params, problem in bound:
        if problem:
            res.queries.append((name, "-", problem, "", "", "", "", ""))
            continue
        dt_, rows, err = ox_disk[name]
        if err.startswith("not run"):
            res.queries.append((name, "-", err, "", "", "", "n/a", "n/a"))
            continue
        if err:
            res.queries.append((name, "-", err, "", "", "", mark(False), ""))
            res.missed.append(f"query {name} on Oxigraph on disk: {err}")
            continue
        mt, _mrows, merr = ox_mem.get(name, ([], 0, "not run"))
        rt, rrows, rerr = rdf.get(name, ([], 0, "not run"))
        p50 = median(dt_)
        same = ox_same.get(name, ([], 0, ""))[0]
        cut = rrows == -2  # rdflib was stopped: its time is a lower bound, and so is the ratio
        rdf_time = float(re.search(r"after (\d+)", rerr).group(1)) if cut else median(rt) if rt else float("nan")
        ratio = rdf_time / median(same) if same and median(same) > 0 else float("nan")
        ok50 = p50 < TARGETS["query_p50"]
        okratio = None if ratio != ratio or (cut and ratio < TARGETS["query_ratio"]) else ratio >= TARGETS["query_ratio"]
        rows_note = f"{rows}" + (f" (rdflib {rrows})" if rt and rrows != rows else "")
        rdf_cell = f"> {ms(rdf_time)}" if cut else ms(rdf_time) if rt else (rerr or "n/a")
        if ratio != ratio:
            ratio_cell = "n/a"
        elif cut:  # a lower bound: it says nothing about which engine is faster below it
            ratio_cell = f"> {ratio:.1f}x" if ratio >= 1 else f"> {ratio:.2f}x"
        else:
            ratio_cell = f"{ratio:.1f}x" if ratio >= 1 else f"{ratio:.2f}x (rdflib faster)"
        res.queries.append((name, rows_note, f"{ms(p50)} / {ms(pct(dt_, 95))}", ms(median(mt)) if mt else merr,
                            rdf_cell, ratio_cell, mark(ok50), mark(okratio)))
        if not ok50:
            res.missed.append(f"query {name}: p50 {ms(p50)} on disk (target < 300 ms)")
        if okratio is False:
            res.missed.append(f"query {name}: {ratio:.2f}x the speed of rdflib (target >= 10x)")
    if res.queries:
        good = sum(1 for q in res.queries if q[6] == "yes")
        unknown = sum(1 for q in res.queries if q[6] in ("n/a", ""))
        res.fig(f"library queries with p50 < 300 ms on disk ({n_big}-report store)",
                f"{good} of {len(res.queries)}" + (f" ({unknown} not measured)" if unknown else ""), "all", good == len(res.queries))
        for engine, got in (("Oxigraph on disk", ox_disk), ("Oxigraph in memory", ox_mem), ("rdflib", rdf)):
            skipped = [n for n, v in got.items() if v[2].startswith("not run")]
            if skipped:
                res.note(f"{engine}: the time budget for queries ran out before {len(skipped)} queries: {', '.join(skipped)}")

    # -- 4. explorer under load (the store must be closed here: RocksDB allows one writer process)
    log(f"explorer: {cfg.clients} clients for {cfg.explorer_seconds:.0f} s")
    run_explorer(res, cfg, big, pages)


def run_on_store(cfg: Config, store_dir: Path, small: Path | None = None) -> Results:
    """The store figures alone, on a store built earlier (and `small`, a smaller one for the rdflib
    comparison): to re-measure a change to queries, the explorer or exports without the 40
    minutes of corpora and ingest."""
    from graph.store import OxigraphStore

    res = Results("store figures on an existing store", machine())
    cfg.workdir.mkdir(parents=True, exist_ok=True)

    def reports(path: Path) -> int:
        with OxigraphStore(path) as st:  # opening brings an older store's summaries up to date
            return sum(1 for r in st.sources() if r.kind == "report")

    n = reports(store_dir)
    n_small = reports(small) if small is not None else None
    res.info["corpus"] = (f"the store at {store_dir} ({n} reports)" + (f", and {small} ({n_small} reports) for rdflib" if small else "")
                          + "; no corpus or ingest in this run.")
    store_figures(res, cfg, store_dir, n, small, n_small)
    res.info["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return res


# A runaway query (a cartesian product, say) is killed rather than allowed to take the shared
# machine's memory: these caps are per engine process.
RDFLIB_MAX_QUADS = 3_000_000
# (Oxigraph in memory holds ~0.65 GB per million quads: the 10,000-report store needs ~7 GB.)
ENGINE_RSS_CAP_MB = {"oxigraph-disk": 3072, "oxigraph-memory": 12288, "rdflib": 8192}


def _engine_child(engine: str, source: str, queries: list[tuple[str, str]], repeats: int, budget: float, per_query: float,
                  per_run: float, conn) -> None:
    try:
        t = time.perf_counter()
        if engine == "rdflib":
            from rdflib import Dataset

            ds = Dataset(default_union=True)
            ds.parse(source, format="nquads")
            pre = prefixes()

            def run(q: str) -> int:
                return sum(1 for _ in ds.query(q, initNs=pre))
        else:
            import pyoxigraph as ox

            from graph.store import OxigraphStore

            if engine == "oxigraph-disk":
                store = OxigraphStore(source)
            else:
                store = OxigraphStore(None)
                store.ox.bulk_load(path=source, format=ox.RdfFormat.N_QUADS)
                # the dump holds the named graphs; queries read their union, kept in the default graph
                # (streamed in, not one INSERT transaction: 10 million quads would double the memory)
                store.ox.bulk_extend(ox.Quad(q.subject, q.predicate, q.object)
                                     for q in ox.parse(path=source, format=ox.RdfFormat.N_QUADS))

            def run(q: str) -> int:
                return len(store.query(q))
        conn.send(("loaded", time.perf_counter() - t, _status_kb(os.getpid(), "VmRSS")))
        spent = 0.0
        for name, text in queries:
            if spent > budget:
                conn.send(("done", name, [], 0, "not run (time budget)"))
                continue
            conn.send(("start", name))
            t = time.perf_counter()
            repeat_budget = min(per_query, max(budget - spent, 1.0))
            if engine == "rdflib":
                result = _forked_query(lambda q=text: run(q), repeats, repeat_budget, per_run, lambda n=name: conn.send(("tick", n)))
            else:
                result = time_query(lambda q=text: run(q), repeats, repeat_budget, tick=lambda n=name: conn.send(("tick", n)))
            spent += time.perf_counter() - t
            conn.send(("done", name, *result))
        conn.send(("end",))
    finally:
        conn.close()


# rdflib runs past this many seconds are timed once
RDFLIB_ENOUGH = 5.0


def _forked_query(run, repeats: int, budget: float, per_run: float, tick) -> tuple[list[float], int, str]:
    """time_query in a forked copy of this (pure Python) process, killed after `per_run` seconds
    without progress, so a slow rdflib query costs no reload of the data. rows = -2: cut short."""
    import multiprocessing as mp

    mine, theirs = mp.Pipe()
    pid = os.fork()
    if pid == 0:  # the copy: run, report, leave without cleanup handlers
        code = 0
        try:
            mine.close()
            theirs.send(("result", time_query(run, repeats, budget, tick=lambda: theirs.send(("tick",)), enough=RDFLIB_ENOUGH)))
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)
    theirs.close()
    deadline = time.monotonic() + per_run
    result: tuple = ([], -2, f"cut short after {per_run:.0f} s")
    try:
        while time.monotonic() < deadline:
            if mine.poll(0.1):
                msg = mine.recv()
                if msg[0] == "tick":
                    tick()
                    deadline = time.monotonic() + per_run
                else:
                    result = msg[1]
                    break
    except EOFError:
        result = ([], -1, "the query process died")
    finally:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        mine.close()
    return result


def run_engine(res: Results, engine: str, source: str, queries: list[tuple[str, str]], cfg: Config) -> dict:
    """Time every query on one engine in a child process; a query that runs past the time limit or
    the memory cap is killed and recorded, and the rest go on in a fresh process."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    cap_kb = min(ENGINE_RSS_CAP_MB[engine] * 1024, int(_meminfo_kb("MemAvailable") * 0.6) or 1 << 62)
    # one execution of one query; rdflib's slow runs are cut short in the engine process itself (a
    # lower bound is enough to compute the ratio), the parent's limit is the backstop
    per_run = 120.0 if cfg.full else 20.0
    # a lower bound this long already shows a ratio of 10x or not (30 s against Oxigraph's 3 s)
    rdflib_run = 30.0 if cfg.full else 5.0
    per_query = 60.0 if cfg.full else 5.0  # for the repeats of one query
    budget = cfg.engine_budget[engine]
    results: dict = {}
    remaining = list(queries)
    first_load = True
    out_of_time = time.monotonic() + budget + 5.0  # restarts after a kill re-load the data: count them too
    while remaining:
        left = out_of_time - time.monotonic()
        if left <= 5.0:
            for name, _ in remaining:
                results[name] = ([], 0, "not run (time budget)")
            break
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_engine_child, args=(engine, source, remaining, cfg.query_repeats, left, per_query, rdflib_run,
                                                       child), daemon=True)
        proc.start()
        child.close()
        current, problem = None, ""
        deadline = time.monotonic() + (3600.0 if cfg.full else 600.0)
        while not problem:
            try:
                msg = parent.recv() if parent.poll(0.2) else None
            except EOFError:
                msg, problem = None, f"the {engine} process died (exit status {proc.exitcode})"
            if msg is not None:
                if msg[0] == "loaded" and first_load:
                    first_load = False
                    res.fig(f"{engine}: open / load `{Path(source).name}` for queries", f"{msg[1]:.1f} s, {msg[2] / 1024:.0f} MB RSS")
                elif msg[0] in ("start", "tick"):
                    current, deadline = msg[1], time.monotonic() + per_run + (rdflib_run if engine == "rdflib" else 0.0)
                elif msg[0] == "done":
                    results[msg[1]] = (msg[2], msg[3], msg[4])
                    remaining = [q for q in remaining if q[0] != msg[1]]
                    current = None
                elif msg[0] == "end":
                    break
                continue
            if tree_rss_kb(proc.pid) > cap_kb:
                problem = f"killed: over {cap_kb // 1024} MB RSS"
            elif time.monotonic() > out_of_time:
                problem = "not run (time budget)"
            elif time.monotonic() > deadline:
                problem = f"killed: one run took over {per_run:.0f} s" if current else "killed: loading took too long"
        if proc.is_alive():
            proc.kill()
        proc.join()
        parent.close()
        if problem:
            log(f"{engine}: {current or 'loading'}: {problem}")
            if current is None or problem.startswith("not run"):
                for name, _ in remaining:
                    results[name] = ([], -1, problem)
                break
            results[current] = ([], -1, problem)
            remaining = [q for q in remaining if q[0] != current]
    return results


def _meminfo_kb(key: str) -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int(Path("/proc/meminfo").read_text().split(key + ":")[1].split()[0])
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--full", action="store_true", help="1,000 and 10,000 reports, 60 s of explorer load")
    ap.add_argument("--n", type=int, default=None, help="reports for the ingest figure (quick: chosen from a pilot)")
    ap.add_argument("--big", type=int, default=None, help="reports in the big store (default: 10,000 full, else --n)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", default=str(ROOT / "benchmarks" / "out"))
    ap.add_argument("--explorer-seconds", type=float, default=None, help="length of the explorer load (default 15 s, full 60 s)")
    ap.add_argument("--keep", action="store_true", help="keep the workdir (corpora are then reused by the next run)")
    ap.add_argument("--on-store", metavar="DIR", default=None,
                    help="only the figures taken on a built store (size, exports, library queries on disk and in memory, "
                         "explorer), on this existing store, e.g. benchmarks/out/stores/big kept by --full --keep")
    ap.add_argument("--rdflib-store", metavar="DIR", default=None,
                    help="with --on-store: a smaller store for the rdflib comparison when the big one holds more than "
                         "rdflib is given (e.g. benchmarks/out/stores/ingest-2, 1,000 reports)")
    ap.add_argument("--no-append", action="store_true", help="print the section instead of appending it to BENCHMARKS.md")
    args = ap.parse_args(argv)
    cfg = make_config(args)
    if args.explorer_seconds:
        cfg.explorer_seconds = args.explorer_seconds
    started = time.monotonic()
    if args.on_store:
        store_dir = Path(args.on_store)
        if not (store_dir / "CURRENT").exists():
            ap.error(f"{store_dir} is not an Oxigraph store (no CURRENT file)")
        cfg.workdir = cfg.workdir / "on-store"  # the only folder deleted afterwards (the store is never touched)
        if store_dir.resolve().is_relative_to(cfg.workdir.resolve()):
            ap.error(f"{store_dir} is inside {cfg.workdir}, which this run deletes when it ends")
        res = run_on_store(cfg, store_dir, Path(args.rdflib_store) if args.rdflib_store else None)
    else:
        res = run(cfg)
    section = res.markdown(started)
    if args.no_append:
        print(section)
    else:
        existing = BENCHMARKS_MD.read_text(encoding="utf-8") if BENCHMARKS_MD.exists() else ""
        if not existing.startswith("# Benchmarks"):  # other sections (the soak's) may have come first
            BENCHMARKS_MD.write_text(HEADER + ("\n" + existing if existing else ""), encoding="utf-8")
        with BENCHMARKS_MD.open("a", encoding="utf-8") as fh:
            fh.write(section)
        log(f"appended the results to {BENCHMARKS_MD}")
    if not args.keep:
        shutil.rmtree(cfg.workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
