"""Deterministic IRIs: base/id/{type}/{slug of the natural key}. Same input, same IRI; never a
counter, uuid or run id. Keys join their parts with '--'."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from functools import lru_cache

from rdflib import Namespace, URIRef

from loaders.model import Inspection, OrgRef, PersonRef, Programme

DEFAULT_BASE = "https://w3id.org/cskg/"

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_HONORIFIC = re.compile(r"^(cllr|councillor|dr|lord|lady|baroness|sir|dame|mr|mrs|ms|miss|prof|professor)\s+", re.I)


@lru_cache(maxsize=8192)  # a report's graph slugs the same few names and keys over and over
def slug(text: str) -> str:
    """NFKD, strip accents, lower-case, runs of anything but [a-z0-9] -> '-', trimmed."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return _NON_SLUG.sub("-", text).strip("-") or "x"


def short_hash(text: str, n: int = 12) -> str:
    return hashlib.sha256(" ".join(text.split()).lower().encode("utf-8")).hexdigest()[:n]


class IriMinter:
    """Mints every entity and graph IRI under one configurable base."""

    def __init__(self, base: str | None = None) -> None:
        base = base or os.environ.get("CSKG_BASE") or DEFAULT_BASE
        if not base.endswith("/"):
            base += "/"
        self.base = base
        self.id = Namespace(base + "id/")
        self.graph_ns = Namespace(base + "graph/")

    def _id(self, kind: str, *parts: str) -> URIRef:
        return self.id[f"{kind}/" + "--".join(p for p in parts if p)]

    # graphs
    @property
    def meta_graph(self) -> URIRef:
        return self.graph_ns["meta"]

    def reference_graph(self, name: str) -> URIRef:
        return self.graph_ns["reference/" + slug(name)]

    def report_graph(self, report_key: str) -> URIRef:
        return self.graph_ns["report/" + report_key]

    # reports and evidence
    @staticmethod
    def report_key(source_file: str) -> str:
        """A report is identified by its file name, so a changed file replaces its old graph."""
        return slug(source_file)

    def report(self, report_key: str) -> URIRef:
        return self._id("report", report_key)

    def text(self, report_key: str) -> URIRef:
        return self._id("text", report_key)

    def evidence(self, report_key: str, start: int, end: int) -> URIRef:
        return self._id("evidence", report_key, f"{start}-{end}")

    # things
    def organisation(self, org: OrgRef | str) -> URIRef:
        name = org.name if isinstance(org, OrgRef) else org
        return self._id("organisation", slug(name))

    def person(self, person: PersonRef | str) -> URIRef:
        key = person.key if isinstance(person, PersonRef) else slug(_HONORIFIC.sub("", person))
        return self._id("person", key)

    def role(self, role_slug: str) -> URIRef:
        from ontology.namespace import ROLE

        return ROLE[slug(role_slug)]

    def membership(self, person: PersonRef, role: str, org: OrgRef | None) -> URIRef:
        return self._id("membership", person.key, slug(role), slug(org.name) if org else "")

    def interval(self, person: PersonRef, role: str, org: OrgRef | None) -> URIRef:
        return self._id("interval", person.key, slug(role), slug(org.name) if org else "")

    def instant(self, date: str) -> URIRef:
        return self._id("instant", date)

    def inspection_key(self, insp: Inspection) -> str:
        when = insp.start or insp.published
        return "--".join([slug(insp.org.name), slug(insp.type), when.value if when else "undated"])

    def inspection(self, insp: Inspection) -> URIRef:
        return self._id("inspection", self.inspection_key(insp))

    def inspection_from_key(self, org_name: str, type_slug: str, date: str) -> URIRef:
        return self._id("inspection", slug(org_name), slug(type_slug), date)

    def judgement(self, inspection_iri: URIRef, area: str) -> URIRef:
        return URIRef(str(inspection_iri).replace("/id/inspection/", "/id/judgement/", 1) + "--" + slug(area))

    def recommendation(self, inspection_iri: URIRef | None, position: int | None, text: str, scope: str) -> URIRef:
        if inspection_iri is not None and position is not None:
            return URIRef(str(inspection_iri).replace("/id/inspection/", "/id/recommendation/", 1) + f"--{position:02d}")
        return self._id("recommendation", scope, short_hash(text))

    def intervention(self, org: OrgRef, type_slug: str, date: str | None) -> URIRef:
        return self._id("intervention", slug(org.name), slug(type_slug), date or "undated")

    def programme(self, prog: Programme) -> URIRef:
        return self._id("programme", slug(prog.org.name) if prog.org else "", slug(prog.name))

    def grant(self, report_key: str, start: int, end: int, which: str) -> URIRef:
        # an amount is only identifiable by where it is stated; one sentence can state several
        # (a row of yearly sums), so `which` (value and year) tells them apart
        return self._id("grant", report_key, f"{start}-{end}", slug(which))

    def amount(self, report_key: str, start: int, end: int, which: str) -> URIRef:
        return self._id("amount", report_key, f"{start}-{end}", slug(which))

    def change_event(self, org: OrgRef, new_org: OrgRef) -> URIRef:
        return self._id("change", slug(org.name), slug(new_org.name))

    def run(self, extractor_version: str) -> URIRef:
        return self._id("run", slug(extractor_version))
