"""Amounts of money: normalised to pounds, with the financial year and what they are for.

Amounts are read as written ("£0.75m", "£1.4 million", "£24.411m", "£420k", "£200,000",
"£1.2bn"). The financial year is the one written next to the amount ("£4.386m in 2015/16",
"£0.75m for 19/20"), or the column heading over it when the amount sits in a table whose header
row lists years. The purpose comes from the words around the amount: savings, cuts and
reductions are savings (never grants); overspends, pressures and costs are costs; budgets are
budgets; grants, funding, investment, allocations, contract sums and money received are
funding, which is what becomes a schema:MonetaryGrant. Each amount takes the cue of its own
clause, back to the amount before it ("investment of £2.4m in 2018/19 and £350k in 2019/20, noting
savings of £1.1m"), and only a year no other amount stands closer to; "over three years" has none.
Salaries in job adverts are not amounts for services. What an amount funds is the programme
named in the same sentence, else the trust or council the sentence names, else the report's
council when the sentence is about it.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from loaders.extract import Context, extractor
from loaders.extract.common import evidence, normalise_space, sentences, sentences_with
from loaders.extract.inspections import council_in, publisher
from loaders.model import MonetaryAmount, OrgRef, Programme

NAME, VERSION = "money", "1.0"

# (?<![\w.])£..., the pound sign taken first (and the look-behind tested after it): the scan
# skips from one pound sign to the next instead of trying the look-behind at every character
AMOUNT = re.compile(
    r"£(?<![\w.]£)\s?(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s?(?P<u>bn|billion|m|mn|million|k|thousand)\b)?",
    re.I,
)
_UNITS = {"bn": 10**9, "billion": 10**9, "m": 10**6, "mn": 10**6, "million": 10**6, "k": 10**3, "thousand": 10**3}
# "2019/20", "2019-20", "2019/2020", "19/20", "2019–20"
FY = re.compile(r"(?<![\d/.£])(?P<a>(?:19|20)?\d\d)\s?[/\-\u2013]\s?(?P<b>(?:19|20)?\d\d)(?![\d/%]|\.\d)")

_SAVING = re.compile(r"\b(?:sav(?:e|es|ed|ing|ings)|cuts?|reduc\w*|efficienc\w*|underspend\w*)\b", re.I)
_COST = re.compile(r"\b(?:overspen\w*|pressures?|costs?|costing|spen[dt]\w*|expenditure|deficit|shortfall)\b", re.I)
_BUDGET = re.compile(r"\bbudget\w*\b", re.I)
_FUNDING = re.compile(
    r"\b(?:grants?|fund\w*|invest\w*|allocat\w*|awarded|award|received|receive|contract\w*|bid|income|provid\w+|"
    r"resource[sd]?|financial\s+request|settlement)\b",
    re.I,
)
_NATIONAL = re.compile(r"\b(?:Government|nationally|national|DfE|Department\s+for\s+Education|Treasury)\b", re.I)
_ABOUT_COUNCIL = re.compile(r"\b(?:we|our|us|the\s+(?:county\s+|borough\s+|city\s+)?council|the\s+authority|the\s+service|the\s+directorate|the\s+trust)\b", re.I)
_TRUST = re.compile(r"(?P<trust>(?:[A-Z][\w'\u2019&-]*[ \u00a0]+){1,6}Trust)\b")


# What a sentence must hold for the loop over sentences in extract_money to do anything: every
# AMOUNT starts with "£", and _named_trust needs "Trust". The others (most) are not read: they are
# found with str.find, where reading each cost ~0.2 ms a report.
_AMOUNT_OR_TRUST = ("\u00a3", "Trust")


def _named_trust(s: str) -> OrgRef | None:
    """A trust named in full ("Slough Children's Services Trust"); "the Trust" alone names none."""
    if "Trust" not in s:
        return None  # the usual case, and a scan of every capitalised word is costly
    for m in _TRUST.finditer(s):
        name = normalise_space(re.sub(r"^(?:The|the)\s+", "", m.group("trust")))
        if name != "Trust":
            return OrgRef(name, kind="trust")
    return None


def _range_unit(s: str, end: int) -> str | None:
    """The unit of a range's upper bound, which the lower one shares: "£2-3m", "£2 to £3 million"."""
    m = re.match(r"\s*(?:-|\u2013|to)\s*£?\s?\d+(?:\.\d+)?\s?(?P<u>bn|billion|m|mn|million|k|thousand)\b", s[end : end + 30], re.I)
    return m.group("u") if m else None


def to_pounds(number: str, unit: str | None) -> Decimal | None:
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None
    return value * _UNITS[unit.lower()] if unit else value


