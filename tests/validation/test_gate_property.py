"""The gate's verdict and violations equal a full pySHACL validation of the post-change state."""

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyshacl import validate
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH, XSD

from kg.validation import ShaclGate

FIX = Path(__file__).parent / "fixtures"
EX = Namespace("http://example.org/")
D = XSD.date
BASE = Graph().parse(FIX / "data.ttl")
BASE_TRIPLES = sorted(BASE, key=str)
POOL = [
    (EX.b1, RDFS.label, Literal("second")),
    (EX.b1, RDFS.label, Literal(5)),
    (EX.b2, EX.code, Literal("X9")),
    (EX.b2, EX.introduced, Literal("2024-01-01", datatype=D)),
    (EX.b2, EX.enacted, Literal("2023-01-01", datatype=D)),
    (EX.b1, EX.enacted, Literal("2020-01-01", datatype=D)),
    (EX.b2, EX.sponsor, EX.r1),
    (EX.p2, EX.memberOf, EX.rep),
    (EX.b1, EX.sponsor, EX.p3),
    (EX.r3, EX.about, EX.b1),
    (EX.r3, RDF.type, EX.Report),
    (EX.r4, EX.about, EX.b1),
    (EX.r4, RDF.type, EX.Report),
    (EX.c1, EX.size, Literal(23)),
    (EX.t3, EX.year, Literal(2023)),
    (EX.t2, EX.country, EX.ph),
    (EX.t4, RDF.type, EX.Placement),
    (EX.t4, EX.country, EX.uk),
    (EX.t4, EX.year, Literal(2023)),
    (EX.b3, RDF.type, EX.Bill),
    (EX.p4, RDF.type, EX.Person),
    (EX.p4, EX.memberOf, EX.rep),
    (EX.b2, EX.sponsor, EX.p4),
]
CASES: Counter[str] = Counter()


def ox_term(t):
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if t.language:
        return ox.Literal(str(t), language=t.language)
    return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype or XSD.string)))


def quad(t, g="http://example.org/g1"):
    return ox.Quad(*(ox_term(x) for x in t), ox.NamedNode(g))


def keys(results: Graph) -> Counter:
    out: Counter = Counter()
    for r in results.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.detail, r) in results:  # pySHACL's nested explanations
            continue
        if results.value(r, SH.resultSeverity) != SH.Violation:
            continue
        path = results.value(r, SH.resultPath)
        comp = results.value(r, SH.sourceConstraintComponent)
        out[
            (
                results.value(r, SH.focusNode).n3(),
                None if isinstance(path, BNode) or path is None else path.n3(),
                comp.n3().split("#")[-1].rstrip(">"),
            )
        ] += 1
    return out


@pytest.fixture(scope="module", params=["sparql", "pyshacl"])
def gate(request, fixture_shapes):
    """Both engines: the shapes compiled to SPARQL (what the store uses), and pySHACL."""
    g = ShaclGate(fixture_shapes, engine=request.param)
    assert g.engine == request.param
    return g


def test_fixture_graph_conforms(fixture_shapes):
    conforms, _, text = validate(BASE, shacl_graph=fixture_shapes)
    assert conforms, text


@settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    adds=st.sets(st.sampled_from(POOL), max_size=4),
    removes=st.sets(st.sampled_from(BASE_TRIPLES), max_size=2),
    split=st.booleans(),
)
def test_gate_agrees_with_full_pyshacl(gate, fixture_shapes, adds, removes, split):
    store = ox.Store()
    # half the time the data is spread over two graphs, so union semantics matter
    store.extend(
        quad(t, "http://example.org/g2" if split and i % 2 else "http://example.org/g1")
        for i, t in enumerate(BASE_TRIPLES)
    )
    removed = [q for t in removes for q in store.quads_for_pattern(*(ox_term(x) for x in t), None)]
    added = [quad(t) for t in adds]
    report = gate.check(store, added, removed)

    post = Graph()
    for t in BASE_TRIPLES:
        post.add(t)
    for t in removes:
        post.remove(t)
    for t in adds:
        post.add(t)
    conforms, results, _ = validate(post, shacl_graph=Graph().parse(FIX / "shapes.ttl"))
    expected = keys(results)
    got = Counter((r.focus_node, r.path, r.component) for r in report.violations)
    assert report.conforms == (not expected)
    assert got == expected
    for (_, path, comp), _n in expected.items():
        CASES[f"{comp} {path or ''}".strip()] += 1
    CASES["conforming change"] += not expected


def test_every_constraint_kind_was_exercised():
    """Runs after the property test (file order): each kind failed in some generated case."""
    kinds = {k.split()[0] for k in CASES}
    print("\ncases per constraint:", dict(CASES))
    for comp in (
        "DatatypeConstraintComponent",
        "ClassConstraintComponent",
        "MinCountConstraintComponent",
        "MaxCountConstraintComponent",
        "PatternConstraintComponent",
        "LessThanConstraintComponent",
        "SPARQLConstraintComponent",
    ):
        assert comp in kinds, (comp, CASES)
