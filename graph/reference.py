"""Reference data -> RDF: the vocabulary, the council register and Ofsted's inspection outcomes,
each in its own named graph with a metadata record, replaced together in one transaction.

A graph whose inputs (its data files and the code that converts them) are unchanged is left
alone, so a second `cskg load-reference` does nothing.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef

import cskg
from graph.build import Triple, date_literal
from graph.iri import slug
from graph.store import SourceBatchItem, SourceRecord, Store, now_iso
from loaders.reference.councils import Council, council_by_code, council_by_gss, councils
from loaders.reference.datasets import (
    COUNCIL_DATASETS,
    D2I_LOOKUP,
    OFSTED_OUTCOMES,
    OUTCOME_DATASETS,
    REGISTER,
    Dataset,
)
from loaders.reference.ofsted import OfstedOutcome, read_outcomes
from ontology import ONTOLOGY_DIR
from ontology.namespace import (
    AREA,
    CS,
    DCTERMS,
    FOAF,
    FRAMEWORK,
    GRADE,
    ITYPE,
    ORG,
    PROV,
    RDF,
    RDFS,
    SDO,
    SG,
    SKOS,
    XSD,
)

VOCABULARY_FILES = ("cskg.ttl", "schemes.ttl")
GRAPHS = ("vocabulary", "councils", "ofsted-outcomes")


@dataclass
class _Part:
    name: str
    source_file: str
    inputs: tuple[Path, ...]
    build: Callable[[], tuple[list[Triple], list[str]]]  # triples, notes for the user


def reference_loaded(store: Store) -> bool:
    """True when every reference graph has a metadata record."""
    graphs = {str(store.minter.reference_graph(name)) for name in GRAPHS}
    recorded = {str(rec.graph) for rec in store.sources() if rec.kind == "reference"}
    return graphs <= recorded


def load_reference(store: Store, echo: Callable[[str], object] = print) -> str:
    """Load whichever reference graphs are missing or out of date; return a summary line."""
    minter = store.minter
    parts = [
        _Part("vocabulary", ", ".join(VOCABULARY_FILES), tuple(ONTOLOGY_DIR / f for f in VOCABULARY_FILES),
              vocabulary_triples),
        _Part("councils", ", ".join(d.file for d in COUNCIL_DATASETS), tuple(d.local_path for d in COUNCIL_DATASETS),
              lambda: (council_triples(store), [])),
        _Part("ofsted-outcomes", ", ".join(d.file for d in OUTCOME_DATASETS),
              tuple(d.local_path for d in OUTCOME_DATASETS), lambda: outcome_triples(store)),
    ]
    recorded = {str(rec.graph): rec for rec in store.sources()}
    version = f"cskg {cskg.__version__}"
    items: list[SourceBatchItem] = []
    done: list[str] = []
    for part in parts:
        graph = minter.reference_graph(part.name)
        digest = _digest(part.inputs, minter.base)
        old = recorded.get(str(graph))
        if old is not None and old.sha256 == digest and old.loader_version == version:
            continue
        triples, notes = part.build()
        for note in notes:
            echo(note)
        record = SourceRecord(graph, part.source_file, digest, version, now_iso(), len(triples), "reference")
        items.append(SourceBatchItem(record, triples))
        done.append(f"{part.name} ({len(triples):,} triples)")
    if not items:
        return "reference data unchanged: " + ", ".join(GRAPHS)
    store.replace_sources(items)
    return "reference data loaded: " + ", ".join(done)


def _digest(paths: Iterable[Path], base: str) -> str:
    """Of the data files, the conversion code (a fix there reloads the graphs) and the IRI base."""
    from loaders.reference import councils as councils_module, datasets, ofsted

    code = [Path(m.__file__) for m in (councils_module, datasets, ofsted)] + [Path(__file__)]
    h = hashlib.sha256(base.encode())
    for p in [*paths, *code]:
        h.update(p.read_bytes())
    return h.hexdigest()


# ------------------------------------------------------------------------------------- vocabulary


def vocabulary_triples() -> tuple[list[Triple], list[str]]:
    g = Graph()
    for name in VOCABULARY_FILES:
        g.parse(ONTOLOGY_DIR / name, format="turtle")
    return sorted(g, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))), []


# ------------------------------------------------------------------------------------- datasets


def dataset_iri(store: Store, ds: Dataset) -> URIRef:
    return store.minter.id[f"dataset/{ds.key}"]


def _dataset_triples(store: Store, ds: Dataset) -> list[Triple]:
    d = dataset_iri(store, ds)
    return [
        (d, RDF.type, CS.Dataset),
        (d, RDF.type, PROV.Entity),
        (d, DCTERMS.title, Literal(ds.title)),
        (d, DCTERMS.source, URIRef(ds.repository)),
        (d, CS.sourcePath, Literal(ds.path)),
        (d, CS.sourceCommit, Literal(ds.commit)),
        (d, DCTERMS.license, URIRef(ds.licence)),
        (d, CS.sourceFile, Literal(ds.file)),
    ]


# ------------------------------------------------------------------------------------- councils


def council_iri(store: Store, council: Council) -> URIRef:
    """Minted from the official name, as graph.build mints a council OrgRef, so both meet."""
    return store.minter.organisation(council.official_name)


def _alt_labels(c: Council) -> list[str]:
    """Distinct alternative names, preferring a capitalised spelling of each."""
    seen: dict[str, str] = {c.official_name.casefold(): c.official_name}
    for name in sorted([c.nice_name, *c.alt_names], key=lambda n: (n.islower(), n)):
        seen.setdefault(" ".join(name.split()).casefold(), name)
    return sorted(v for k, v in seen.items() if v != c.official_name)


def council_triples(store: Store) -> list[Triple]:
    out: list[Triple] = []
    for ds in COUNCIL_DATASETS:
        out += _dataset_triples(store, ds)
    for c in councils():
        iri = council_iri(store, c)
        add = out.append
        add((iri, RDF.type, CS.LocalAuthority))
        add((iri, RDF.type, ORG.FormalOrganization))
        add((iri, SKOS.prefLabel, Literal(c.official_name)))
        for alt in _alt_labels(c):
            add((iri, SKOS.altLabel, Literal(alt)))
        add((iri, CS.registerCode, Literal(c.code)))
        add((iri, CS.gssCode, Literal(c.gss)))
        add((iri, CS.onsArea, SG[c.gss]))
        if c.dfe_number:
            add((iri, CS.dfeNumber, Literal(c.dfe_number)))
        if c.ofsted_urn:
            add((iri, CS.ofstedUrn, Literal(c.ofsted_urn)))
        add((iri, CS.localAuthorityType, Literal(c.la_type_name)))
        add((iri, CS.childrensServicesAuthority, Literal(c.childrens_services)))
        if c.region:
            add((iri, CS.region, Literal(c.region)))
        if c.start_date:
            add((iri, SDO.foundingDate, Literal(c.start_date, datatype=XSD.date)))
        if c.end_date:
            add((iri, SDO.dissolutionDate, Literal(c.end_date, datatype=XSD.date)))
        for code in c.replaced_by:
            successor = council_by_code(code)
            if successor is not None:
                add((iri, DCTERMS.isReplacedBy, council_iri(store, successor)))
                add((council_iri(store, successor), DCTERMS.replaces, iri))
        for gss in c.statistical_neighbours:
            neighbour = council_by_gss(gss)
            if neighbour is not None:
                add((iri, CS.statisticalNeighbour, council_iri(store, neighbour)))
        if c.lat is not None and c.long is not None:
            add((iri, SDO.latitude, Literal(Decimal(str(round(c.lat, 6))), datatype=XSD.decimal)))
            add((iri, SDO.longitude, Literal(Decimal(str(round(c.long, 6))), datatype=XSD.decimal)))
        add((iri, PROV.wasDerivedFrom, dataset_iri(store, REGISTER)))
        if c.ofsted_urn:
            add((iri, PROV.wasDerivedFrom, dataset_iri(store, D2I_LOOKUP)))
    return sorted(set(out), key=lambda t: (str(t[0]), str(t[1]), str(t[2])))


# ------------------------------------------------------------------------------------- Ofsted outcomes

_TYPE_LABEL = {
    "sif": "single inspection framework inspection",
    "ilacs": "ILACS inspection",
    "ilacs-standard": "ILACS standard inspection",
    "ilacs-short": "ILACS short inspection",
    "pre-sif-inspection": "children's services inspection",
}


def framework_of(o: OfstedOutcome) -> URIRef:
    if o.type == "pre-sif-inspection":
        return FRAMEWORK["pre-sif"]
    if o.type == "sif":
        return FRAMEWORK["sif"]
    when = str(o.key_date)
    if when < "2023-01-01":
        return FRAMEWORK["ilacs-2018"]
    return FRAMEWORK["ilacs-2023"] if when < "2026-04-01" else FRAMEWORK["ilacs-2026"]


def _person_names(outcomes: list[OfstedOutcome], store: Store) -> dict[URIRef, str]:
    """One foaf:name per person node: names that slug alike ("Máire"/"Maire") are one person,
    named by their most frequent spelling (accented first on a tie)."""
    spellings: dict[URIRef, Counter] = defaultdict(Counter)
    for o in outcomes:
        if o.lead_inspector:
            spellings[store.minter.person(o.lead_inspector)][o.lead_inspector] += 1
    return {
        iri: max(c.items(), key=lambda kv: (kv[1], not kv[0].isascii(), kv[0]))[0] for iri, c in spellings.items()
    }


def outcome_triples(store: Store) -> tuple[list[Triple], list[str]]:
    outcomes, skipped = read_outcomes()
    ds = OFSTED_OUTCOMES
    source = dataset_iri(store, ds)
    out: list[Triple] = [t for d in OUTCOME_DATASETS for t in _dataset_triples(store, d)]
    names = _person_names(outcomes, store)
    for iri, name in names.items():
        out += [(iri, RDF.type, FOAF.Person), (iri, FOAF.name, Literal(name))]
    for o in outcomes:
        org = council_iri(store, o.council)
        insp = store.minter.inspection_from_key(o.council.official_name, o.type, str(o.key_date))
        add = out.append
        add((insp, RDF.type, CS.Inspection))
        add((insp, RDF.type, PROV.Activity))
        add((insp, DCTERMS.type, ITYPE[o.type]))
        add((insp, CS.framework, framework_of(o)))
        add((insp, CS.inspectedOrganisation, org))
        add((insp, RDFS.label, Literal(f"Ofsted {_TYPE_LABEL[o.type]} of {o.council.official_name}, {o.key_date}")))
        if o.start:
            add((insp, SDO.startDate, date_literal(o.start)))
        if o.end:
            add((insp, SDO.endDate, date_literal(o.end)))
        add((insp, CS.publicationDate, date_literal(o.published)))
        if o.link:
            add((insp, FOAF.page, URIRef(o.link)))
        if o.lead_inspector:
            add((insp, CS.leadInspector, store.minter.person(o.lead_inspector)))
        add((insp, PROV.wasDerivedFrom, source))
        for area, grade in o.grades:
            j = store.minter.judgement(insp, area)
            add((j, RDF.type, CS.Judgement))
            add((j, CS.inspection, insp))
            add((j, CS.judgementArea, AREA[slug(area)]))
            add((j, CS.grade, GRADE[grade]))
            add((j, PROV.wasDerivedFrom, source))
    notes = [f"{ds.file} line {s.row}: skipped: {s.reason}" for s in skipped]
    notes += [
        f"{ds.file} line {o.row} ({o.council.official_name}, published {o.published}): {problem}"
        for o in outcomes
        for problem in o.problems
    ]
    ungraded = sum(1 for o in outcomes if not o.grades)
    if ungraded:
        notes.append(
            f"{ds.file}: {ungraded} of {len(outcomes)} reports have no grades in the table (reports before"
            " ILACS, or grades the scrape could not read): loaded with their dates and links only"
        )
    return sorted(set(out), key=lambda t: (str(t[0]), str(t[1]), str(t[2]))), notes


__all__ = ["load_reference", "reference_loaded", "council_iri", "dataset_iri", "GRAPHS"]
