"""The example queries in queries/: headers, syntax, and their answers on the bundled data."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.sparql import prepareQuery

from .conftest import BASE, ONTOLOGY, QUERIES, load_store, materialize, union_graph

ID = BASE + "id/"
HEADER = re.compile(r"^# (title|description|parameters): (.+)$")


def query_files() -> list[Path]:
    return sorted(QUERIES.glob("*.rq"))


def header(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        m = HEADER.match(line)
        assert m, f"{path.name}: header line not understood: {line}"
        out[m.group(1)] = m.group(2)
    return out


@pytest.fixture(scope="module", params=["asserted", "materialized"])
def store(request: pytest.FixtureRequest) -> ox.Store:
    """The bundled data with the ontology graph, as loaded; and with the entailments added."""
    store = load_store(with_ontology=True)
    if request.param == "materialized":
        ontology = rdflib.Graph().parse(ONTOLOGY, format="turtle")
        inferred = materialize(union_graph(), ontology)
        graph = ox.NamedNode(BASE + "graph/inferred")
        store.load(
            input=inferred.serialize(format="nt", encoding="utf-8"),
            format=ox.RdfFormat.N_TRIPLES,
            to_graph=graph,
        )
    return store


def run(store: ox.Store, name: str, **bindings: str) -> list[dict[str, str | None]]:
    path = QUERIES / name
    subs = {ox.Variable(k): ox.NamedNode(v) for k, v in bindings.items()}
    res = store.query(
        path.read_text(encoding="utf-8"), use_default_graph_as_union=True, substitutions=subs
    )
    names = [v.value for v in res.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in res]


def test_there_are_eight_example_queries() -> None:
    assert len(query_files()) >= 8


@pytest.mark.parametrize("path", query_files(), ids=lambda p: p.name)
def test_header_and_syntax(path: Path) -> None:
    meta = header(path)
    assert meta.get("title") and meta.get("description"), path.name
    text = path.read_text(encoding="utf-8")
    if "parameters" in meta:
        for var in re.findall(r"\?(\w+)", meta["parameters"]):
            assert f"?{var}" in text.split("\n", len(meta))[-1], (path.name, var)
    prepareQuery(text)  # standard SPARQL 1.1 syntax (rdflib's parser)
    ox.Store().query(text)  # and Oxigraph's


def test_q1_stop_csam_bills(store: ox.Store) -> None:
    rows = run(store, "01-stop-csam-act-bills.rq")
    got = [
        (
            r["identifier"],
            r["congress"],
            r["chamber"],
            r["number"],
            sorted(r["sponsors"].split("; ")),
        )
        for r in rows
    ]
    assert got == [
        ("H.R.7949", "118", "United States House of Representatives", "7949", ["Sylvia R. Garcia"]),
        ("S.1199", "118", "United States Senate", "1199", ["Richard J. Durbin"]),
        ("H.R.3921", "119", "United States House of Representatives", "3921", ["Barry Moore"]),
        ("S.1829", "119", "United States Senate", "1829", ["Josh Hawley", "Richard J. Durbin"]),
    ]


def test_q2_committee_actions_on_s1829(store: ox.Store) -> None:
    rows = run(store, "02-committee-actions.rq", bill=ID + "bill/119-s-1829")
    got = [
        (r["date"], r["actionType"], r["yes"], r["no"], r["method"], r["calendarNumber"])
        for r in rows
    ]
    assert got == [
        ("2025-06-12", "committee vote", None, None, "voice vote", None),
        ("2025-06-12", "committee vote", "22", "0", "roll call", None),
        ("2025-06-12", "markup", None, None, None, None),
        ("2025-06-26", "reported by committee", None, None, None, "106"),
    ]
    assert {r["body"] for r in rows} == {"Senate Committee on the Judiciary"}
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)


def test_q2_unbound_lists_other_bills_too(store: ox.Store) -> None:
    bills = {r["bill"] for r in run(store, "02-committee-actions.rq")}
    assert {ID + "bill/119-s-1829", ID + "bill/118-s-474", ID + "bill/118-hr-5082"} <= bills


def test_q3_statutes_extending_cybertipline_duty(store: ox.Store) -> None:
    rows = run(store, "03-statutes-extending-cybertipline-duty.rq")
    assert {r["identifier"] for r in rows} == {"Pub. L. 118-59"}
    assert {r["enacted"] for r in rows} == {"2024-05-07"}
    assert sorted(r["change"] for r in rows) == [
        "REPORT Act: higher fines",
        "REPORT Act: longer preservation",
        "REPORT Act: minors reporting their own images",
        "REPORT Act: more offences to report",
        "REPORT Act: vendors of NCMEC",
    ]
    text = " ".join(r["description"] for r in rows)
    assert "18 U.S.C. 1591" in text and "2422(b)" in text and "90 days to one year" in text


def test_q4_philippines_tiers(store: ox.Store) -> None:
    rows = run(store, "04-philippines-tip-tiers.rq")
    tiers = {int(r["year"]): r["tier"].rsplit("#", 1)[1] for r in rows}
    expected = {
        2004: "Tier2WatchList",
        2005: "Tier2WatchList",
        2009: "Tier2WatchList",
        2010: "Tier2WatchList",
    }
    expected |= {y: "Tier2" for y in (2006, 2007, 2008, *range(2011, 2016))}
    expected |= {y: "Tier1" for y in range(2016, 2026)}
    assert tiers == expected
    assert len(rows) == len(expected), "one tier per year"
    assert {r["firstTier1Year"] for r in rows} == {"2016"}


def test_q5_report_act(store: ox.Store) -> None:
    rows = run(store, "05-report-act-sponsor-and-days-to-law.rq")
    assert [(r["sponsorName"], r["introduced"], r["enacted"], r["days"]) for r in rows] == [
        ("Marsha Blackburn", "2023-02-16", "2024-05-07", "446")
    ]
    assert rows[0]["law"] == ID + "law/us-pl-118-59"


def test_q6_s1829_sponsors_on_judiciary(store: ox.Store) -> None:
    rows = run(store, "06-s1829-sponsors-on-judiciary.rq")
    got = {r["name"]: r["relation"] for r in rows}
    assert got == {
        "Amy Klobuchar": "cosponsor",
        "Chuck Grassley": "cosponsor",
        "Josh Hawley": "sponsor",
        "Richard J. Durbin": "sponsor",
    }
    seats = {r["name"]: r["seats"] for r in rows}
    assert "chair, Senate Committee on the Judiciary" in seats["Chuck Grassley"]
    assert (
        "chair, Senate Judiciary Subcommittee on Crime and Counterterrorism" in seats["Josh Hawley"]
    )
    assert "Mark Kelly" not in got  # a cosponsor, but not on the committee


def test_q7_picacc_partners(store: ox.Store) -> None:
    rows = run(store, "07-picacc-partners.rq")
    got = {r["name"]: (r["role"], r["joined"]) for r in rows}
    founding = ("founding partner", "2019-02-27")
    assert got == {
        "Australian Federal Police": founding,
        "International Justice Mission": founding,
        "NBI Anti-Human Trafficking Division": founding,
        "National Crime Agency (UK)": founding,
        "PNP Women and Children Protection Center": founding,
        "National Police of the Netherlands": ("partner", "2021"),
    }
    assert len(rows) == 6


def test_q8_scale_of_harm(store: ox.Store) -> None:
    rows = run(store, "08-scale-of-harm.rq")
    assert len(rows) == 1
    r = rows[0]
    assert (r["value"], r["comparator"], r["yearMeasured"], r["published"]) == (
        "500000",
        "nearly",
        "2022",
        "2023-09-07",
    )
    assert "child sexual exploitation material" in r["measure"]
    assert sorted(r["authors"].split("; ")) == [
        "International Justice Mission",
        "University of Nottingham Rights Lab",
    ]
