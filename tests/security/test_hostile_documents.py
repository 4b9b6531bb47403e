"""Hostile documents: every file either loads with its text escaped wherever the explorer shows
it, or is refused with a one-sentence reason, quickly; the rest of the batch loads regardless.

All hostile files are generated here (nothing committed): HTML/JS and SPARQL fragments inside
report text, bidirectional-override and zero-width characters, a 100,000-character line, deeply
nested HTML, a PDF with 2,500 pages, a PDF whose content stream inflates past the reader's
limit, a DOCX zip bomb, and a symlink to a file outside the input folder."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest
from rdflib import Literal

from graph.load import load_paths
from graph.store import OxigraphStore
from tests.conftest import SAMPLES
from tests.security.markup import active_content
from webapp import create_app

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
ATTR = "\" onmouseover=\"alert(3)"
SPARQL = '"} ; DROP ALL ; #'
RTL = "\u202egnp.exe\u202c"
ZERO_WIDTH = "Sla\u200bugh\u200d\ufeff"
# what must never appear in served HTML, and the escaped form that must appear instead
RAW = [SCRIPT, IMG, 'onmouseover="alert(3)', "<img src=x"]
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"

HOSTILE_REPORT = f"""ROTHERHAM METROPOLITAN BOROUGH COUNCIL

REPORT TO: Cabinet DATE: 14 March 2016

TITLE: Children's services {SCRIPT} improvement update

