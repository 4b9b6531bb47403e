"""A scale corpus for the benchmarks: N synthetic council reports about children's services.

    python -m benchmarks.generate N OUTDIR [--seed 1] [--formats txt,html,pdf,docx]

Each report recombines the STRUCTURES found in the genre (front matter in five layouts, numbered
sections and paragraphs, Ofsted judgement sentences, lists and tables, monitoring visits,
improvement notices and statutory directions, commissioners, programmes and boards, money
tables) with councils, people, dates and grades drawn from the reference data in
data/reference/*.csv (or, when that is absent, harvested from the sample reports). As in a real
national corpus, a council's reports tell of its own few inspections (its real ones where the
reference data has them), the same findings each time, and of its own leaders; only a few
national people (commissioners, ministers) recur across councils. Connecting prose
comes from a word-level Markov chain trained on data/samples and tests/fixtures/reports, so the
extractors see text with the genre's vocabulary and sentence lengths.

It measures SPEED, not extraction quality: the facts are random and no gold standard exists for
them. Output is deterministic for a given seed and given inputs (samples, fixtures, reference
data); report i depends only on the seed and i, so a corpus of 1,000 is the first 1,000 of 10,000.
Formats by default: about 45% .txt, 35% .html, 10% .pdf (reportlab), 10% .docx (python-docx).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import io
import random
import re
import sys
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = ROOT / "data" / "reference"
SAMPLE_DIRS = (ROOT / "data" / "samples", ROOT / "tests" / "fixtures" / "reports")

FORMAT_WEIGHTS = {"txt": 45, "html": 35, "pdf": 10, "docx": 10}
FORMATS = tuple(FORMAT_WEIGHTS)

# Ofsted's grade words and judgement areas are the genre's fixed vocabulary, not sample content.
GRADES = ("outstanding", "good", "requires improvement to be good", "inadequate")
SIF_GRADES = ("outstanding", "good", "requires improvement", "inadequate")
ILACS_AREAS = (
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care and care leavers",
)
SIF_AREAS = (
    "Children who need help and protection",
    "Children looked after and achieving permanence",
    "Adoption performance",
    "Experiences and progress of care leavers",
    "Leadership, management and governance",
)
MEETINGS = ("Cabinet", "Council", "Corporate Parenting Panel", "Children's Services Scrutiny Committee",
            "Children and Young People's Select Committee", "Health and Wellbeing Board", "Executive")
PROGRAMMES = ("Partners in Practice", "Strengthening Families, Protecting Children", "Children's Social Care Innovation Programme",
              "Signs of Safety", "Family Safeguarding", "Practice Improvement Programme", "Improvement Plan",
              "Early Help Strategy", "Sufficiency Strategy", "Workforce Development Strategy", "Families First Programme",
              "Regional Adoption Agency", "Edge of Care Service", "No Wrong Door", "Mockingbird Family Model")
RECOMMENDATIONS = (
    "The quality and consistency of management oversight and supervision of social work practice.",
    "The timeliness and quality of assessments and plans for children in need of help and protection.",
    "The response to children who go missing from home or care, including return home interviews.",
    "The sufficiency of placements that meet children's needs, close to home.",
    "The quality of pathway plans and the support for care leavers to access education, employment and training.",
    "The use of performance information and quality assurance to improve practice.",
    "Caseloads for social workers, so that they can spend time with children and families.",
    "Permanence planning for children in care, including the timeliness of decisions.",
    "The effectiveness of the front door and the application of thresholds.",
    "The recording of direct work and of children's wishes and feelings.",
)
ROLES = ("Director of Children's Services", "Chief Executive", "Cabinet Member for Children's Services",
         "Assistant Director, Safeguarding", "Head of Service, Children in Care", "Principal Social Worker",
         "Independent Chair of the Improvement Board", "Leader of the Council")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


# ----------------------------------------------------------------------------------- pools
@dataclass
class Pools:
    """What reports are made of: names and dates from the reference data (or the samples)."""

    councils: list[str]
    people: list[str]
    inspectors: list[str]
    inspections: list[tuple[dt.date, str]] = field(default_factory=list)  # (publication date, overall grade)
    origin: str = ""
    # each council's own inspections from the reference data, keyed by _slug(_short(council name))
    council_inspections: dict[str, list[tuple[dt.date, str]]] = field(default_factory=dict)

    # A national corpus tells of each council's few inspections and few leaders again and again:
    # facts are drawn per council (and per inspection) so that every report of a council agrees
    # with the others. Drawn per report, a council gathered hundreds of inspections and every
    # person held roles at most councils, which no real corpus shows and which made the pairing
    # queries quadratic.
    def inspections_of(self, council: str) -> list[tuple[dt.date, str]]:
        own = self.council_inspections.get(_slug(_short(council)))
        if own:
            return own
        rng = random.Random(f"cskg-bench-inspections:{council}")
        if self.inspections:
            return sorted(rng.sample(self.inspections, min(3, len(self.inspections))))
        return sorted((dt.date(rng.randint(2012, 2024), rng.randint(1, 12), rng.randint(1, 28)), rng.choice(GRADES))
                      for _ in range(3))

    @property
    def national(self) -> list[str]:
        """Commissioners, advisers and ministers: the few people who recur across councils."""
        return self.people[:: 60 if len(self.people) >= 480 else max(1, len(self.people) // 8)]

    def local_people(self, council: str, k: int = 8) -> list[str]:
        """The council's own directors, chief executive, cabinet members and officers."""
        national = set(self.national)
        rest = [p for p in self.people if p not in national] or self.people
        return random.Random(f"cskg-bench-people:{council}").sample(rest, min(k, len(rest)))