def financial_year(a: str, b: str) -> str | None:
    """'2019','20' -> '2019/20'; '19','20' -> '2019/20'; anything not consecutive -> None."""
    ya = int(a) if len(a) == 4 else 2000 + int(a)
    yb = int(b[-2:])
    if ya % 100 == 99 and yb == 0 or (ya + 1) % 100 == yb:
        if 1990 <= ya <= 2099:
            return f"{ya}/{(ya + 1) % 100:02d}"
    return None


def _years(s: str) -> list[tuple[int, str]]:
    out = []
    for m in FY.finditer(s):
        fy = financial_year(m.group("a"), m.group("b"))
        if fy:
            out.append((m.start(), fy))
    return out


def _purpose(window: str) -> str:
    if _SAVING.search(window):
        return "saving"
    if _BUDGET.search(window) and not _FUNDING.search(window):
        return "budget"
    if _COST.search(window) and not _FUNDING.search(window):
        return "cost"
    if _FUNDING.search(window):
        return "funding"
    if _BUDGET.search(window):
        return "budget"
    return "cost" if _COST.search(window) else "funding"


_BREAK = re.compile(r"[,;:()]|\b(?:and|against|offset|noting|while|whilst|but|with|compared|plus)\b", re.I)
_OVER_YEARS = re.compile(r"\s*(?:in\s+total\s+)?over\s+(?:the\s+(?:next\s+)?)?(?:\w+\s+)?(?:financial\s+)?years\b", re.I)
_SALARY = re.compile(
    r"\b(?:salary\b(?!\s+(?:costs?|budgets?|bill|pressures?))|per\s+annum|p\.a\.|pay\s+(?:band|scale|grade)|"
    r"spinal\s+(?:column\s+)?point|pro\s+rata)",
    re.I,
)
_ADVERT = re.compile(r"\b(?:apply\s+(?:by|before|online|now)|applications?\s+(?:close|by)|closing\s+date|vacanc(?:y|ies)|job\s+description)\b", re.I)


def _salary(text: str, s0: int, s1: int, s: str, value: Decimal) -> bool:
    """A salary in a job advert ("Head of Service, up to £65,000. Apply by 31 March."): not money
    the council spends on services. Adverts name pay; the next sentence often asks for applications."""
    if value > 250_000:
        return False
    return bool(_SALARY.search(s) or _ADVERT.search(text, s0, min(len(text), s1 + 120)))


def _own_purpose(s: str, a: int, b: int, amounts: list[tuple[int, int]]) -> str | None:
    """The purpose the amount's own clause gives it: the last clause, back to the previous amount,
    that has a cue word ("investment of £2.4m ... and £350k", "offset by savings of £420k"); else the
    words just after it up to the next break ("£2m was saved")."""
    left = max([e for x, e in amounts if e <= a] + [0])
    pieces = _BREAK.split(s[left:a])
    for piece in reversed(pieces):
        if _cued(piece):
            return _nearest_purpose(piece)
    if left > 0:
        return None  # "... and £350k": the previous amount's purpose carries on
    nxt = min([x for x, _ in amounts if x >= b] + [len(s)])
    brk = _BREAK.search(s, b, nxt)
    right = s[b : brk.start() if brk else nxt]
    return _purpose(right) if _cued(right) else None


def _nearest_purpose(piece: str) -> str:
    """A reduction anywhere in the clause makes a saving ("a reduction in grant of"); otherwise the
    cue word nearest the amount decides ("the contract costs £310,000" is a cost)."""
    if _SAVING.search(piece):
        return "saving"
    cues = [(m.end(), kind) for kind, rx in (("cost", _COST), ("budget", _BUDGET), ("funding", _FUNDING)) for m in rx.finditer(piece)]
    return max(cues)[1] if cues else _purpose(piece)


def _cued(window: str) -> bool:
    return any(rx.search(window) for rx in (_SAVING, _COST, _BUDGET, _FUNDING))


def _clause(s: str, a: int, b: int) -> str:
    """The words around an amount, up to the neighbouring amounts or clause breaks."""
    left = max(s.rfind(";", 0, a), s.rfind("£", 0, a - 1) if a > 0 else -1, 0)
    right_candidates = [i for i in (s.find(";", b), s.find("£", b)) if i >= 0]
    right = min(right_candidates) if right_candidates else len(s)
    return s[left:right]


def _funded(ctx: Context, s: str, s0: int, s1: int) -> Programme | OrgRef | None:
    for p in ctx.values.get("programmes", []) or []:
        if isinstance(p, Programme) and p.name and p.name in s:
            return p
    t = _named_trust(s)
    if t:
        return t
    org = council_in(ctx, s0, s1)
    if org is not None and org != publisher(ctx):
        return org
    if _ABOUT_COUNCIL.search(s) or not _NATIONAL.search(s):
        return publisher(ctx)
    return None


