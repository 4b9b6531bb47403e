"""The scale-corpus generator: reproducible, every format, readable by cskg's own readers."""

from __future__ import annotations

import hashlib
import importlib.util
import zipfile

import pytest

from benchmarks.generate import FORMATS, Doc, Generator, main, pools_from_reference
from loaders.readers import read_document

READER_MODULES = {"txt": "loaders.readers.text", "html": "loaders.readers.html", "pdf": "loaders.readers.pdf",
                  "docx": "loaders.readers.docx"}


@pytest.fixture(scope="module")
def gens():
    return {f: Generator(7, (f,)) for f in FORMATS}


def digest(paths):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_seed_gives_identical_files(tmp_path, gens, fmt):
    a = gens[fmt].write(2, tmp_path / "a")
    b = Generator(7, (fmt,)).write(2, tmp_path / "b")
    assert digest(a) == digest(b)


def test_another_seed_gives_other_reports(tmp_path):
    a = Generator(1, ("txt",)).write(3, tmp_path / "a")
    b = Generator(2, ("txt",)).write(3, tmp_path / "b")
    assert set(digest(a).values()).isdisjoint(digest(b).values())


def test_report_i_does_not_depend_on_corpus_size(tmp_path):
    gen = Generator(5, ("txt", "html"))
    small = gen.write(3, tmp_path / "small")
    big = gen.write(6, tmp_path / "big")
    assert digest(small).items() <= digest(big).items()


def test_default_mix_is_mostly_text_and_html_with_some_pdf_and_docx():
    gen = Generator(1)
    suffixes = [gen.format_of(i) for i in range(200)]
    assert [gen.format_of(i) for i in (0, 1)] == [gen.report(i)[0].rsplit(".", 1)[1] for i in (0, 1)]
    counts = {f: suffixes.count(f) for f in FORMATS}
    assert counts["txt"] + counts["html"] > 0.6 * len(suffixes)
    assert counts["pdf"] > 0 and counts["docx"] > 0


def test_file_formats_are_what_their_names_say(tmp_path, gens):
    (txt,) = gens["txt"].write(1, tmp_path)
    (html,) = gens["html"].write(1, tmp_path)
    (pdf,) = gens["pdf"].write(1, tmp_path)
    (docx,) = gens["docx"].write(1, tmp_path)
    assert txt.read_text(encoding="utf-8").count("\n\n") > 10
    assert html.read_bytes().startswith(b"<!DOCTYPE html>") and b"<table" in html.read_bytes()
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "word/document.xml" in zipfile.ZipFile(docx).namelist()


@pytest.mark.parametrize("fmt", FORMATS)
def test_reports_are_readable_by_the_loaders(tmp_path, gens, fmt):
    if importlib.util.find_spec(READER_MODULES[fmt]) is None:
        pytest.skip(f"no reader for .{fmt} yet")
    (path,) = gens[fmt].write(1, tmp_path)
    doc = read_document(path)
    assert "Ofsted" in doc.text
    assert doc.source_file == path.name


def test_reports_carry_the_genre_structures(gens):
    text = gens["txt"].report(3)[1].decode("utf-8")
    assert "Ofsted" in text and "recommendations" in text
    assert any(g in text.lower() for g in ("outstanding", "good", "requires improvement", "inadequate"))
    assert "1.1 " in text or "\n# " in text  # numbered paragraphs, or the Markdown layout


def test_reference_pools_keep_only_english_childrens_services_councils(tmp_path):
    (tmp_path / "register.csv").write_text(
        "official-name,nation,powers\n"
        + "".join(f"Shire{i} County Council,England,upper tier\n" for i in range(5))
        + "Town District Council,England,lower tier\nGlen Council,Scotland,unitary\n",
        encoding="utf-8",
    )
    (tmp_path / "outcomes.csv").write_text(
        "inspector_name,publication_date,overall_effectiveness_grade\nJane Doe,09/05/25,good\nnot a name,,\n", encoding="utf-8"
    )
    pools = pools_from_reference(tmp_path)
    assert pools.councils == [f"Shire{i} County Council" for i in range(5)]
    assert pools.inspectors == ["Jane Doe"]
    assert len(pools.inspections) == 1 and pools.inspections[0][1] == "good"