CONTACT OFFICER: Ian Thomas{IMG} (Strategic Director of Children and Young People's Services)

1 Purpose of Report

To update Cabinet on progress {ATTR} since Ofsted judged children's services in Rotherham
to be inadequate in November 2014. {SCRIPT} The commissioner, Malcolm Newsam, was appointed
by the Secretary of State in February 2015. {IMG}

2 Recommendations

Cabinet is asked to note the progress made {SPARQL} and the Children and Families Act 2014.
Direction {RTL} and {ZERO_WIDTH} text stays as written. <b onclick=alert(4)>bold</b> &lt;i&gt;

3 Background

{"x" * 100_000}

The improvement board met {SCRIPT} monthly and reported to the Secretary of State.
"""


def _pdf(objects: list[bytes]) -> bytes:
    """A well-formed PDF from numbered object bodies (object 1 is the catalog)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_with_many_pages(pages: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"] * pages
    return _pdf(objects)


def pdf_with_inflating_stream(inflated: int) -> bytes:
    packer = zlib.compressobj(9)
    chunk = b"0 0 m " * (1024 * 1024 // 6)
    data = b"".join(packer.compress(chunk) for _ in range(inflated // len(chunk) + 1)) + packer.flush()
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ])


def docx_zip_bomb(inflated: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        with z.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            block = b" " * (1024 * 1024)
            for _ in range(inflated // len(block)):
                part.write(block)
            part.write(b"</w:body></w:document>")
    return buf.getvalue()


def nested_html(depth: int) -> str:
    return ("<html><body><h1>Children's services update</h1>" + "<div><span>" * depth
            + f"Ofsted judged the service inadequate. {SCRIPT}" + "</span></div>" * depth + "</body></html>")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """One folder of hostile files plus a real sample report, loaded in one batch."""
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "in"
    folder.mkdir()
    (folder / "hostile-report.txt").write_text(HOSTILE_REPORT, encoding="utf-8")
    html_report = HOSTILE_REPORT.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    (folder / "hostile-report.html").write_text(
        "<html><head><title>Cabinet report</title><script>alert('head')</script></head><body>"
        + "".join(f"<p>{line}</p>" for line in html_report.splitlines() if line)
        + f'<img src=x onerror="alert(5)"><a href="javascript:alert(6)">link</a></body></html>', encoding="utf-8")
    (folder / "deeply-nested.html").write_text(nested_html(5000), encoding="utf-8")
    (folder / "many-pages.pdf").write_bytes(pdf_with_many_pages(2500))
    (folder / "inflating.pdf").write_bytes(pdf_with_inflating_stream(80 * 1024 * 1024))
    (folder / "zip-bomb.docx").write_bytes(docx_zip_bomb(300 * 1024 * 1024))
    outside = root / "secret.txt"
    outside.write_text("SECRET outside the input folder: Ofsted judged the council inadequate.\n", encoding="utf-8")
    (folder / "link-outside.txt").symlink_to(outside)
    sample = sorted(SAMPLES.glob("*.txt"))[0]
    shutil.copy(sample, folder / sample.name)
    store = OxigraphStore(root / "store")
    summary = load_paths(store, [folder], workers=1)
    yield store, {Path(o.path).name: o for o in summary.outcomes}, sample.name
    store.close()


@pytest.fixture(scope="module")
def client(batch):
    store, _, _ = batch
    app = create_app({"TESTING": True, "QUERY_TIMEOUT": 5, "QUERY_WORKERS": 1}, store=store)
    yield app.test_client()
    executor = app.extensions.get("cskg_executor")
    if executor is not None:
        executor.close()


def test_bombs_and_the_symlink_are_refused_with_a_reason_and_the_rest_loads(batch):
    store, outcomes, sample = batch
    expected_refusals = {
        "many-pages.pdf": "pages",
        "inflating.pdf": "bomb",
        "zip-bomb.docx": "zip bomb",
        "link-outside.txt": "symlink",
    }
    for name, word in expected_refusals.items():
        o = outcomes[name]
        assert o.status == "failed", (name, o)
        assert word in o.reason and "\n" not in o.reason and "Traceback" not in o.reason, (name, o.reason)
    for name in ("hostile-report.txt", "hostile-report.html", sample):
        assert outcomes[name].status == "loaded", (name, outcomes[name])
    # the deeply nested file either loads or is refused in one sentence; it never takes the batch down
    nested = outcomes["deeply-nested.html"]
    assert nested.status == "loaded" or (nested.status == "failed" and nested.reason and "\n" not in nested.reason)
    loaded = {Path(r.source_file).name for r in store.sources()}
    assert {"hostile-report.txt", "hostile-report.html", sample} <= loaded
    assert not loaded & set(expected_refusals), "a refused file left a graph behind"
    assert "SECRET" not in json.dumps([str(r.source_file) for r in store.sources()])
    rows = store.query('ASK { ?s ?p ?o FILTER(CONTAINS(STR(?o), "SECRET outside")) }')
    assert not rows.askAnswer, "the file behind the symlink was read"


def test_text_is_kept_in_the_graph_as_written(batch):
    """Markup and query fragments are data, kept as written; invisible characters are dropped by
    the readers' normalisation (so "Sla<ZWSP>ugh" is found as "Slaugh")."""
    store, _, _ = batch
    for needle in (SCRIPT, IMG, SPARQL, RTL, "Slaugh", "x" * 100_000):
        found = store.query("ASK { ?t <https://schema.org/text> ?text FILTER(CONTAINS(?text, ?needle)) }",
                            bindings={"needle": Literal(needle)})
        assert found.askAnswer, f"{needle[:30]!r} was lost or altered on the way into the graph"


def _report_iri(store, name: str) -> str:
    for r in store.sources():
        if Path(r.source_file).name == name:
            rows = list(store.query(
                "SELECT ?r WHERE { GRAPH ?g { ?r a <https://schema.org/Report> } }",
                bindings={"g": r.graph}))
            assert rows, f"no report node in {r.graph}"
            return str(rows[0][0])
    raise AssertionError(f"{name} was not loaded")


def _path_for(store, iri: str) -> str:
    base = str(store.minter.id)
    return "/id/" + iri[len(base):] if iri.startswith(base) else "/resource?iri=" + quote(iri, safe="")


def _assert_html_safe(r, where: str) -> str:
    body = r.get_data(as_text=True)
    assert r.status_code < 500, (where, r.status_code)
    for raw in RAW:
        assert raw not in body, f"unescaped {raw!r} in {where}"
    assert active_content(body) == [], f"active content in {where}"
    return body


def _assert_json_safe(r, where: str) -> str:
    assert r.status_code < 500, (where, r.status_code)
    assert r.mimetype == "application/json", where
    assert r.headers["X-Content-Type-Options"] == "nosniff", where
    return r.get_data(as_text=True)


@pytest.mark.parametrize("name", ["hostile-report.txt", "hostile-report.html"])
def test_report_pages_show_the_payload_only_escaped(batch, client, name):
    store, _, _ = batch
    iri = _report_iri(store, name)
    path = _path_for(store, iri)
    html = _assert_html_safe(client.get(path), path)
    assert ESCAPED in html, "the report page shows the text (escaped)"
    data = json.loads(_assert_json_safe(client.get(path + ".json" if path.startswith("/id/") else
                                                    path.replace("/resource?", "/resource.json?")), path))
    assert SCRIPT in json.dumps(data, ensure_ascii=False), "the JSON twin carries the text as written"
    resource = f"/resource?iri={quote(iri, safe='')}"
    _assert_html_safe(client.get(resource), resource)
    for suffix in ("ttl", "nt", "jsonld"):
        r = client.get(f"/resource.{suffix}?iri={quote(iri, safe='')}")
        assert r.status_code == 200 and r.mimetype != "text/html", suffix


@pytest.mark.parametrize("q", ["alert", "script", SCRIPT, IMG, SPARQL, "onerror", ZERO_WIDTH, RTL])
def test_search_results_show_the_payload_only_escaped(batch, client, q):
    store, _, _ = batch
    count = len(store.sources())
    _assert_html_safe(client.get("/search", query_string={"q": q}), f"/search?q={q}")
    _assert_json_safe(client.get("/search.json", query_string={"q": q}), f"/search.json?q={q}")
    assert len(store.sources()) == count


def test_a_search_for_the_payload_finds_the_report_and_escapes_it(client):
    r = client.get("/search", query_string={"q": "alert"})
    body = _assert_html_safe(r, "/search")
    data = json.loads(client.get("/search.json", query_string={"q": "alert"}).data)
    assert data["results"], "the hostile report is searchable"
    assert ESCAPED in body, "the quote around the match is shown, escaped"


def test_list_and_network_pages_escape_the_payload(batch, client):
    store, _, _ = batch
    iri = _report_iri(store, "hostile-report.txt")
    for path in ("/", "/reports", "/councils", "/queries", "/network/overview", "/connections/central"):
        _assert_html_safe(client.get(path), path)
    for focus in (iri, "Rotherham", "Malcolm Newsam", SCRIPT):
        _assert_html_safe(client.get("/network", query_string={"focus": focus}), f"/network?focus={focus}")
        _assert_json_safe(client.get("/network.json", query_string={"focus": focus}), f"/network.json?focus={focus}")
    reports = _assert_html_safe(client.get("/reports"), "/reports")
    assert ESCAPED in reports, "the hostile title is listed, escaped"


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path):
    from graph.load import loader_version, prepare_report
    from loaders.readers import MAX_FILE_BYTES

    big = tmp_path / "huge-report.txt"
    with big.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1024 * 1024)  # sparse: costs no disk
    prepared = prepare_report(str(big), None, loader_version())
    assert prepared.item is None and "limit" in prepared.error and "MB" in prepared.error, prepared.error
