"""On our own shapes and generated data, the gate's verdict on a random change equals a full
validation of the post-change store (the compiled engine, which equals pySHACL's on the same
data: see test_compiled.py).

Changes mix: the differences between a clean graph and the same graph with injected defects
(both directions), quads of sources the store does not hold yet, removals of quads it holds,
and triples rewired at random between the store's subjects, predicates and objects (links to
the wrong kind of node, types moved, counts and dates on other entities).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.generate import generate
from kg.validation import ShaclGate, load_shapes

CASES: Counter[str] = Counter()  # violations per constraint component
SHAPES: Counter[str | None] = Counter()  # violations per node shape


def full_validation(gate: ShaclGate, before: list, added: list, removed: list):
    """A full validation of the post-change store, built from scratch."""
    gone = set(removed)
    post = ox.Store()
    post.extend(q for q in before if q not in gone)
    post.extend(added)
    return gate.validate_store(post, union=True)


def violations(report) -> Counter:
    return Counter((r.focus_node, r.path, r.value, r.component) for r in report.violations)


def _quads(path: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[ox.Quad]]:
    d = tmp_path_factory.mktemp("gen")
    generate(d / "clean.nq", 2500, seed=11)
    generate(d / "bad.nq", 2500, seed=11, defects=8)
    generate(d / "more.nq", 3200, seed=11)
    clean, bad, more = _quads(d / "clean.nq"), _quads(d / "bad.nq"), _quads(d / "more.nq")
    cs, bs = set(clean), set(bad)
    subjects = sorted({q.subject for q in clean}, key=str)
    preds = sorted({q.predicate for q in clean}, key=str)
    objects = sorted({q.object for q in clean if not isinstance(q.object, ox.Literal)}, key=str)
    literals = sorted({q.object for q in clean if isinstance(q.object, ox.Literal)}, key=str)
    # values moved between entities that carry the same property: the inputs of the SPARQL-based
    # constraints (tier years, vote and seat counts, date order)
    osec = "https://w3id.org/osec-kg/ontology#"
    moved = []
    for local in (
        "reportYear",
        "country",
        "memberCount",
        "yesCount",
        "majorityCount",
        "minorityCount",
        "eventDate",
        "startDate",
        "endDate",
        "actingBody",
    ):
        p = ox.NamedNode(osec + local)
        having = [q for q in clean if q.predicate == p]
        for a, b in zip(having, reversed(having), strict=True):
            moved.append(ox.Quad(a.subject, p, b.object, a.graph_name))
            if isinstance(a.object, ox.Literal):  # the same value as a plain string
                moved.append(ox.Quad(a.subject, p, ox.Literal(a.object.value + " "), a.graph_name))
    return {
        "clean": clean,
        "moved": moved,
        "defects_in": [q for q in bad if q not in cs],
        "defects_out": [q for q in clean if q not in bs],
        "new": [q for q in more if q not in cs][:400],
        "subjects": subjects,  # type: ignore[dict-item]
        "preds": preds,  # type: ignore[dict-item]
        "objects": objects + literals[:: max(1, len(literals) // 200)],  # type: ignore[dict-item]
    }


@pytest.fixture(scope="module")
def gate() -> ShaclGate:
    g = ShaclGate(load_shapes())
    assert g.engine == "sparql" and g.sites is not None
    return g


@pytest.fixture(scope="module")
def base(world: dict[str, list[ox.Quad]], gate: ShaclGate) -> ox.Store:
    store = ox.Store()
    store.extend(world["clean"])
    assert gate.validate_store(store, union=True).conforms
    return store


@settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_gate_equals_full_validation(world, gate, base, data):
    def pick(name: str, most: int) -> list:
        return data.draw(st.lists(st.sampled_from(world[name]), max_size=most, unique=True))

    new = world["new"]
    start = data.draw(st.integers(0, len(new) - 1))
    added = (
        pick("defects_in", 2)
        + pick("moved", 2)
        + new[start : start + data.draw(st.integers(0, 60))]
    )
    removed = pick("defects_out", 2) + pick("clean", 3)
    g = ox.NamedNode("https://w3id.org/osec-kg/id/source/test-change")
    for _ in range(data.draw(st.integers(0, 3))):
        added.append(
            ox.Quad(
                data.draw(st.sampled_from(world["subjects"])),
                data.draw(st.sampled_from(world["preds"])),
                data.draw(st.sampled_from(world["objects"])),
                g,
            )
        )
    held = set(world["clean"])
    added = [q for q in dict.fromkeys(added) if q not in held]
    removed = [q for q in dict.fromkeys(removed) if q in held and q not in added]

    report = gate.check(base, added, removed)

    full = full_validation(gate, world["clean"], added, removed)

    assert report.conforms == full.conforms
    assert violations(report) == violations(full)
    for k in violations(full):
        CASES[k[3]] += 1
    for r in full.violations:
        SHAPES[r.node_shape] += 1
    CASES["conforming change"] += full.conforms


@pytest.fixture(scope="module")
def bundled() -> dict[str, list]:
    """The bundled graph (every class of the ontology) and, as changes, the invalid examples
    of tests/graph/invalid (each breaks one rule; its entities renamed apart)."""
    from kg.bundle import bundled_sources
    from kg.loading import read_quads
    from kg.validation.terms import to_oxigraph
    from tests.graph.test_invalid import cases, load

    quads = [q for src in bundled_sources("https://w3id.org/osec-kg/") for q in read_quads(src)]
    files = []
    for path in cases():
        g = ox.NamedNode(f"urn:x-invalid:{path.stem}")
        files.append(
            [ox.Quad(*(to_oxigraph(t) for t in triple), g) for triple in load(path)]  # type: ignore[misc]
        )
    data = [q for q in quads if not isinstance(q.object, ox.BlankNode)]
    return {
        "quads": quads,
        "files": files,
        "subjects": sorted({q.subject for q in data}, key=str),
        "preds": sorted({q.predicate for q in data}, key=str),
        "objects": sorted({q.object for q in data}, key=str)[::7],
    }


def test_each_invalid_example_through_the_gate(bundled, gate):
    """Every invalid example, added alone to the bundled graph: the gate finds exactly what a
    full validation finds (this is what makes every shape fail at least once)."""
    store = ox.Store()
    store.extend(bundled["quads"])
    for added in bundled["files"]:
        report = gate.check(store, added, [])
        full = full_validation(gate, bundled["quads"], added, [])
        assert violations(report) == violations(full), added[0].graph_name
        for r in full.violations:
            SHAPES[r.node_shape] += 1


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_gate_equals_full_validation_on_the_bundled_graph(bundled, gate, data):
    store = ox.Store()
    store.extend(bundled["quads"])
    held = set(bundled["quads"])
    added = [
        q for f in data.draw(st.lists(st.sampled_from(bundled["files"]), max_size=3)) for q in f
    ]
    g = ox.NamedNode("urn:x-change")
    for _ in range(data.draw(st.integers(0, 2))):
        added.append(
            ox.Quad(
                data.draw(st.sampled_from(bundled["subjects"])),
                data.draw(st.sampled_from(bundled["preds"])),
                data.draw(st.sampled_from(bundled["objects"])),
                g,
            )
        )
    added = [q for q in dict.fromkeys(added) if q not in held]
    removed = data.draw(st.lists(st.sampled_from(bundled["quads"]), max_size=3, unique=True))
    report = gate.check(store, added, removed)
    full = full_validation(gate, bundled["quads"], added, removed)

    assert report.conforms == full.conforms
    assert violations(report) == violations(full)
    for r in full.violations:
        SHAPES[r.node_shape] += 1
        CASES[r.component] += 1


def test_changes_broke_every_shape_and_many_kinds_of_constraint(gate):
    print("\nviolations per constraint:", dict(CASES))
    print("violations per shape:", {str(k).rsplit("#", 1)[-1]: v for k, v in SHAPES.items()})
    shapes = {s.n3() for s, _ in gate.compiled.queries}
    # a Warning-only shape cannot block: it has no Violation to find
    warning_only = {
        s.n3()
        for s, branches in gate.compiled.queries
        if all(
            m.severity != "Violation"
            for b in branches
            for m in ([b.sparql] if b.sparql else list(b.flags.values()))
        )
    }
    missed = shapes - warning_only - set(SHAPES)
    assert not missed, sorted(missed)
    for comp in (
        "SPARQLConstraintComponent",
        "ClassConstraintComponent",
        "NodeConstraintComponent",
        "MinCountConstraintComponent",
        "MaxCountConstraintComponent",
        "DatatypeConstraintComponent",
    ):
        assert CASES[comp] > 0, (comp, CASES)
    assert CASES["conforming change"] > 0


def test_a_large_change_is_checked_whole(tmp_path, world, gate, base):
    """Past WHOLE_ABOVE triples and 1/WHOLE_RATIO of the store, the gate validates the whole
    post-change graph; its verdict is the same."""
    from kg.validation import gate as gate_module

    generate(tmp_path / "big.nq", 6000, seed=11)
    held = set(world["clean"])
    added = [q for q in _quads(tmp_path / "big.nq") if q not in held] + world["defects_in"]
    assert len(added) > gate_module.WHOLE_ABOVE
    removed = world["defects_out"]
    report = gate.check(base, added, removed)
    assert report.mode == "full"
    full = full_validation(gate, world["clean"], added, removed)
    assert not full.conforms
    assert sorted(r.key for r in report.violations) == sorted(r.key for r in full.violations)
