"""Loading reports into a store: read -> extract -> build the report graph -> replace it.

A file whose sha256 is already recorded for its source is skipped; a changed file replaces its
graph in one transaction; a file that fails is reported with its reason and the rest still load.
Preparation (reading, extraction, building triples) is pure and runs in worker processes when
there is more than one file to do.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import cskg
from graph import summaries
from graph.build import BUILD_VERSION, report_triples
from graph.iri import IriMinter
from graph.store import SourceBatchItem, SourceRecord, Store, now_iso, ntriples_body
from loaders.extract import extract, pipeline_version
from loaders.model import ReaderError
from loaders.readers import MAX_FILE_BYTES, is_supported, read_document, sha256_bytes


@dataclass
class FileOutcome:
    path: str
    status: str  # loaded | unchanged | failed | skipped
    reason: str = ""
    triples: int = 0


@dataclass
class LoadSummary:
    outcomes: list[FileOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def triples_added(self) -> int:
        return sum(o.triples for o in self.outcomes if o.status == "loaded")

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status in ("failed", "skipped")]

    def line(self) -> str:
        return (
            f"{self.count('loaded')} loaded, {self.count('unchanged')} unchanged, "
            f"{self.count('failed')} failed, {self.count('skipped')} skipped (unsupported); "
            f"{self.triples_added} triples added"
        )


def loader_version() -> str:
    return f"cskg {cskg.__version__} / graph {BUILD_VERSION} / extractors {pipeline_version()}"


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[FileOutcome]]:
    """Expand folders recursively (sorted, so every run goes in the same order). Unsupported
    suffixes inside folders are reported as skipped; a missing path is a failure."""
    files: list[Path] = []
    problems: list[FileOutcome] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            root = p.resolve()
            for child in sorted(p.rglob("*")):
                if child.is_dir() or child.name.startswith(".") or _is_folder_notes(child):
                    continue
                if child.is_symlink() and not _inside(child.resolve(), root):
                    problems.append(FileOutcome(str(child), "failed", "a symlink pointing outside the folder; not followed"))
                elif is_supported(child):
                    files.append(child)
                elif child.suffix.lower() not in (".json", ".gitkeep"):
                    problems.append(FileOutcome(str(child), "skipped", f"unsupported file type {child.suffix or '(none)'}"))
        elif p.exists():
            if is_supported(p):
                files.append(p)
            else:
                problems.append(FileOutcome(str(p), "skipped", f"unsupported file type {p.suffix or '(none)'}"))
        else:
            problems.append(FileOutcome(str(p), "failed", "no such file or folder"))
    return files, problems


def _is_folder_notes(path: Path) -> bool:
    """README / LICENCE files describe a folder of reports; they are not reports."""
    return path.stem.upper() in ("README", "LICENSE", "LICENCE", "NOTICE")


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


# A hostile or pathological file must not stall a batch: each file gets this many seconds.
FILE_TIME_LIMIT = int(os.environ.get("CSKG_FILE_TIME_LIMIT", "120"))


class _FileTimeout(Exception):
    pass


@contextmanager
def _time_limit(seconds: int):
    """SIGALRM-based limit; only possible in a process's main thread (the CLI and pool workers)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):  # noqa: ARG001
        raise _FileTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Prepared:
    path: str
    item: SourceBatchItem | None = None
    error: str = ""


def prepare_report(path: str, base: str | None, version: str, known_sha: str | None = None) -> Prepared:
    """Read, extract and build one report's graph. Pure: touches no store. Never raises for bad
    input: the reason comes back in `error`."""
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            return Prepared(path, error=f"file is {size // (1024 * 1024)} MB; the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB")
        data = Path(path).read_bytes()
    except OSError as exc:
        return Prepared(path, error=f"cannot read the file: {exc.strerror or exc}")
    sha = sha256_bytes(data)
    if known_sha == sha:
        return Prepared(path)
    try:
        with _time_limit(FILE_TIME_LIMIT):
            doc = read_document(path, data)
            facts = extract(doc)
            minter = IriMinter(base)
            triples = report_triples(doc, facts, minter)
    except ReaderError as exc:
        return Prepared(path, error=str(exc))
    except _FileTimeout:
        return Prepared(path, error=f"reading and extracting took longer than {FILE_TIME_LIMIT} s; refused")
    except MemoryError:
        return Prepared(path, error="the file needs more memory than is available to read it; refused")
    except Exception as exc:  # an extractor bug must not take the batch down
        return Prepared(path, error=f"internal error while extracting ({type(exc).__name__}: {exc})")
    key = minter.report_key(doc.source_file)
    record = SourceRecord(minter.report_graph(key), doc.source_file, sha, version, now_iso(), len(triples), "report")
    item = SourceBatchItem(record, body_utf8=ntriples_body(triples).encode("utf-8"), summary_candidates=summaries.candidates(triples))
    return Prepared(path, item)