def _norm_header(h: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", h.lower().lstrip("\ufeff")).strip("_")


_NAME_COLUMNS = ("official_name", "pref_label", "preflabel", "label", "name", "council_name", "local_authority_name",
                 "local_authority_ons_name", "nice_name")
# councils without children's services (districts) and combined authorities never write these reports
_NOT_CHILDRENS_SERVICES = {"lower tier", "combined", "ni district", "nmd", "comb", "sra", "nid"}
_GRADE_WORDS = {"outstanding": "outstanding", "good": "good", "requires_improvement": "requires improvement to be good",
                "requires improvement": "requires improvement to be good",
                "requires improvement to be good": "requires improvement to be good", "inadequate": "inadequate"}


def _parse_date(text: str) -> dt.date | None:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _person_name(text: str) -> str | None:
    text = " ".join(text.split())
    return text if re.fullmatch(r"[A-Z][A-Za-z'\-]+(?: [A-Z][A-Za-z'\-]+){1,2}", text) else None


def pools_from_reference(ref_dir: Path = REFERENCE_DIR) -> Pools | None:
    """Council names, inspectors and dated grades from whatever CSVs data/reference holds. The
    column names are matched loosely so the generator follows the reference data as it evolves."""
    councils: set[str] = set()
    inspectors: set[str] = set()
    inspections: set[tuple[dt.date, str]] = set()
    by_council: dict[str, set[tuple[dt.date, str]]] = defaultdict(set)
    for path in sorted(ref_dir.rglob("*.csv")) if ref_dir.is_dir() else []:
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                if not reader.fieldnames:
                    continue
                cols = {_norm_header(h): h for h in reader.fieldnames}
                name_col = next((cols[c] for c in _NAME_COLUMNS if c in cols), None)
                nation_col = next((cols[c] for c in ("nation", "country") if c in cols), None)
                kind_cols = [cols[c] for c in ("powers", "local_authority_type") if c in cols]
                insp_col = next((h for n, h in cols.items() if "inspector" in n), None)
                grade_col = next((h for n, h in cols.items() if "overall" in n and "grade" in n), None)
                date_col = next((h for n, h in cols.items() if "publication" in n and "date" in n), None)
                la_col = cols.get("local_authority") if date_col else None
                for row in reader:
                    if insp_col and (name := _person_name(row.get(insp_col) or "")):
                        inspectors.add(name)
                    if grade_col and date_col:
                        grade = _GRADE_WORDS.get((row.get(grade_col) or "").strip().lower())
                        when = _parse_date(row.get(date_col) or "")
                        if grade and when:
                            inspections.add((when, grade))
                            if la_col and (la := (row.get(la_col) or "").strip()):
                                by_council[_slug(la)].add((when, grade))
                    if kind_cols and any((row.get(c) or "").strip().lower() in _NOT_CHILDRENS_SERVICES for c in kind_cols):
                        continue
                    if name_col and not insp_col and (not nation_col or (row.get(nation_col) or "England") == "England"):
                        name = " ".join((row.get(name_col) or "").split())
                        if "council" in name.lower() or name.lower().startswith(("london borough", "royal borough")):
                            councils.add(name)
        except (OSError, UnicodeDecodeError, csv.Error):
            continue
    if len(councils) < 5:
        return None
    people = _recombine(sorted(inspectors), 3000) if len(inspectors) >= 10 else []
    return Pools(sorted(councils), people, sorted(inspectors), sorted(inspections), origin="data/reference",
                 council_inspections={k: sorted(v) for k, v in sorted(by_council.items())})


_COUNCIL_RE = re.compile(
    r"\b(?:(?:the )?(?:London|Royal) Borough of [A-Z][a-z]+(?: [A-Z][a-z]+)?"
    r"|[A-Z][a-z]+(?: [A-Z][a-z]+)? (?:County|Borough|City|Metropolitan Borough|District) Council"
    r"|[A-Z][a-z]+ Council)\b"
)
_PERSON_RE = re.compile(r"\b(?:Cllr|Councillor|Commissioner is|Minister,|officer:\s*|Lead:\s*|Author[^:\n]*:\s*)\s*"
                        r"([A-Z][a-z]+(?: [A-Z]\.?)? [A-Z][a-z]+(?:-[A-Z][a-z]+)?)")
_NOT_COUNCIL = ("The ", "This ", "County Council", "Borough Council", "City Council", "Our ", "Each ", "Every ")


def sample_texts(dirs: tuple[Path, ...] = SAMPLE_DIRS) -> list[str]:
    texts = []
    for d in dirs:
        if not d.is_dir():
            continue
        for path in sorted(d.rglob("*")):
            if path.stem.upper() in ("README", "LICENCE", "LICENSE", "NOTICE"):  # notes about a folder, not reports
                continue
            if path.suffix.lower() in (".txt", ".md"):
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
            elif path.suffix.lower() in (".html", ".htm"):
                raw = path.read_text(encoding="utf-8", errors="replace")
                raw = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", raw)
                texts.append(html.unescape(re.sub(r"<[^>]+>", "\n", raw)))
    return texts


def pools_from_samples(texts: list[str]) -> Pools:
    councils = sorted({m.group(0).removeprefix("the ") for t in texts for m in _COUNCIL_RE.finditer(t)
                       if not m.group(0).startswith(_NOT_COUNCIL)})
    people = sorted({m.group(1) for t in texts for m in _PERSON_RE.finditer(t)})
    if len(councils) < 3 or len(people) < 3:
        raise SystemExit("benchmarks.generate: no reference data in data/reference and too few names in the samples")
    return Pools(councils, _recombine(people, 1000), people, [], origin="data/samples (data/reference is empty)")


def _recombine(names: list[str], n: int) -> list[str]:
    """More distinct people than the sources name: first names crossed with surnames."""
    firsts = sorted({x.split()[0] for x in names})
    lasts = sorted({x.split()[-1] for x in names})
    rng = random.Random("cskg-bench-people")
    out = set(names)
    while len(out) < min(n, len(firsts) * len(lasts)):
        out.add(f"{rng.choice(firsts)} {rng.choice(lasts)}")
    return sorted(out)


# ----------------------------------------------------------------------------------- prose
def _short(council: str) -> str:
    """'London Borough of Havering' -> 'Havering', 'Kent County Council' -> 'Kent'."""
    short = re.sub(r"^(?:the )?(?:London|Royal) Borough of |\s*\b(?:County|Borough|City|Metropolitan Borough|District)?\s*Council$",
                   "", council).strip()
    return short or council


def _unname(text: str) -> str:
    """Every name cskg's people extractor would read in `text`, as {P}: a real person left in the
    prose ("the Chief Executive, Sharon Kemp") was named in most synthetic reports and so linked
    to every council."""
    try:
        from loaders.extract.people import _candidates
    except ImportError:  # the generator also runs without the project's extractors
        return text
    spans: list[tuple[int, int]] = []
    for a, b in sorted((m.start, m.end) for m in _candidates(text)):
        if not spans or a >= spans[-1][1]:
            spans.append((a, b))
    for a, b in reversed(spans):
        text = text[:a] + "{P}" + text[b:]
    return text


class Babbler:
    """An order-2 word Markov chain over the genre's prose. Names of the sample councils and people
    are replaced by placeholders so that filler talks about the report's own council."""

    def __init__(self, texts: list[str], pools: Pools) -> None:
        self.chain: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.starts: list[tuple[str, str]] = []
        found = pools_from_samples(texts) if texts else None
        # every council the reference data knows too: a sample's own council left in the prose
        # ("outcomes for Walsall children") drew facts from most synthetic reports to that council
        councils = sorted({_short(c) for c in found.councils} if found else set(), key=len, reverse=True)
        known = sorted({_short(c) for c in pools.councils} - set(councils), key=len, reverse=True)
        known_re = re.compile(r"\b(?:" + "|".join(map(re.escape, known)) + r")\b") if known else None
        people = sorted(found.inspectors if found else [], key=len, reverse=True)
        for text in texts:
            for name in people:
                text = text.replace(name, "{P}")
            text = _unname(text)
            for name in councils:
                text = re.sub(rf"\b{re.escape(name)}\b", "{C}", text)
            if known_re:
                text = known_re.sub("{C}", text)
            for para in re.split(r"\n\s*\n", text):
                # markup and table rules in the renditions are not prose
                words = [w for w in para.split() if "<" not in w and ">" not in w and re.search(r"[A-Za-z0-9{]", w)]
                if len(words) < 8 or sum(w[:1].isalpha() for w in words) < 0.7 * len(words):
                    continue
                prev = ("", "")
                for w in words:
                    if (prev[1] == "" or prev[1].endswith(".")) and w[:1].isupper():
                        self.starts.append((prev[1], w))
                    self.chain[prev].append(w)
                    prev = (prev[1], w)
        if not self.starts:
            raise SystemExit("benchmarks.generate: no prose to learn from in data/samples")
        self.starts.sort()

    def sentence(self, rng: random.Random, council_short: str, people: list[str]) -> str:
        state = rng.choice(self.starts)
        words = [state[1]]
        state = ("", state[1]) if state[0] == "" else state
        for _ in range(60):
            options = self.chain.get(state)
            if not options:
                break
            w = rng.choice(options)
            words.append(w)
            state = (state[1], w)
            if w.endswith(".") and len(words) >= 8:
                break
        text = " ".join(words).replace("{C}", council_short)
        while "{P}" in text:
            text = text.replace("{P}", rng.choice(people), 1)
        return text if text.endswith(".") else text.rstrip(",;:") + "."

    def paragraph(self, rng: random.Random, council_short: str, people: list[str], sentences: tuple[int, int] = (2, 5)) -> str:
        return " ".join(self.sentence(rng, council_short, people) for _ in range(rng.randint(*sentences)))


# ----------------------------------------------------------------------------------- documents
@dataclass
class Doc:
    """A report as structure; renderers turn it into bytes for each format."""

    title: str
    layout: str
    blocks: list[tuple] = field(default_factory=list)

    def add(self, *block) -> None:
        self.blocks.append(block)


def _day(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _month(d: dt.date) -> str:
    return f"{MONTHS[d.month - 1]} {d.year}"


def _money(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.4:
        return f"£{rng.randint(1, 60) * 0.05 + rng.choice((0, 1, 2, 5)):.2f}m"
    if kind < 0.7:
        return f"£{rng.randint(20, 990) * 1000:,}"
    if kind < 0.9:
        return f"£{rng.randint(100, 9000) / 10:.1f}k".replace(".0k", "k")
    return f"£{rng.randint(2, 40)} million"


class Builder:
    """Builds one report for council `council` from the section makers below."""

    def __init__(self, rng: random.Random, pools: Pools, babble: Babbler) -> None:
        self.rng = rng
        self.pools = pools
        self.babble = babble
        self.council = rng.choice(pools.councils)
        self.short = _short(self.council)
        # one of the council's own inspections; what it found, who led it and what followed are
        # drawn from `fixed` so that every report telling of it agrees
        self.inspected, self.grade = rng.choice(pools.inspections_of(self.council))
        latest = max((d for d, _ in pools.inspections), default=dt.date(2025, 6, 30))
        self.date = min(self.inspected + dt.timedelta(days=rng.randint(30, 700)), max(latest, self.inspected))
        # the council's own leaders; commissioners and ministers recur across a few councils
        national = pools.national
        local = pools.local_people(self.council)
        self.dcs, self.chief_exec, self.cabinet, self.officer = rng.sample(local, 4)
        self.commissioner = random.Random(f"cskg-bench-commissioner:{self.council}").choice(national)
        self.minister = self.fixed("minister").choice(national[:3])
        self.inspector = self.fixed("inspector").choice(pools.inspectors)
        self.people = local + [self.commissioner]
        self.programme = rng.choice(PROGRAMMES)
        self.meeting = rng.choice(MEETINGS)
        self.section = 0

    def fixed(self, what: str) -> random.Random:
        """A generator for one detail of the report's inspection, the same in every report of it."""
        return random.Random(f"cskg-bench:{self.council}:{self.inspected.isoformat()}:{what}")

    def prose(self, lo: int = 2, hi: int = 5) -> str:
        return self.babble.paragraph(self.rng, self.short, self.people, (lo, hi))

    def phone(self) -> str:
        return f"01{self.rng.randint(200, 999)} {self.rng.randint(100000, 999999)}"

    # ---- front matter
    def front(self, doc: Doc) -> None:
        r, d = self.rng, self.date
        if doc.layout == "committee":
            doc.add("para", "Public Document Pack", None)
            doc.add("para", f"If calling please ask for: {self.officer} on {self.phone()}", None)
            doc.add("para", f"{self.meeting} - {d.strftime('%A')}, {_day(d)}", None)
            doc.add("table", [["Agenda No", "Item"], [f"{r.randint(3, 12)}.", f"{doc.title} (Pages {r.randint(3, 9)} - {r.randint(10, 40)})"]])
            doc.add("para", "This page is intentionally left blank", None)
            doc.add("heading", doc.title, 1)
            doc.add("para", "Report by the Director of Children's Services", None)
        elif doc.layout == "caps":
            doc.add("heading", self.council.upper(), 1)
            doc.add("meta", "REPORT TO", self.meeting)
            doc.add("meta", "DATE", _day(d))
            doc.add("meta", "CONTACT OFFICER", f"{self.dcs} (Director of Children's Services)")
            doc.add("meta", "WARD(S)", "All")
            doc.add("meta", "PORTFOLIO", f"Cllr {self.cabinet.split()[-1]} – Cabinet Member for Children, Education and Families")
            doc.add("heading", doc.title.upper(), 1)
        elif doc.layout == "keyvalue":
            doc.add("heading", self.meeting.upper(), 1)
            doc.add("meta", "Subject Heading", doc.title)
            doc.add("meta", "Cabinet Member", f"Cllr {self.cabinet.split()[-1]}")
            doc.add("meta", "SLT Lead", self.dcs)
            doc.add("meta", "Report Author and contact details", f"{self.officer} {self.phone()}")
            doc.add("meta", "Financial summary", f"This report recommends an investment of {_money(r)} for one year, starting from April {d.year}.")
            doc.add("meta", "Is this a Key Decision?", r.choice(("YES", "NO")))
        elif doc.layout == "markdown":
            doc.add("heading", f"{self.meeting} – {_day(d)}", 1)
            doc.add("heading", f"Portfolio Holder Report of Councillor {self.cabinet}, Children's Services", 1)
        else:
            doc.add("heading", f"Report to {self.meeting}", 1)
            doc.add("meta", "Title", doc.title)
            doc.add("meta", "Date", f"{d.strftime('%A')} {_day(d)}")
            doc.add("meta", "Author", "Cabinet Member for Children's Services")
            doc.add("meta", "Contact officer", f"{self.officer} – {self.phone()}")
            doc.add("meta", "Local members affected", "All Electoral Divisions")
        doc.add("heading", "Summary", 2)
        doc.add("para", f"The purpose of this report is to provide an update to {self.meeting} on {self.short}'s children's services "
                        f"following the {_month(self.inspected)} Ofsted inspection. " + self.prose(1, 3), None)
        doc.add("heading", "Recommendation", 2)
        doc.add("para", f"{self.meeting} is recommended to note the report and the progress of the {self.programme}.", None)

    # ---- numbered sections
    def start_section(self, doc: Doc, title: str) -> None:
        self.section += 1
        self.para_no = 0
        label = f"{chr(64 + self.section)}." if doc.layout == "letters" else f"{self.section}."
        doc.add("heading", f"{label} {title}" if doc.layout != "markdown" else title, 2)

    def para(self, doc: Doc, text: str) -> None:
        self.para_no += 1
        label = None if doc.layout == "markdown" else f"{self.section}.{self.para_no}"
        doc.add("para", text, label)

    def s_inspection(self, doc: Doc) -> None:
        r, g = self.rng, self.grade
        self.start_section(doc, r.choice(("Background", "Ofsted inspection", "Inspection of Local Authority Children's Services")))
        found = self.fixed("inspection")
        fieldwork = self.inspected - dt.timedelta(days=found.randint(20, 60))
        areas = [found.choice(GRADES).capitalize() for _ in ILACS_AREAS]
        recs = found.sample(RECOMMENDATIONS, found.randint(3, 7))
        self.para(doc, r.choice((
            f"In {_month(fieldwork)} {self.short} children's social care was inspected by Ofsted under the ILACS framework. "
            f"The outcome of this was an overall '{g.capitalize()}' rating and this comprised of three category judgements;",
            f"Following the Ofsted inspection of the Council's Children's Social Care Services in {_month(fieldwork)}, an '{g}' "
            f"judgement was given in Ofsted's report published on {_day(self.inspected)}.",
            f"Ofsted inspected services for children in need of help and protection, children looked after and care leavers in "
            f"{self.short} between {_day(fieldwork)} and {_day(fieldwork + dt.timedelta(days=11))}. Overall effectiveness was judged to be {g}.",
        )))
        if r.random() < 0.5:
            doc.add("list", [f"{a} - {grade}" for a, grade in zip(ILACS_AREAS, areas)], False)
        else:
            doc.add("table", [["Judgement", "Grade"]] + [[a, grade] for a, grade in zip(ILACS_AREAS, areas)]
                    + [["Overall effectiveness", g.capitalize()]])
        self.para(doc, f"The inspection was led by {self.inspector}, Her Majesty's Inspector. " + self.prose(1, 3))
        self.para(doc, f"The inspection report made {len(recs)} recommendations. The local authority should improve:")
        doc.add("list", recs, True)

    def s_history(self, doc: Doc) -> None:
        r = self.fixed("history")
        self.start_section(doc, "Previous inspections")
        earlier = self.inspected.year - r.randint(3, 5)
        self.para(doc, f"In {MONTHS[r.randint(0, 11)]} {earlier} Ofsted undertook a full Single Inspection Framework inspection of services "
                       f"for children in need of help and protection; children looked after and care leavers. This inspection found "
                       f"services were '{r.choice(SIF_GRADES)}'.")
        if r.random() < 0.4:
            self.para(doc, f"Following Ofsted's judgment in {MONTHS[r.randint(0, 11)]} {earlier - 2} that safeguarding services had improved "
                           f"from \"inadequate\" to \"adequate\", the Government lifted its Improvement Notice in {MONTHS[r.randint(0, 11)]} {earlier - 1}.")
        doc.add("table", [["Area", "Judgement"]] + [[a, r.choice(SIF_GRADES)] for a in r.sample(SIF_AREAS, 3)])

    def s_monitoring(self, doc: Doc) -> None:
        self.start_section(doc, self.rng.choice(("Monitoring visits", "Ofsted monitoring", "Progress since the inspection")))
        r = self.fixed("monitoring")
        when = self.inspected
        for i in range(r.randint(1, 4)):
            when = when + dt.timedelta(days=r.randint(60, 140))
            self.para(doc, f"Ofsted carried out its {ORDINALS[i]} monitoring visit on {_day(when)} and {_day(when + dt.timedelta(days=1))}, "
                           f"focusing on {r.choice(('the front door', 'children in care', 'care leavers', 'children in need and subject to a child protection plan'))}. "
                           + self.prose(1, 2))
        if r.random() < 0.3:
            self.para(doc, f"A focused visit on {_day(when + dt.timedelta(days=90))} looked at the local authority's arrangements for "
                           f"{r.choice(('contact, referral and assessment', 'children in care', 'care leavers'))}.")

    def s_intervention(self, doc: Doc) -> None:
        self.start_section(doc, self.rng.choice(("Statutory intervention", "Improvement Notice", "Department for Education intervention")))
        r = self.fixed("intervention")
        home = random.Random(f"cskg-bench-person:{self.commissioner}")  # where the commissioner works
        when = self.inspected + dt.timedelta(days=r.randint(10, 60))
        if r.random() < 0.5:
            self.para(doc, f"Arising from the judgement, a Statutory Direction from the Department for Education (DfE), dated {_day(when)}, "
                           f"requires the Council to prepare an improvement plan.")
            self.para(doc, f"The Secretary of State for Education has appointed, from {_day(when)}, a Commissioner for Children's Services "
                           f"in {self.short} to oversee the Council's response to the Statutory Direction. The Commissioner is "
                           f"{self.commissioner}, the {home.choice(ROLES)} of {home.choice(self.pools.councils)}.")
        else:
            self.para(doc, f"On {_day(when)} the Minister, {self.minister}, issued an Improvement Notice to {self.council}. "
                           f"The Notice requires the Council to deliver an improvement plan overseen by an independently chaired board.")
            if r.random() < 0.5:
                self.para(doc, f"The Improvement Notice was lifted in {_month(when + dt.timedelta(days=r.randint(300, 900)))}.")

    def s_programme(self, doc: Doc) -> None:
        r = self.rng
        self.start_section(doc, r.choice((self.programme, "Improvement Board", "Key developments")))
        self.para(doc, f"In {_month(self.date - dt.timedelta(days=r.randint(60, 400)))}, the council established the {self.short} "
                       f"Children's Services Improvement Board, chaired by {self.chief_exec}. The purpose of the Board is to oversee "
                       f"the delivery of the {self.programme}.")
        self.para(doc, f"{self.short} was selected by the Department for Education to take part in the {r.choice(PROGRAMMES)} "
                       f"programme in {self.date.year - r.randint(0, 2)}. " + self.prose(1, 3))
        themes = r.sample(("Pathway Planning and Transitions to Adulthood", "SMART Planning", "Management Oversight",
                           "Quality Assurance", "Workforce Stability", "Voice of the Child", "Early Help", "Placement Sufficiency"), 3)
        for t in themes:
            self.para(doc, f"{t}. " + self.prose(2, 4))

    def s_money(self, doc: Doc) -> None:
        r = self.rng
        self.start_section(doc, r.choice(("Financial implications", "Resources", "Financial")))
        y = self.date.year
        self.para(doc, f"This report recommends an investment of {_money(r)} for {y % 100:02d}/{(y + 1) % 100:02d} to resource this improvement plan. "
                       f"The DfE has awarded {_money(r)} from the {r.choice(PROGRAMMES)} to {self.short}.")
        doc.add("table", [[f"{y + i}/{(y + i + 1) % 100:02d}" for i in range(3)], [_money(r) for _ in range(3)]])
        self.para(doc, self.prose(1, 3))

    def s_workforce(self, doc: Doc) -> None:
        r = self.rng
        self.start_section(doc, "Workforce")
        perm = r.randint(150, 450)
        agency = r.randint(10, 120)
        self.para(doc, f"As of the end of {_month(self.date)}, the establishment was {perm + agency} posts. This was made up of {perm} "
                       f"permanent and {agency} agency staff; agency staff represented approximately {100 * agency // (perm + agency)}% of the workforce.")
        self.para(doc, f"{self.dcs} was appointed as Director of Children's Services in {_month(self.date - dt.timedelta(days=r.randint(30, 900)))}. "
                       + self.prose(1, 3))

    def s_risk(self, doc: Doc) -> None:
        r = self.rng
        self.start_section(doc, "Other implications")
        rows = [["Risk", "Mitigating action", "Opportunities"]]
        rows += [[k, r.choice(("None", "See paragraph 3", "Monitored by the Board")), "None"]
                 for k in ("Legal", "Property", "Human Rights", "Health and Safety", "Employment Issues", "Equalities Issues")]
        doc.add("table", rows)
        self.para(doc, "There are no Human Rights Act implications in relation to this report.")

    def s_prose(self, doc: Doc) -> None:
        self.start_section(doc, self.rng.choice(("National context", "Performance", "Next steps", "Early help", "Children in care",
                                                 "Care leavers", "Partnership working")))
        for _ in range(self.rng.randint(3, 8)):
            self.para(doc, self.prose())

    def build(self) -> Doc:
        r = self.rng
        layout = r.choice(("table", "caps", "keyvalue", "markdown", "committee", "letters"))
        title = r.choice(("Children's Services Update", f"{self.short} Children's Services Improvement Plan",
                          "Ofsted Inspection of Children's Services – Action Plan", "Portfolio Holder Report: Children's Services",
                          f"{self.programme} – Progress Report", f"Children's Social Care Improvement: {_month(self.date)}"))
        doc = Doc(title, layout)
        self.front(doc)
        makers = [self.s_inspection] + r.sample([self.s_history, self.s_monitoring, self.s_intervention, self.s_programme,
                                                 self.s_money, self.s_workforce, self.s_risk], r.randint(3, 6))
        makers += [self.s_prose] * r.randint(2, 5)
        r.shuffle(makers)
        for make in makers:
            make(doc)
        doc.add("heading", "Background papers", 2)
        doc.add("para", f"Ofsted inspection report, {_month(self.inspected)}.", None)
        return doc


# ----------------------------------------------------------------------------------- rendering
def render_txt(doc: Doc) -> bytes:
    out: list[str] = []
    for block in doc.blocks:
        kind = block[0]
        if kind == "heading":
            out.append(("#" * block[2] + " " if doc.layout == "markdown" else "") + block[1])
        elif kind == "meta":
            out.append(f"{block[1]}: {block[2]}" if doc.layout == "caps" else f"{block[1]}:\t{block[2]}")
        elif kind == "para":
            out.append(f"{block[2]} {block[1]}" if block[2] else block[1])
        elif kind == "list":
            out.append("\n".join((f"{chr(97 + i)}. " if block[2] else "- ") + item for i, item in enumerate(block[1])))
        elif kind == "table":
            out.append("\n".join("\t".join(row) for row in block[1]))
    return ("\n\n".join(out) + "\n").encode("utf-8")


def render_html(doc: Doc) -> bytes:
    e = html.escape
    body: list[str] = []
    for block in doc.blocks:
        kind = block[0]
        if kind == "heading":
            body.append(f"<h{block[2]}>{e(block[1])}</h{block[2]}>")
        elif kind == "meta":
            body.append(f'<table class="front"><tr><th>{e(block[1])}</th><td>{e(block[2])}</td></tr></table>')
        elif kind == "para":
            label = f'<span class="num">{e(block[2])}</span> ' if block[2] else ""
            body.append(f"<p>{label}{e(block[1])}</p>")
        elif kind == "list":
            tag = "ol" if block[2] else "ul"
            body.append(f"<{tag}>" + "".join(f"<li>{e(i)}</li>" for i in block[1]) + f"</{tag}>")
        elif kind == "table":
            rows = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in block[1])
            body.append(f"<table>{rows}</table>")
    page = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{e(doc.title)}</title>'
        '<style>body{font-family:sans-serif} .num{font-weight:bold}</style></head><body>'
        '<nav><ul><li><a href="/">Home</a></li><li><a href="/councillors">Councillors</a></li>'
        '<li><a href="/meetings">Meetings</a></li></ul></nav><div class="cookie">We use cookies to make this site work.</div>'
        '<main>\n' + "\n".join(body) + '\n</main><footer><p>Accessibility statement | Privacy | Contact us</p></footer>'
        "<script>document.body.className='js';</script></body></html>\n"
    )
    return page.encode("utf-8")


def render_pdf(doc: Doc) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    e = html.escape
    flow = []
    for block in doc.blocks:
        kind = block[0]
        if kind == "heading":
            flow.append(Paragraph(e(block[1]), styles["Heading1" if block[2] == 1 else "Heading2"]))
        elif kind == "meta":
            flow.append(Paragraph(f"<b>{e(block[1])}:</b> {e(block[2])}", styles["Normal"]))
        elif kind == "para":
            flow.append(Paragraph((f"{e(block[2])} " if block[2] else "") + e(block[1]), styles["BodyText"]))
        elif kind == "list":
            for i, item in enumerate(block[1]):
                flow.append(Paragraph((f"{chr(97 + i)}. " if block[2] else "• ") + e(item), styles["BodyText"]))
        elif kind == "table":
            cells = [[Paragraph(e(c), styles["BodyText"]) for c in row] for row in block[1]]
            t = Table(cells)
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
            flow.append(t)
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, title=doc.title, author="cskg benchmark", invariant=1).build(flow)
    return buf.getvalue()


