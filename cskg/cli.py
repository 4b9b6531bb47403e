"""The `cskg` command line. Each command is a few lines that call the library function a Python
user would call; user errors are one plain sentence and exit status 1 or 2, never a traceback."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from typing import TYPE_CHECKING

import click

import cskg
from graph.formats import FORMATS

if TYPE_CHECKING:
    from graph.store import Store


class UserError(click.ClickException):
    """An error the user can act on: printed as one line, exit status 1."""

    exit_code = 1

    def show(self, file=None) -> None:  # noqa: ARG002
        click.echo(f"error: {self.format_message()}", err=True)


def store_option(fn):
    """`--store PATH|URL` on every command (it can also be given before the command)."""

    @click.option(
        "--store",
        "store_location",
        envvar="CSKG_STORE",
        default=None,
        metavar="PATH|URL",
        help="Store folder (default ./var/store, or $CSKG_STORE), or sparql+http://host:port/... for a SPARQL server.",
    )
    @click.pass_context
    @functools.wraps(fn)
    def wrapper(ctx: click.Context, store_location: str | None, *args, **kwargs):
        location = store_location or (ctx.obj or {}).get("store")
        ctx.ensure_object(dict)["store"] = location
        return fn(*args, **kwargs)

    return wrapper


def get_store() -> Store:
    # graph.store (rdflib) on first use: each SPARQL worker process imports this module too
    from graph.store import StoreError, open_store

    ctx = click.get_current_context()
    obj = ctx.ensure_object(dict)
    if "opened" not in obj:
        try:
            obj["opened"] = open_store(obj.get("store"))
        except StoreError as exc:
            raise UserError(str(exc)) from None
        ctx.call_on_close(obj["opened"].close)
    return obj["opened"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(cskg.__version__, prog_name="cskg")
@click.option("--store", "store_location", envvar="CSKG_STORE", default=None, metavar="PATH|URL",
              help="Store folder (default ./var/store) or sparql+http://... URL; also accepted after the command.")
@click.pass_context
def cli(ctx: click.Context, store_location: str | None) -> None:
    """cskg: the knowledge graph of children's services improvement in England.

    Load council reports and reference data into an RDF store, query it with SPARQL, export it,
    and explore it in the browser.
    """
    ctx.ensure_object(dict)["store"] = store_location


# ------------------------------------------------------------------------------------- load
# reports written by one `cskg load` after which the store is compacted: on a 10,000-report store
# compacting takes ~23 s (~7% of the load) and speeds the library queries up by 10-30%
COMPACT_AFTER = 1000


def _compact(store: Store, why: str, quiet: bool) -> None:
    import time

    from graph.store import StoreError

    if not quiet:
        click.echo(f"compacting the store{' ' + why if why else ''} (about 2 s per 1,000 reports)...", err=True)
    t = time.perf_counter()
    try:
        done = store.compact()
    except StoreError as exc:
        raise UserError(str(exc)) from None
    if not quiet:
        click.echo(f"compacted in {time.perf_counter() - t:.1f} s" if done
                   else "nothing to compact: a server or in-memory store looks after its own files", err=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--workers", type=int, default=None, help="Worker processes for extraction (default: up to 4 when loading many files).")
@click.option("--quiet", "-q", is_flag=True, help="Only print the summary and errors.")
@click.option("--compact/--no-compact", default=None,
              help=f"Compact the store after loading (default: when {COMPACT_AFTER:,} or more reports were written).")
@store_option
def load(paths: tuple[Path, ...], workers: int | None, quiet: bool, compact: bool | None) -> None:
    """Load report files or folders (recursively): .txt .md .html .htm .pdf .docx.

    Unchanged files are skipped; a changed file replaces its old graph in one transaction. A file
    that cannot be read is reported with the reason and the rest still load; the exit status is 1
    if any file failed. After a large load the store is compacted, which makes queries faster.
    """
    from graph.load import collect_files, load_paths

    store = get_store()
    total = len(collect_files(paths)[0])
    show_bar = sys.stderr.isatty() and not quiet and total > 1
    done = 0

    def progress(outcome) -> None:
        nonlocal done
        done += 1
        if outcome.status in ("failed", "skipped"):
            if show_bar:
                click.echo("", err=True)
            click.echo(f"{outcome.status}: {outcome.path}: {outcome.reason}", err=True)
        elif not quiet and not show_bar:
            click.echo(f"{outcome.status}: {outcome.path}" + (f" ({outcome.triples} triples)" if outcome.triples else ""))
        if show_bar:
            width = 30
            filled = int(width * min(done, total) / max(total, 1))
            click.echo(f"\r[{'#' * filled}{'.' * (width - filled)}] {min(done, total)}/{total} files", nl=False, err=True)

    summary = load_paths(store, paths, progress=progress, workers=workers)
    if show_bar:
        click.echo("", err=True)
    click.echo(summary.line())
    written = summary.count("loaded")
    if compact or (compact is None and written >= COMPACT_AFTER):
        _compact(store, f"after {written:,} reports written" if written else "", quiet)
    if summary.count("failed"):
        sys.exit(1)


@cli.command("load-reference")
@click.option("--if-missing", is_flag=True, help="Do nothing when the reference data is already loaded.")
@store_option
def load_reference_cmd(if_missing: bool) -> None:
    """Load the bundled reference data: vocabulary and schemes, the council register and
    Ofsted's inspection outcomes, each into its own named graph."""
    from graph.reference import load_reference, reference_loaded

    store = get_store()
    if if_missing and reference_loaded(store):
        click.echo("reference data already loaded")
        return
    report = load_reference(store, echo=click.echo)
    click.echo(report)