def _table_amounts(ctx: Context):
    """Amounts in the body rows of a table whose header row lists financial years."""
    text = ctx.doc.text
    lines = text.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    header: list[str | None] | None = None
    intro = ""
    for i, line in enumerate(lines):
        cells = line.split("\t")
        years = [(_years(c)[0][1] if _years(c) and not AMOUNT.search(c) else None) for c in cells] if len(cells) > 1 else []
        if len(cells) > 1 and sum(1 for y in years if y) >= 1 and not any(AMOUNT.search(c) for c in cells):
            header = years
            j = i - 1
            while j >= 0 and not lines[j].strip():
                j -= 1
            intro = lines[j] if j >= 0 else ""
            continue
        if header is None:
            continue
        if not line.strip():
            continue
        if "\t" not in line:
            if len(line) > 80 or AMOUNT.search(line):
                header = None  # prose again: the table has ended
            continue
        cell_start = offsets[i]
        row_label = cells[0]
        for k, cell in enumerate(cells):
            for m in AMOUNT.finditer(cell):
                # a header row often lacks the empty cell over the row labels
                shift = 1 if header and header[0] and cells and not AMOUNT.search(cells[0]) else 0
                fy = header[k - shift] if 0 <= k - shift < len(header) else None
                if re.match(r"\s*(?:grand\s+)?total", row_label, re.I):
                    fy = None  # a total repeats the amounts above it
                value = to_pounds(m.group("n"), m.group("u"))
                if value is None:
                    continue
                a, b = offsets[i], offsets[i] + len(line)
                yield m, cell_start, fy, value, (a, b), row_label, intro
            cell_start += len(cell) + 1


@extractor(NAME, VERSION, requires=("report", "programmes"), provides=("money",))
def extract_money(ctx: Context):
    text = ctx.doc.text
    in_tables: set[int] = set()
    for m, cell_start, fy, value, (a, b), label, intro in _table_amounts(ctx):
        in_tables.add(cell_start + m.start())
        if fy is None:
            continue  # a total, or a column without a year
        context = f"{label} {intro}"
        yield MonetaryAmount(
            evidence=evidence(text, a, b, NAME, VERSION),
            amount=value,
            purpose=_purpose(context),
            financial_year=fy,
            funded=_funded(ctx, context, a, b),
            description=normalise_space(f"{label} {m.group(0)}")[:200],
        )
    last_trust: OrgRef | None = None
    spans = sentences(text)
    for i in sorted(sentences_with(text, spans, _AMOUNT_OR_TRUST)):
        span = spans[i]
        s = text[span.start : span.end]
        years: list[tuple[int, str]] | None = None  # read when the sentence states an amount
        previous_purpose = None
        t = _named_trust(s)
        if t:
            last_trust = t
        for m in AMOUNT.finditer(s):
            if span.start + m.start() in in_tables:
                continue
            unit = m.group("u") or _range_unit(s, m.end())
            value = to_pounds(m.group("n"), unit)
            if value is None or value <= 0:
                continue
            if _salary(text, span.start, span.end, s, value):
                continue
            clause = _clause(s, m.start(), m.end())
            amounts = [(x.start(), x.end()) for x in AMOUNT.finditer(s)]
            if years is None:
                years = _years(s)
            # a year belongs to this amount only when no other amount stands between them
            after = [fy for p, fy in years if p >= m.end() and p - m.end() < 40 and not any(m.end() <= x < p for x, _ in amounts)]
            before = [
                fy for p, fy in years
                if p < m.start() and m.start() - p < 60 and not any(p < x < m.start() or 0 <= p - e < 40 for x, e in amounts)
            ]
            fy = after[0] if after else (before[-1] if before else (years[0][1] if len(years) == 1 and len(amounts) == 1 else None))
            if _OVER_YEARS.match(s, m.end()):
                fy = None  # "£1.1 million over three years": no one financial year
            purpose = _own_purpose(s, m.start(), m.end(), amounts) or previous_purpose or _purpose(clause)
            previous_purpose = purpose
            funded = _funded(ctx, s, span.start, span.end)
            if last_trust is not None and re.search(r"\b[Tt]he\s+Trust\b", s) and not t:
                funded = last_trust
            yield MonetaryAmount(
                evidence=evidence(text, span.start, span.end, NAME, VERSION),
                amount=value,
                purpose=purpose,
                financial_year=fy,
                funded=funded,
                description=normalise_space(clause)[:200],
            )