def test_without_reference_data_names_come_from_the_samples(tmp_path):
    gen = Generator(1, ("txt",), reference_dir=tmp_path / "absent")
    assert "samples" in gen.pools.origin
    name, data = gen.report(0)
    assert name.endswith(".txt") and data


def test_cli_writes_n_reports(tmp_path, capsys):
    assert main(["4", str(tmp_path / "out"), "--seed", "3", "--formats", "txt,html"]) == 0
    assert len(list((tmp_path / "out").iterdir())) == 4
    assert "wrote 4 reports" in capsys.readouterr().out


def test_cli_refuses_an_unknown_format(tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["2", str(tmp_path), "--formats", "odt"])
    assert exc.value.code == 2


def test_folder_notes_are_not_learnt_as_prose(tmp_path):
    from benchmarks.generate import sample_texts

    (tmp_path / "README.md").write_text("Where these fixtures came from.", encoding="utf-8")
    (tmp_path / "report.txt").write_text("Ofsted judged the council to be good.", encoding="utf-8")
    (tmp_path / "page.html").write_text("<p>Children&#39;s services</p><script>x()</script>", encoding="utf-8")
    texts = sample_texts((tmp_path,))
    assert len(texts) == 2
    assert not any("fixtures came from" in t or "x()" in t for t in texts)
    assert any("Children's services" in t for t in texts)


def test_a_councils_reports_agree_on_its_inspections_and_leaders():
    """Facts are drawn per council and per inspection, as in a real national corpus: a council's
    reports tell of its own few inspections, the same findings each time, and of its own leaders."""
    import random
    from collections import defaultdict

    from benchmarks.generate import Builder

    gen = Generator(3, ("txt",))
    pools = gen.pools
    by_council = defaultdict(list)
    for i in range(600):
        b = Builder(random.Random(f"t:{i}"), pools, gen.babble)
        by_council[b.council].append(b)
    busy = sorted(by_council.values(), key=len)[-1]
    assert len(busy) >= 6
    council = busy[0].council
    inspections = {(b.inspected, b.grade) for b in busy}
    assert inspections <= set(pools.inspections_of(council)) and len(inspections) <= 12
    leaders = {p for b in busy for p in (b.dcs, b.chief_exec, b.cabinet, b.officer)}
    assert leaders <= set(pools.local_people(council))
    assert len({b.commissioner for b in busy}) == 1 and busy[0].commissioner in pools.national
    # the same inspection's findings, whichever report tells of it
    same = [b for b in busy if b.inspected == busy[0].inspected]
    texts = set()
    for b in same:
        doc = Doc(b.council, "markdown")
        b.section = 0
        b.s_inspection(doc)
        b.s_monitoring(doc)
        texts.add(tuple(x for blk in doc.blocks if blk[0] in ("list", "table") for x in map(str, blk[1:])))
    assert len(texts) <= 2  # a list or a table of the same grades
    # commissioners are national: each serves a few councils, not all
    served = defaultdict(set)
    for c in pools.councils:
        served[random.Random(f"cskg-bench-commissioner:{c}").choice(pools.national)].add(c)
    assert max(len(v) for v in served.values()) < len(pools.councils) / 5


def test_sample_people_and_councils_do_not_leak_into_the_prose():
    import random

    gen = Generator(1, ("txt",))
    prose = " ".join(gen.babble.paragraph(random.Random(i), "Testshire", ["Pat Example"], (5, 5)) for i in range(200))
    found = pools_from_reference()
    others = [c for c in ("Walsall", "Havering", "Slough", "Buckinghamshire", "West Sussex")
              if any(c in x for x in found.councils)]
    assert others and not [c for c in others if f" {c} " in f" {prose} "]
