"""The ontology: labelled and defined terms, metadata, alignment, and a hierarchy inference can use."""

from __future__ import annotations

import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, Namespace
from rdflib.namespace import DCTERMS, FOAF, PROV, SH

from .conftest import OSEC, SHAPES, materialize

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ELIDL = Namespace("http://data.europa.eu/eli/eli-draft-legislation-ontology#")
TIME = Namespace("http://www.w3.org/2006/time#")
FABIO = Namespace("http://purl.org/spar/fabio/")
ONTOLOGY_IRI = rdflib.URIRef("https://w3id.org/osec-kg/ontology")


def own_terms(g: rdflib.Graph) -> set[rdflib.URIRef]:
    return {s for s in g.subjects(RDF.type, None) if isinstance(s, rdflib.URIRef) and s in OSEC}


def supers(g: rdflib.Graph, cls: rdflib.URIRef, prop: rdflib.URIRef = RDFS.subClassOf) -> set:
    return set(g.transitive_objects(cls, prop))


def test_every_term_has_a_label_and_a_definition(ontology_graph: rdflib.Graph) -> None:
    terms = own_terms(ontology_graph)
    assert len(terms) > 200
    for t in terms:
        assert ontology_graph.value(t, RDFS.label), f"{t} has no rdfs:label"
        assert ontology_graph.value(t, SKOS.definition), f"{t} has no skos:definition"


def test_ontology_metadata(ontology_graph: rdflib.Graph) -> None:
    g = ontology_graph
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    for p in (
        OWL.versionIRI,
        OWL.versionInfo,
        DCTERMS.license,
        DCTERMS.creator,
        DCTERMS.modified,
        RDFS.label,
    ):
        assert g.value(ONTOLOGY_IRI, p) is not None, p


def test_required_classes_exist(ontology_graph: rdflib.Graph) -> None:
    required = [
        "NonGovernmentalOrganization",
        "GovernmentAgency",
        "Legislature",
        "LegislativeChamber",
        "Committee",
        "Subcommittee",
        "InterAgencyBody",
        "Partnership",
        "LawEnforcementAgency",
        "Company",
        "InternationalOrganization",
        "Country",
        "Jurisdiction",
        "Person",
        "Post",
        "Membership",
        "Bill",
        "EnactedLaw",
        "PublicLaw",
        "RepublicAct",
        "CodeSection",
        "LegislativeEvent",
        "Introduction",
        "Referral",
        "Hearing",
        "Markup",
        "VoteEvent",
        "Passage",
        "Enactment",
        "Report",
        "ReportEdition",
        "TierPlacement",
        "Statistic",
        "SourceDocument",
        "Claim",
        "Obligation",
        "Award",
    ]
    for name in required:
        assert (OSEC[name], RDF.type, OWL.Class) in ontology_graph, name


def test_alignment_with_each_standard_vocabulary(ontology_graph: rdflib.Graph) -> None:
    g = ontology_graph
    targets = set()
    for p in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty):
        for s, o in g.subject_objects(p):
            if s in OSEC:
                targets.add(str(o))
    for ns in (ORG, SCHEMA, ELI, ELIDL, PROV, DCTERMS, SKOS, FOAF, TIME, FABIO):
        assert any(t.startswith(str(ns)) for t in targets), f"nothing aligned with {ns}"


def test_organization_classes_reach_org_and_schema(ontology_graph: rdflib.Graph) -> None:
    g = ontology_graph
    for cls in g.transitive_subjects(RDFS.subClassOf, OSEC.Organization):
        up = supers(g, cls)
        assert ORG.Organization in up and SCHEMA.Organization in up, cls
    for name in (
        "Committee",
        "Subcommittee",
        "InterAgencyBody",
        "GovernmentAgency",
        "NonGovernmentalOrganization",
    ):
        up = supers(g, OSEC[name])
        assert ORG.Organization in up and SCHEMA.Organization in up, name
    assert SCHEMA.GovernmentOrganization in supers(g, OSEC.Committee)
    assert ORG.OrganizationalUnit in supers(g, OSEC.Subcommittee)
    assert ORG.OrganizationalCollaboration in supers(g, OSEC.InterAgencyBody)


