"""Bad input: every case ends in a ReaderError with one sentence, or a successful read."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.model import ReaderError
from loaders.readers import SUPPORTED_SUFFIXES, read_document

from reader_checks import FIXTURES, check_document


def _one_sentence(exc: ReaderError) -> None:
    message = str(exc)
    assert message and "\n" not in message and "Traceback" not in message and len(message) < 300


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
@pytest.mark.parametrize("data", [b"", b" \n\t\n", b"\x00" * 100, bytes(range(256)) * 40], ids=["empty", "blank", "zeros", "noise"])
def test_empty_and_noise(suffix, data):
    with pytest.raises(ReaderError) as info:
        read_document(f"x{suffix}", data)
    _one_sentence(info.value)


@pytest.mark.parametrize(
    ("name", "source", "message"),
    [
        ("x.pdf", "rotherham-2019-09-16-cabinet-ofsted-response.html", "named .pdf but is an HTML page"),
        ("x.docx", "torbay-2017-10-12-scrutiny-ofsted-inspection-update.pdf", "named .docx but is a PDF"),
        ("x.txt", "kent-2022-09-20-cabinet-committee-ilacs-outcome.docx", "named .txt but is a zip archive"),
        ("x.html", "torbay-2017-10-12-scrutiny-ofsted-inspection-update.pdf", "named .html but is a PDF"),
        ("x.pdf", "kent-2022-09-20-cabinet-committee-ilacs-outcome.docx", "named .pdf but is a zip archive"),
    ],
)
def test_mislabelled(name, source, message):
    with pytest.raises(ReaderError, match=message) as info:
        read_document(name, (FIXTURES / source).read_bytes())
    _one_sentence(info.value)


def test_html_saved_as_txt_is_readable_text():
    doc = read_document("x.txt", b"<p>Report to: Cabinet</p>")
    assert doc.text == "Report to: Cabinet"


def test_unknown_suffix_and_missing_file(tmp_path):
    with pytest.raises(ReaderError, match="unsupported file type .xlsx"):
        read_document(tmp_path / "x.xlsx")
    with pytest.raises(ReaderError, match="cannot read the file"):
        read_document(tmp_path / "missing.pdf")


@pytest.mark.slow
def test_fifty_megabyte_text_file(tmp_path):
    paragraph = ("The Council will invest £1.2 million in 2019/20, said Councillor Smith. " * 8 + "\n\n").encode()
    path = tmp_path / "big.txt"
    path.write_bytes(paragraph * (50 * 1024 * 1024 // len(paragraph) + 1))
    doc = read_document(path)
    assert len(doc.text) > 49_000_000
    assert doc.blocks[-1].end == len(doc.text)
    assert doc.text[doc.blocks[1].start : doc.blocks[1].end] == paragraph.decode().strip()


_MAGIC = st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html><body>", b"\xef\xbb\xbf", b"\xff\xfe", b"# "])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(suffix=st.sampled_from(SUPPORTED_SUFFIXES), magic=_MAGIC, body=st.binary(max_size=3000))
def test_arbitrary_bytes_never_crash(suffix, magic, body):
    try:
        doc = read_document(f"x{suffix}", magic + body)
    except ReaderError as exc:
        _one_sentence(exc)
        return
    check_document(doc)


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=2000), suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_arbitrary_text_reads_consistently(text, suffix):
    try:
        doc = read_document(f"x{suffix}", text.encode("utf-8"))
    except ReaderError as exc:
        _one_sentence(exc)
        return
    check_document(doc)