def render_docx(doc: Doc, when: dt.date) -> bytes:
    import docx

    d = docx.Document()
    moment = dt.datetime(when.year, when.month, when.day, 9, 0, 0)
    d.core_properties.title = doc.title
    d.core_properties.author = "cskg benchmark"
    d.core_properties.created = moment
    d.core_properties.modified = moment
    d.core_properties.last_printed = moment
    for block in doc.blocks:
        kind = block[0]
        if kind == "heading":
            d.add_heading(block[1], level=block[2])
        elif kind == "meta":
            d.add_paragraph(f"{block[1]}:\t{block[2]}")
        elif kind == "para":
            d.add_paragraph(f"{block[2]}\t{block[1]}" if block[2] else block[1])
        elif kind == "list":
            for item in block[1]:
                d.add_paragraph(item, style="List Number" if block[2] else "List Bullet")
        elif kind == "table":
            rows = block[1]
            t = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for i, row in enumerate(rows):
                for j, c in enumerate(row):
                    t.cell(i, j).text = c
    buf = io.BytesIO()
    d.save(buf)
    return _fixed_zip_times(buf.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """python-docx stamps zip entries with the current time; fix them so output is reproducible."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# ----------------------------------------------------------------------------------- corpus
def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


class Generator:
    def __init__(self, seed: int = 1, formats: tuple[str, ...] = FORMATS,
                 reference_dir: Path = REFERENCE_DIR, sample_dirs: tuple[Path, ...] = SAMPLE_DIRS) -> None:
        unknown = set(formats) - set(FORMATS)
        if unknown or not formats:
            raise ValueError(f"unknown format(s) {', '.join(sorted(unknown)) or '(none)'}; choose from {', '.join(FORMATS)}")
        self.seed = seed
        self.formats = formats
        texts = sample_texts(sample_dirs)
        self.pools = pools_from_reference(reference_dir) or pools_from_samples(texts)
        self.babble = Babbler(texts, self.pools)

    def _format(self, rng: random.Random) -> str:
        return rng.choices(self.formats, weights=[FORMAT_WEIGHTS[f] for f in self.formats])[0]

    def format_of(self, i: int) -> str:
        """The format report i will have, without building it."""
        return self._format(random.Random(f"cskg-bench:{self.seed}:{i}"))

    def report(self, i: int) -> tuple[str, bytes]:
        """Report number i: (file name, bytes). Depends only on the seed, i and the inputs."""
        rng = random.Random(f"cskg-bench:{self.seed}:{i}")
        fmt = self._format(rng)
        b = Builder(rng, self.pools, self.babble)
        doc = b.build()
        name = f"{i:05d}-{_slug(b.short)}-{b.date.isoformat()}-{_slug(b.meeting)[:30]}.{fmt}"
        if fmt == "txt":
            data = render_txt(doc)
        elif fmt == "html":
            data = render_html(doc)
        elif fmt == "pdf":
            data = render_pdf(doc)
        else:
            data = render_docx(doc, b.date)
        return name, data

    def write(self, n: int, outdir: str | Path, start: int = 0) -> list[Path]:
        out = Path(outdir)
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for i in range(start, start + n):
            name, data = self.report(i)
            path = out / name
            path.write_bytes(data)
            paths.append(path)
        return paths


def generate(n: int, outdir: str | Path, seed: int = 1, formats: tuple[str, ...] = FORMATS, start: int = 0) -> list[Path]:
    """Write reports start..start+n-1 into outdir; returns their paths."""
    return Generator(seed, formats).write(n, outdir, start)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="how many reports")
    ap.add_argument("outdir", help="folder to write them into (created if missing)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--formats", default=",".join(FORMATS), help="comma-separated subset of txt,html,pdf,docx")
    ap.add_argument("--start", type=int, default=0, help="number of the first report (to extend a corpus)")
    args = ap.parse_args(argv)
    if args.n < 0:
        ap.error("N must be zero or more")
    try:
        gen = Generator(args.seed, tuple(f.strip() for f in args.formats.split(",") if f.strip()))
    except ValueError as exc:
        ap.error(str(exc))
    paths = gen.write(args.n, args.outdir, args.start)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} reports ({size / 1e6:.1f} MB) to {args.outdir}; names from {gen.pools.origin}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