@cli.command()
@store_option
def compact() -> None:
    """Compact the store's files so queries read fewer of them (`cskg load` does it after large loads).

    Worth running after loading many reports through Python or in many small loads; the content
    does not change."""
    _compact(get_store(), "", False)


@cli.command()
@click.argument("source")
@store_option
def remove(source: str) -> None:
    """Remove a source's graph and its metadata, by file name or graph IRI."""
    from graph.load import remove_source

    rec = remove_source(get_store(), source)
    if rec is None:
        raise UserError(f"no source named {source!r} in the store (see `cskg stats --sources`)")
    click.echo(f"removed {rec.source_file} ({rec.graph}, {rec.triple_count} triples)")


# ------------------------------------------------------------------------------------- read
@cli.command()
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="turtle", show_default=True,
              help="turtle/ntriples/jsonld: union of all graphs; trig/nquads keep the named graphs.")
@click.option("--graph", "graph_iri", default=None, help="Export only this named graph (IRI or source file name).")
@click.option("--entity", default=None, metavar="IRI", help="Export one entity: its description and the evidence of each fact.")
@click.option("--construct", default=None, metavar="QUERY", help="Export the graph of a CONSTRUCT query (text or a .rq file).")
@click.option("-o", "--output", default="-", help="File to write (default: standard output).")
@store_option
def export(fmt: str, graph_iri: str | None, entity: str | None, construct: str | None, output: str) -> None:
    """Export the store, one graph, one entity or a CONSTRUCT query's graph, as RDF."""
    from graph.export import ExportError, export_construct, export_entity, export_store

    if sum(x is not None for x in (graph_iri, entity, construct)) > 1:
        raise UserError("give at most one of --graph, --entity, --construct")
    store = get_store()
    if graph_iri is not None:
        rec = store.source(graph_iri)
        if rec is None and not graph_iri.startswith("http"):
            raise UserError(f"no graph or source named {graph_iri!r}")
        graph_iri = str(rec.graph) if rec else graph_iri
    if construct is not None and construct.endswith(".rq"):
        try:
            construct = Path(construct).read_text(encoding="utf-8")
        except OSError as exc:
            raise UserError(f"cannot read {construct}: {exc.strerror}") from None

    def write(out) -> None:
        if entity is not None:
            if export_entity(store, entity, out, fmt) == 0:
                raise UserError(f"the store has nothing about {entity}")
        elif construct is not None:
            export_construct(store, construct, out, fmt)
        else:
            export_store(store, out, fmt, graph_iri)

    try:
        if output == "-":
            write(sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            with open(output, "wb") as out:
                write(out)
            click.echo(f"wrote {output}", err=True)
    except ExportError as exc:
        raise UserError(str(exc)) from None
    except (SyntaxError, ValueError) as exc:
        raise UserError(f"the query failed: {exc}") from None


@cli.command()
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="A parameter of a library query (repeatable).")
@click.option("--plan", is_flag=True, help="Print how Oxigraph will evaluate the query instead of running it "
              "(needs the `oxigraph` command; see docs/writing-queries.md).")
