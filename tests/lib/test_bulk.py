"""A bulk load (``kg load --no-validate``) commits what the transactional path commits for the
same files: the same source quads, the same merged default graph, the same entailments."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import errors
from kg.loading import Source, read_quads
from kg.store import EmbeddedStore

INFERRED = "https://w3id.org/osec-kg/graph/inferred"
KEY = ox.NamedNode("http://example.org/key")

ONTOLOGY = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ex: <http://example.org/> .
ex:NGO rdfs:subClassOf ex:Organization .
ex:Organization rdfs:subClassOf ex:Agent .
ex:Charity owl:equivalentClass ex:NGO .
ex:parent rdfs:subPropertyOf ex:related .
"""

TRIG = """
@prefix ex: <http://example.org/> .
ex:a ex:p "outside any graph" .
ex:ijm a ex:NGO .
GRAPH ex:g1 {
  ex:ijm a ex:NGO ; ex:parent ex:ijm-global ; ex:label "IJM" .
  ex:ijm ex:address [ ex:key "addr-1" ; ex:city "Manila" ] .
  _:s ex:key "shared-1" ; ex:parent ex:ijm .
}
GRAPH ex:g2 {
  ex:ijm ex:label "IJM" .
  ex:thorn a ex:Charity .
}
"""

NQUADS = """<http://example.org/ijm> <http://example.org/label> "IJM" <http://example.org/g3> .
_:x <http://example.org/key> "nq-1" <http://example.org/g3> .
_:x <http://example.org/parent> <http://example.org/thorn> <http://example.org/g3> .
<http://example.org/ncmec> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.org/Organization> <http://example.org/g4> .
"""

NTRIPLES = """<http://example.org/ecpat> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.org/NGO> .
_:y <http://example.org/key> "nt-1" .
<http://example.org/ecpat> <http://example.org/label> "IJM" .
"""


def sources(tmp_path: Path) -> dict[str, Source]:
    files = {"ont.ttl": ONTOLOGY, "d.trig": TRIG, "d.nq": NQUADS, "d.nt": NTRIPLES}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return {
        "ont": Source.file(tmp_path / "ont.ttl", graph="http://example.org/ontology"),
        "trig": Source.file(tmp_path / "d.trig"),
        "nq": Source.file(tmp_path / "d.nq"),
        "nt": Source.file(tmp_path / "d.nt", graph="http://example.org/g5"),
    }


def open_store(path: Path) -> EmbeddedStore:
    return EmbeddedStore(f"oxigraph://{path}", inferred_graph=INFERRED)


def canonical(quads: list[ox.Quad]) -> set[str]:
    """The quads as text, each blank node named by its ex:key (fresh labels differ per load)."""
    keys = {q.subject: q.object.value for q in quads if q.predicate == KEY}

    def term(t: object) -> str:
        if isinstance(t, ox.BlankNode):
            return f"_:{keys[t]}"
        return str(t)

    return {
        " ".join(term(t) for t in (q.subject, q.predicate, q.object, q.graph_name)) for q in quads
    }


def state(store: EmbeddedStore) -> dict[str, set[str]]:
    everything = list(store.primary)
    keys = [q for q in everything if q.predicate == KEY]
    dumped = list(ox.parse(b"".join(store.dump()), format=ox.RdfFormat.N_QUADS))
    return {
        "dump": canonical(dumped),
        "default": canonical(
            [q for q in everything if isinstance(q.graph_name, ox.DefaultGraph)] + keys
        ),
        "inferred": canonical(
            [q for q in everything if q.graph_name == ox.NamedNode(INFERRED)] + keys
        ),
        "graphs": set(store.graphs()),
    }


def load_both(tmp_path: Path, steps: list[list[str]]) -> tuple[EmbeddedStore, EmbeddedStore]:
    srcs = sources(tmp_path)
    bulk, tx = open_store(tmp_path / "bulk"), open_store(tmp_path / "tx")
    for step in steps:
        chosen = [srcs[name] for name in step]
        bulk_change = bulk.bulk_load(chosen)
        tx_change = tx.add([q for src in chosen for q in read_quads(src)])
        assert bulk_change.added == tx_change.added
    return bulk, tx