def test_other_hierarchies(ontology_graph: rdflib.Graph) -> None:
    g = ontology_graph
    expect = {
        "Person": [FOAF.Person, SCHEMA.Person, PROV.Agent],
        "Bill": [ELI.LegalResource, SCHEMA.Legislation, ELIDL.DraftLegislationWork],
        "PublicLaw": [ELI.LegalResource, SCHEMA.Legislation],
        "RepublicAct": [ELI.LegalResource, SCHEMA.Legislation],
        "CodeSection": [ELI.LegalResource, SCHEMA.Legislation],
        "VoteEvent": [PROV.Activity, SCHEMA.Event, ELIDL.LegislativeActivity],
        "ReportEdition": [SCHEMA.Report, FABIO.ReportDocument],
        "Claim": [SCHEMA.Claim, PROV.Entity],
        "SourceDocument": [PROV.Entity, FOAF.Document, SCHEMA.CreativeWork],
        "Country": [SCHEMA.Country, DCTERMS.Jurisdiction, SCHEMA.Place],
        "LegislativeTerm": [TIME.ProperInterval, TIME.TemporalEntity],
        "Membership": [ORG.Membership],
        "Statistic": [SCHEMA.Observation],
    }
    for name, wanted in expect.items():
        up = supers(g, OSEC[name])
        for w in wanted:
            assert w in up, (name, w)
    assert SCHEMA.sponsor in supers(g, OSEC.cosponsor, RDFS.subPropertyOf)
    assert PROV.wasDerivedFrom in supers(g, OSEC.source, RDFS.subPropertyOf)


def test_skos_schemes(ontology_graph: rdflib.Graph) -> None:
    g = ontology_graph
    schemes = set(g.subjects(RDF.type, SKOS.ConceptScheme))
    for name in (
        "TierScheme",
        "ActionTypeScheme",
        "ConfidenceScheme",
        "CrimeTypeScheme",
        "OrganizationTypeScheme",
    ):
        assert OSEC[name] in schemes
    for concept in g.subjects(RDF.type, SKOS.Concept):
        assert g.value(concept, SKOS.inScheme) in schemes, concept
        assert g.value(concept, SKOS.prefLabel), concept
    assert (OSEC.OSEC, SKOS.exactMatch, OSEC.OSAEC) in g
    assert {OSEC.CSEM, OSEC.CSAEM} <= set(g.objects(OSEC.CSAM, SKOS.exactMatch))
    tiers = {c for c in g.subjects(SKOS.inScheme, OSEC.TierScheme)}
    assert tiers == {OSEC.Tier1, OSEC.Tier2, OSEC.Tier2WatchList, OSEC.Tier3, OSEC.SpecialCase}


def test_inference_finds_every_organization(
    data_graph: rdflib.Graph, ontology_graph: rdflib.Graph
) -> None:
    closed = data_graph + materialize(data_graph, ontology_graph)
    as_org = set(closed.subjects(RDF.type, ORG.Organization))
    as_schema = set(closed.subjects(RDF.type, SCHEMA.Organization))
    assert as_org == as_schema
    ids = "https://w3id.org/osec-kg/id/organization/"
    for slug in (
        "ijm",
        "ncmec",
        "senate-judiciary-committee",
        "sjc-subcommittee-crime-counterterrorism",
        "picacc",
        "iacat",
        "pnp-wcpc",
        "us-department-of-state",
        "afp",
        "cnn",
        "rights-lab",
    ):
        assert rdflib.URIRef(ids + slug) in as_org, slug
    asserted = {
        s for s, o in data_graph.subject_objects(RDF.type) if o in OSEC and str(s).startswith(ids)
    }
    assert asserted <= as_org
    # legislation, people and events are found under the standard classes too
    assert rdflib.URIRef("https://w3id.org/osec-kg/id/bill/119-s-1829") in set(
        closed.subjects(RDF.type, SCHEMA.Legislation)
    )
    assert rdflib.URIRef("https://w3id.org/osec-kg/id/person/josh-hawley") in set(
        closed.subjects(RDF.type, FOAF.Person)
    )
    assert rdflib.URIRef(
        "https://w3id.org/osec-kg/id/vote/119-s-1829-ordered-reported-2025-06-12"
    ) in set(closed.subjects(RDF.type, PROV.Activity))


def test_every_class_has_a_shape(ontology_graph: rdflib.Graph) -> None:
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    targeted = set(shapes.objects(None, SH.targetClass))
    for cls in ontology_graph.subjects(RDF.type, OWL.Class):
        if cls in OSEC:
            assert cls in targeted, f"no shape targets {cls}"


def test_variant_spellings_never_become_labels(
    data_graph: rdflib.Graph, ontology_graph: rdflib.Graph
) -> None:
    closed = data_graph + materialize(data_graph, ontology_graph)
    ijm = rdflib.URIRef("https://w3id.org/osec-kg/id/organization/ijm")
    assert set(closed.objects(ijm, RDFS.label)) == {rdflib.Literal("International Justice Mission")}