def _prepare_args(args: tuple[str, str | None, str, str | None]) -> Prepared:
    return prepare_report(*args)


def load_paths(
    store: Store,
    paths: Sequence[str | Path],
    *,
    progress: Callable[[FileOutcome], None] | None = None,
    workers: int | None = None,
    batch_size: int = 100,
    batch_seconds: float = 2.0,
) -> LoadSummary:
    """Load report files and folders into the store. See the module docstring for the rules.

    Prepared reports are written `batch_size` at a time (each bulk load builds and ingests sorted
    files for every index, and the store merges them later: 100 reports a load cost ~15 ms of CPU a
    report where 20 cost ~17), or sooner once the first waiting one has waited `batch_seconds`, so
    progress keeps coming while slow files (PDF, DOCX) are read."""
    files, problems = collect_files(paths)
    summary = LoadSummary(list(problems))
    for o in problems:
        if progress:
            progress(o)
    version = loader_version()
    known = {rec.source_file: rec for rec in store.sources_named(p.name for p in files) if rec.kind == "report"}

    def known_sha(p: Path) -> str | None:
        rec = known.get(p.name)
        return rec.sha256 if rec and rec.loader_version == version else None

    jobs = [(str(p), store.minter.base, version, known_sha(p)) for p in files]
    pending: list[tuple[Prepared, FileOutcome]] = []
    waiting_since = 0.0

    def flush() -> None:
        if not pending:
            return
        try:
            store.replace_sources([p.item for p, _ in pending if p.item is not None])
        except Exception as exc:  # the store refused the batch: retry one by one to find the culprit
            if len(pending) > 1:
                for prep, outcome in pending:
                    try:
                        store.replace_sources([prep.item])
                    except Exception as inner:  # noqa: BLE001
                        outcome.status, outcome.reason, outcome.triples = "failed", f"the store refused it: {inner}", 0
            else:
                outcome = pending[0][1]
                outcome.status, outcome.reason, outcome.triples = "failed", f"the store refused it: {exc}", 0
        for _, outcome in pending:
            summary.outcomes.append(outcome)
            if progress:
                progress(outcome)
        pending.clear()

    # the summaries of every council the load touches are recomputed once, at its end
    with store.deferred_summaries():
        for prep in _run(jobs, workers):
            if prep.error:
                outcome = FileOutcome(prep.path, "failed", prep.error)
                summary.outcomes.append(outcome)
                if progress:
                    progress(outcome)
            elif prep.item is None:
                outcome = FileOutcome(prep.path, "unchanged")
                summary.outcomes.append(outcome)
                if progress:
                    progress(outcome)
            else:
                if not pending:
                    waiting_since = time.monotonic()
                pending.append((prep, FileOutcome(prep.path, "loaded", triples=prep.item.record.triple_count)))
                if len(pending) >= batch_size or time.monotonic() - waiting_since >= batch_seconds:
                    flush()
        flush()
    return summary


def _run(jobs: list[tuple[str, str | None, str, str | None]], workers: int | None) -> Iterator[Prepared]:
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(jobs) > 4 else 1
    if workers <= 1:
        yield from (_prepare_args(j) for j in jobs)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_prepare_args, jobs, chunksize=4)


def remove_source(store: Store, name_or_graph: str) -> SourceRecord | None:
    rec = store.source(name_or_graph)
    if rec is not None:
        store.remove_source(rec.graph)
    return rec
