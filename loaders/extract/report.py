"""The report itself: title from the first substantial line (minimal for now)."""

from __future__ import annotations

from loaders.extract import Context, extractor
from loaders.model import Evidence, ReportInfo

NAME, VERSION = "report", "0.1"


@extractor(NAME, VERSION, provides=("report",))
def extract_report(ctx: Context):
    text = ctx.doc.text
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if len(stripped) > 3:
            start = pos + line.index(stripped)
            ev = Evidence(quote=stripped, start=start, end=start + len(stripped), extractor=NAME, version=VERSION)
            yield ReportInfo(evidence=ev, title=stripped)
            return
        pos += len(line) + 1
