"""The vocabulary Turtle, the closed CS namespace and the SKOS schemes stay in step."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from graph.build import CANONICAL_ROLES
from ontology import ONTOLOGY_DIR
from ontology.namespace import AREA, CS, FRAMEWORK, GRADE, ITYPE, IVTYPE, ORG, OWL, RDF, RDFS, RECTYPE, ROLE, SKOS, THEME

CS_NS = str(CS._NS)


@pytest.fixture(scope="module")
def vocab() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "cskg.ttl")


@pytest.fixture(scope="module")
def schemes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "schemes.ttl")


def namespace_terms() -> set[str]:
    return {CS_NS + name for name in CS.__annotations__}


def test_every_namespace_term_is_defined_and_nothing_else(vocab):
    defined = {str(s) for s in vocab.subjects(RDF.type, None) if str(s).startswith(CS_NS)}
    assert namespace_terms() - defined == set(), "in ontology/namespace.py but not in cskg.ttl"
    assert defined - namespace_terms() == set(), "in cskg.ttl but not in ontology/namespace.py"


@pytest.mark.parametrize("path", ["cskg.ttl", "schemes.ttl", "shapes.ttl", "axioms.ttl"])
def test_no_file_uses_an_undefined_cs_term(path):
    g = Graph().parse(ONTOLOGY_DIR / path)
    used = {str(t) for triple in g for t in triple if isinstance(t, URIRef) and str(t).startswith(CS_NS)}
    assert used - namespace_terms() == set()


def test_terms_are_labelled_and_typed(vocab):
    for name in CS.__annotations__:
        term = CS[name]
        kinds = set(vocab.objects(term, RDF.type))
        assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, name
        assert vocab.value(term, RDFS.label) is not None, name
        assert vocab.value(term, RDFS.comment) is not None, name
    assert (CS.LocalAuthority, RDFS.subClassOf, ORG.FormalOrganization) in vocab


def test_closed_namespace_fails_loudly_on_a_typo():
    with pytest.raises(AttributeError):
        CS.inspectedOrganization  # noqa: B018 - the American spelling is not a term


def _concepts(g: Graph, scheme) -> set[str]:
    ns = str(scheme)
    return {str(c)[len(ns):] for c in g.subjects(SKOS.inScheme, URIRef(ns))}


def test_schemes_hold_the_slugs_the_loaders_write(schemes):
    assert _concepts(schemes, GRADE) == {"outstanding", "good", "requires-improvement", "adequate", "inadequate"}
    assert {
        "overall-effectiveness", "impact-of-leaders", "help-and-protection", "children-in-care-and-care-leavers",
        "children-in-care", "care-leavers", "looked-after-and-achieving-permanence",
        "leadership-management-and-governance", "adoption", "lscb",
    } <= _concepts(schemes, AREA)
    assert {
        "sif", "ilacs", "ilacs-standard", "ilacs-short", "monitoring-visit", "focused-visit",
        "joint-targeted-area-inspection", "pre-sif-inspection",
    } <= _concepts(schemes, ITYPE)
    assert _concepts(schemes, IVTYPE) == {"improvement-notice", "statutory-direction"}
    assert _concepts(schemes, RECTYPE) == {"recommendation", "area-for-improvement", "priority-action"}
    assert CANONICAL_ROLES <= _concepts(schemes, ROLE)
    assert {"workforce", "early-help", "quality-assurance", "leadership", "placements", "care-leavers"} <= _concepts(
        schemes, THEME
    )


def test_grades_are_ordered_and_adequate_stays_distinct(schemes):
    notation = {c: str(schemes.value(GRADE[c], SKOS.notation)) for c in ["outstanding", "good", "inadequate"]}
    assert notation == {"outstanding": "1", "good": "2", "inadequate": "4"}
    assert Literal("Requires improvement to be good") in set(schemes.objects(GRADE["requires-improvement"], SKOS.altLabel))
    assert schemes.value(GRADE.adequate, SKOS.historyNote) is not None
    assert not set(schemes.triples((GRADE.adequate, SKOS.exactMatch, None)))


def test_roles_are_org_roles_and_areas_name_their_framework(schemes):
    for role in schemes.subjects(SKOS.inScheme, URIRef(str(ROLE))):
        assert (role, RDF.type, ORG.Role) in schemes
    assert set(schemes.objects(AREA["children-in-care-and-care-leavers"], CS.framework)) == {FRAMEWORK["ilacs-2018"]}
    assert FRAMEWORK["ilacs-2023"] in set(schemes.objects(AREA["care-leavers"], CS.framework))
    assert FRAMEWORK["ilacs-2026"] not in set(schemes.objects(AREA["overall-effectiveness"], CS.framework))


def test_every_concept_has_one_label_and_a_scheme(schemes):
    for concept in set(schemes.subjects(RDF.type, SKOS.Concept)):
        assert len(set(schemes.objects(concept, SKOS.prefLabel))) == 1, concept
        assert schemes.value(concept, SKOS.inScheme) is not None, concept


def test_shape_value_lists_equal_their_schemes(schemes):
    from rdflib.collection import Collection

    from ontology.namespace import SH

    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    checked = set()
    for head in shapes.objects(None, SH["in"]):
        members = [m for m in Collection(shapes, head) if isinstance(m, URIRef)]
        if not members:
            continue
        ns = str(members[0]).rsplit("/", 1)[0] + "/"
        assert {str(m) for m in members} == {str(c) for c in schemes.subjects(SKOS.inScheme, URIRef(ns))}, ns
        checked.add(ns)
    assert checked == {str(n) for n in (GRADE, AREA, ITYPE, IVTYPE, RECTYPE)}
