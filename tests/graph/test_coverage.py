"""Every verified or likely fact of the fact base is in the graph, in the graph of its source.

The table in ``facts_table.py`` maps each fact ID to SPARQL patterns that pin the exact value;
each pattern is asked inside ``GRAPH <source>`` for every source the fact sits in.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from .conftest import BASE, REFERENCE, ask, parse_reference, select
from .facts_table import FACTS, SOURCE_SLUGS, UNVERIFIED, UNVERIFIED_PARTS


def test_the_fact_base_is_there() -> None:
    """The coverage tests below read it: a missing fact base must fail, not skip."""
    assert REFERENCE.exists(), REFERENCE

CONFIDENCE = {"verified": "osec:Verified", "likely": "osec:Likely"}


def graph(key: str) -> str:
    return f"<{BASE}id/source/{SOURCE_SLUGS[key]}>"


def accepted() -> dict[str, str]:
    return {f: c for f, c in parse_reference().items() if c in CONFIDENCE}


def test_reference_counts() -> None:
    ref = parse_reference()
    counts = {
        c: sum(1 for v in ref.values() if v == c) for c in ("verified", "likely", "unverified")
    }
    assert counts == {"verified": 178, "likely": 39, "unverified": 3}


def test_coverage_of_verified_and_likely_facts() -> None:
    facts = accepted()
    covered = sorted(set(facts) & set(FACTS))
    missing = sorted(set(facts) - set(FACTS))
    print(f"fact coverage: {len(covered)}/{len(facts)}")
    assert not missing, missing
    assert len(covered) >= 217
    assert not set(FACTS) - set(facts), "table entries for facts the reference does not accept"


@pytest.mark.parametrize("fid", sorted(FACTS))
def test_fact_sits_in_its_source_graphs(store: ox.Store, fid: str) -> None:
    for keys, pattern in FACTS[fid]:
        for key in keys.split():
            query = f"ASK {{ GRAPH {graph(key)} {{ {pattern} }} }}"
            assert ask(store, query, union=False), f"{fid} not in {SOURCE_SLUGS[key]}: {pattern}"


@pytest.mark.parametrize("fid", sorted(FACTS))
def test_fact_record_carries_the_reference_confidence(store: ox.Store, fid: str) -> None:
    conf = CONFIDENCE[accepted()[fid]]
    keys = {k for ks, _p in FACTS[fid] for k in ks.split()}
    graphs = select(
        store,
        f'SELECT ?g WHERE {{ GRAPH ?g {{ ?r a osec:FactRecord ; osec:factId "{fid}" ; '
        f"osec:confidence {conf} ; osec:source ?g }} }}",
        union=False,
    )
    found = {row["g"].rsplit("/", 1)[1] for row in graphs}
    assert found, f"no fact record with confidence {conf} for {fid}"
    assert found <= {SOURCE_SLUGS[k] for k in keys}, (fid, found)


def test_graph_reference_keys_match_the_register(store: ox.Store) -> None:
    rows = select(
        store,
        "SELECT ?g ?key WHERE { GRAPH ?g { ?g a osec:SourceDocument ; osec:referenceKey ?key } }",
        union=False,
    )
    seen = {row["key"]: row["g"].rsplit("/", 1)[1] for row in rows}
    assert seen == {k: v for k, v in SOURCE_SLUGS.items() if k.startswith("S")}


@pytest.mark.parametrize("fid", sorted(UNVERIFIED))
def test_unverified_fact_is_only_a_claim(store: ox.Store, fid: str) -> None:
    assert parse_reference()[fid] == "unverified"
    key, plain = UNVERIFIED[fid]
    claim = (
        f'ASK {{ GRAPH {graph(key)} {{ ?c a osec:Claim ; osec:factId "{fid}" ; '
        f"osec:confidence osec:Unverified ; osec:source {graph(key)} }} }}"
    )
    assert ask(store, claim, union=False), f"{fid} is not recorded as an unverified claim"
    assert not ask(store, f"ASK {{ {plain} }}"), f"{fid} is asserted as plain fact"
    assert not ask(store, f'ASK {{ ?r a osec:FactRecord ; osec:factId "{fid}" }}')


@pytest.mark.parametrize("name", sorted(UNVERIFIED_PARTS))
def test_unverified_part_is_not_plain_fact(store: ox.Store, name: str) -> None:
    assert not ask(store, f"ASK {{ {UNVERIFIED_PARTS[name]} }}"), name


def test_no_fact_record_is_unverified(store: ox.Store) -> None:
    assert not ask(store, "ASK { ?r a osec:FactRecord ; osec:confidence osec:Unverified }")