@store_option
def query(query: str, fmt: str, params: tuple[str, ...], plan: bool) -> None:
    """Run a SPARQL query: the query text, a .rq file, or the name of a query in the library."""
    from graph.query import QueryError, format_result, query_plan, run_query

    try:
        if plan:  # the store is not needed: Oxigraph plans from the query alone
            sys.stdout.write(query_plan(query, dict(_split_param(p) for p in params)))
            return
        result = run_query(get_store(), query, dict(_split_param(p) for p in params))
    except QueryError as exc:
        raise UserError(str(exc)) from None
    sys.stdout.write(format_result(result, fmt))


def _split_param(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise click.BadParameter(f"expected KEY=VALUE, got {text!r}", param_hint="--param")
    key, value = text.split("=", 1)
    return key.strip(), value


@cli.command()
@click.option("--sources", is_flag=True, help="List every source graph too.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@store_option
def stats(sources: bool, as_json: bool) -> None:
    """Sources, graphs, triples and entities per class."""
    import json

    from graph.query import store_stats

    s = store_stats(get_store())
    if as_json:
        click.echo(json.dumps(s, indent=2))
        return
    click.echo(f"store: {s['store']}")
    click.echo(f"sources: {s['sources']['report']} reports, {s['sources']['reference']} reference datasets")
    click.echo(f"graphs: {s['graphs']}   triples: {s['triples']}")
    click.echo("entities:")
    for label, n in s["entities"].items():
        click.echo(f"  {label:<16} {n}")
    if sources:
        click.echo("sources:")
        for rec in s["source_list"]:
            click.echo(f"  {rec['kind']:<9} {rec['source_file']:<50} {rec['triples']:>7} triples  {rec['loaded_at']}")


@cli.command()
@click.option("--graph", "graph_iri", default=None, help="Validate only this named graph.")
@store_option
def validate(graph_iri: str | None) -> None:
    """Check the store against the SHACL shapes; exit 1 on violations."""
    from graph.validate import validate_store

    report = validate_store(get_store(), graph=graph_iri)
    click.echo(report.text())
    if not report.conforms:
        sys.exit(1)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; 127.0.0.1 keeps it on this machine.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=16, show_default=True, type=int,
              help="Worker threads of the WSGI server (SPARQL queries hold at most 8 of them while waiting).")
@store_option
def serve(host: str, port: int, threads: int) -> None:
    """Serve the explorer and the SPARQL endpoint (waitress; never the debug server)."""
    import waitress

    from graph.explore import limit_heap_arenas
    from webapp import create_app

    limit_heap_arenas()  # before any server thread allocates
    store = get_store()
    app = create_app(store=store)
    from webapp.warmup import warm_in_background

    # the SPARQL workers and whole-store summaries start in the background: answering at once,
    # and sparing the first visitors those seconds
    warm_in_background(app)
    where = "only this machine can reach it" if host in ("127.0.0.1", "localhost", "::1") else "reachable from the network"
    click.echo(f"cskg explorer on http://{host}:{port}/ ({where}); SPARQL endpoint at /sparql. Ctrl-C stops it.")
    # waitress refuses an oversized body itself (413) before reading it; Flask's limit would only
    # apply after waitress had spooled the whole body
    waitress.serve(app, host=host, port=port, threads=threads, ident="cskg", _quiet=True,
                   max_request_body_size=app.config["MAX_CONTENT_LENGTH"])


@cli.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reports", "reports", required=True, multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Folder or files of the reports the gold file describes (gold 'doc' = file-name prefix).")
@click.option("--verbose", "-v", is_flag=True, help="List every missed fact and every person not in the gold file.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_cmd(gold: Path, reports: tuple[Path, ...], verbose: bool, as_json: bool) -> None:
    """Measure extraction against a gold file (the format of data/samples/seeds-gold.json).

    Loads the reports into a temporary in-memory store and prints recall per fact kind, person
    precision and recall, and whether each person named across reports is one node.
    """
    import json

    from graph.evaluation import evaluate, load_gold

    try:
        gold_data = load_gold(gold)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    report = evaluate(gold_data, list(reports))
    click.echo(json.dumps(report.as_dict(), indent=2) if as_json else report.text(verbose))


# ------------------------------------------------------------------------------------- analytics
@cli.command()
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--max", "max_paths", type=click.IntRange(1, 20), default=3, show_default=True, help="How many shortest paths.")
@click.option("--reports", "include_reports", is_flag=True, help="Also connect entities through reports that mention both.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@store_option
def paths(source: str, target: str, max_paths: int, include_reports: bool, fmt: str) -> None:
    """How is FROM connected to TO? The shortest chains of facts between two entities (IRIs or
    names), each step with the sentence it was read from."""
    import json

    from graph.analytics import AnalyticsError, connections

    try:
        result = connections(get_store(), source, target, max_paths=max_paths, include_reports=include_reports)
    except AnalyticsError as exc:
        raise UserError(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    a, b = result["from"]["label"], result["to"]["label"]
    if not result["paths"]:
        click.echo(f"{a} and {b} are not connected" + ("" if include_reports else " (try --reports)"))
        return
    for i, path in enumerate(result["paths"], 1):
        click.echo(f"path {i} ({path['length']} step{'s' if path['length'] != 1 else ''}): "
                   + " -> ".join(n["label"] for n in path["nodes"]))
        for step in path["steps"]:
            click.echo(f"  {step['text']}")
            if step["evidence"]:
                source_note = f" ({step['evidence_source']})" if step["evidence_source"] else ""
                click.echo(f"    \u201c{step['evidence']}\u201d{source_note}")
            elif step["evidence_source"]:
                click.echo(f"    source: {step['evidence_source']}")


@cli.command()
@click.option("--type", "types", type=click.Choice(["person", "organisation", "council"]), multiple=True,
              help="Rank only these types (repeatable; default all three).")
@click.option("--top", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--measure", type=click.Choice(["degree", "betweenness"]), default="degree", show_default=True,
              help="betweenness is sampled (fixed seed) on graphs of more than a few thousand entities.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@store_option
def central(types: tuple[str, ...], top: int, measure: str, fmt: str) -> None:
    """The most connected people, organisations and councils."""
    import json

    from graph.analytics import AnalyticsError, most_central

    try:
        result = most_central(get_store(), types=types or None, measure=measure, top=top)
    except AnalyticsError as exc:
        raise UserError(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    rows = result["rows"]
    if not rows:
        click.echo("no entities of these types in the store")
        return
    width = min(60, max(len(r["label"]) for r in rows))
    click.echo(f"{'#':>3}  {'name':<{width}}  {'type':<12}  {measure:>11}  links")
    for i, r in enumerate(rows, 1):
        click.echo(f"{i:>3}  {r['label'][:width]:<{width}}  {r['type']:<12}  {r['score']:>11.4f}  {r['degree']:>5}")
    if result["sampled"]:
        click.echo(f"(betweenness estimated from a fixed sample of sources: {result['nodes']} entities)")


def main() -> None:
    from graph.store import StoreError

    try:
        cli(obj={})
    except StoreError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