@pytest.mark.parametrize(
    "steps",
    [
        [["ont", "trig", "nq", "nt"]],  # the hierarchy arrives with the data
        [["ont"], ["trig", "nq"], ["nt"]],  # data on a store that has the hierarchy
        [["trig", "nq"], ["ont"], ["nt"]],  # the hierarchy after the data it applies to
        [["trig", "nq", "nt"]],  # no hierarchy at all
    ],
    ids=["together", "ontology-first", "ontology-later", "no-ontology"],
)
def test_bulk_load_commits_what_the_transactional_path_commits(tmp_path, steps):
    bulk, tx = load_both(tmp_path, steps)
    try:
        a, b = state(bulk), state(tx)
        assert a["dump"] == b["dump"]
        assert a["default"] == b["default"]
        assert a["inferred"] == b["inferred"]
        assert a["graphs"] == b["graphs"]
        assert bulk.stats().triples == tx.stats().triples
        assert len(bulk.primary) == len(tx.primary)
    finally:
        bulk.close()
        tx.close()


def test_the_default_graph_is_the_merge_of_the_named_graphs(tmp_path):
    bulk, tx = load_both(tmp_path, [["ont", "trig", "nq", "nt"]])
    try:
        quads = list(bulk.primary)
        named = {q.triple for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
        default = {q.triple for q in quads if isinstance(q.graph_name, ox.DefaultGraph)}
        assert default == named
        label = ox.Triple(
            ox.NamedNode("http://example.org/ijm"),
            ox.NamedNode("http://example.org/label"),
            ox.Literal("IJM"),
        )
        assert sum(1 for q in quads if q.triple == label) == 4  # g1, g2, g3 and the merge
        agent = ox.Triple(
            ox.NamedNode("http://example.org/thorn"),
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode("http://example.org/Agent"),
        )
        assert ox.Quad(*agent, ox.NamedNode(INFERRED)) in bulk.primary
        assert ox.Quad(*agent, ox.DefaultGraph()) in bulk.primary
    finally:
        bulk.close()
        tx.close()


def test_blank_nodes_are_fresh_per_file(tmp_path):
    srcs = sources(tmp_path)
    store = open_store(tmp_path / "bulk")
    try:
        store.bulk_load([srcs["nq"]])
        store.bulk_load([srcs["nq"]])
        xs = {q.subject for q in store.primary if q.predicate == KEY}
        assert len(xs) == 2
    finally:
        store.close()


def test_the_store_s_own_graphs_cannot_be_bulk_loaded(tmp_path):
    store = open_store(tmp_path / "bulk")
    (tmp_path / "x.nq").write_text(
        f"<http://example.org/a> <http://example.org/p> \"1\" <{INFERRED}> .\n"
    )
    try:
        store.bulk_load([sources(tmp_path)["trig"]])
        before = set(store.primary)
        with pytest.raises(errors.UpdateRejected):
            store.bulk_load([Source.file(tmp_path / "x.nq")])
        assert set(store.primary) == before
        assert len([p for p in tmp_path.iterdir() if p.name.startswith("bulk") and p.is_dir()]) == 2
    finally:
        store.close()


def test_a_syntax_error_names_the_line_and_changes_nothing(tmp_path):
    store = open_store(tmp_path / "bulk")
    (tmp_path / "bad.nq").write_text(NQUADS + "<http://example.org/x> <http://example.org/p> .\n")
    try:
        store.bulk_load([sources(tmp_path)["trig"]])
        before = set(store.primary)
        with pytest.raises(errors.RdfSyntaxError) as info:
            store.bulk_load([Source.file(tmp_path / "bad.nq")])
        assert "bad.nq:5:" in str(info.value)
        assert set(store.primary) == before
    finally:
        store.close()
