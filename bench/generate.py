"""A deterministic generator of osec-kg graphs of any size, in our vocabulary.

Every synthetic source is a named graph holding its ``osec:SourceDocument`` and what it states:
an NGO (with a parent organization, so hierarchies are deep), a person and their membership, a
bill with its introduction, a tier placement, a statistic and a claim. Countries live in a
graph of their own. The output is valid under ``ontology/shapes.ttl``; ``defects=K`` injects K
known violations and lists them (focus node and what is wrong) in a sidecar ``.defects.json``.

Same seed, same size, same bytes::

    python -m bench.generate --triples 10k --out /tmp/g10k.nq [--format trig] [--defects 5]
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path

BASE = "https://w3id.org/osec-kg/"
ID = BASE + "id/"
OSEC = BASE + "ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
DCT = "http://purl.org/dc/terms/"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"

#: triples per synthetic source (a block), without the tier placement's share of countries
BLOCK_TRIPLES = 56
#: tier placements per country: one per report year, so (country, year) stays unique
YEARS_PER_COUNTRY = 25

WORDS = [
    "justice",
    "mission",
    "child",
    "protection",
    "safety",
    "online",
    "exploitation",
    "trafficking",
    "freedom",
    "hope",
    "alliance",
    "coalition",
    "network",
    "watch",
    "shield",
    "rescue",
    "voice",
    "bridge",
    "light",
    "harbor",
    "care",
    "rights",
    "future",
    "youth",
    "family",
    "community",
    "action",
    "response",
    "guardian",
]
PARTIES = ("Democratic", "Republican", "Independent", "Liberal", "Nacionalista", "Green")
TIERS = ("Tier1", "Tier2", "Tier2WatchList", "Tier3")
MEASURES = ("reports received", "victims identified", "cases filed", "convictions", "referrals")
DEFECT_KINDS = ("bill-identifier", "duplicate-tier", "membership-without-org", "statistic-no-value")


def parse_size(text: str) -> int:
    """``10k`` → 10000, ``1M`` → 1000000, ``2500`` → 2500."""
    text = text.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000, "g": 1_000_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if mult > 1 else text) * mult)


def _iri(kind: str, slug: str | int) -> str:
    return f"<{ID}{kind}/{slug}>"


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _typed(value: str | int, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def _o(term: str) -> str:
    return f"<{OSEC}{term}>"


def _date(rng: random.Random, first: int = 1990, last: int = 2025) -> str:
    return f"{rng.randint(first, last)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _name(rng: random.Random, n: int = 3) -> str:
    return " ".join(rng.choice(WORDS).capitalize() for _ in range(n))


Triple = tuple[str, str, str]


def _countries(n: int) -> Iterator[Triple]:
    for c in range(n):
        s = _iri("country", f"c{c}")
        code = chr(65 + c % 26) + chr(65 + (c // 26) % 26)
        yield s, f"<{RDF_TYPE}>", _o("Country")
        yield s, f"<{RDFS_LABEL}>", _lit(f"Country {c}")
        yield s, _o("isoCountryCode"), _lit(code)


def _block(b: int, rng: random.Random, defect: str | None) -> Iterator[Triple]:
    """One synthetic source and what it states (``BLOCK_TRIPLES`` triples, give or take)."""
    t = f"<{RDF_TYPE}>"
    label = f"<{RDFS_LABEL}>"
    src, org, person = (
        _iri("source", f"gen-{b}"),
        _iri("organization", f"org-{b}"),
        _iri("person", f"p-{b}"),
    )
    mship, bill, intro = (
        _iri("membership", f"m-{b}"),
        _iri("bill", f"b-{b}"),
        _iri("event", f"intro-{b}"),
    )
    tier, stat, claim = (
        _iri("tier-placement", f"t-{b}"),
        _iri("statistic", f"s-{b}"),
        _iri("claim", f"c-{b}"),
    )
    country = _iri("country", f"c{b // YEARS_PER_COUNTRY}")
    year = 2000 + b % YEARS_PER_COUNTRY
    org_name = _name(rng) + f" {b}"
    issued = _date(rng, 2000, 2025)
    # the source
    yield src, t, _o("SourceDocument")
    yield src, label, _lit(f"Report on {org_name}")
    yield src, f"<{DCT}title>", _lit(f"Report on {org_name}")
    yield src, _o("publisherName"), _lit(_name(rng, 2) + " News")
    yield src, f"<{DCT}issued>", _typed(issued, "date")
    yield src, f"<{SCHEMA}url>", f"<https://example.org/news/{b}>"
    # the organization: a tree of depth log10(n) through org:subOrganizationOf
    yield org, t, _o("NonGovernmentalOrganization")
    yield org, label, _lit(org_name)
    yield org, f"<{SKOS_ALT}>", _lit(org_name.upper())
    yield org, _o("jurisdiction"), country
    if rng.random() < 0.7:  # some organizations have no founding date (for OPTIONAL)
        yield org, _o("foundingDate"), _typed(_date(rng, 1950, 2020), "date")
    if b > 0:
        yield org, f"<{ORG}subOrganizationOf>", _iri("organization", f"org-{b // 10}")
    yield org, _o("memberCount"), _typed(rng.randint(3, 5000), "integer")
    yield org, f"<{ORG}classification>", _o("OrgTypeNGO")
    # a person and their membership
    yield person, t, _o("Person")
    yield person, label, _lit(f"{_name(rng, 1)} {_name(rng, 1)} {b}")
    yield person, _o("party"), _lit(rng.choice(PARTIES))
    yield mship, t, _o("Membership")
    yield mship, label, _lit(f"Membership {b}")
    yield mship, f"<{ORG}member>", person
    if defect != "membership-without-org":
        yield mship, f"<{ORG}organization>", org
    yield mship, f"<{ORG}role>", _o(rng.choice(("RoleMember", "RoleChair", "RolePartner")))
    yield mship, _o("startDate"), _typed(_date(rng, 1990, 2024), "date")
    # a bill and its introduction
    number = b + 1
    yield bill, t, _o("Bill")
    yield bill, label, _lit(f"{_name(rng, 2)} Act of {year}")
    ident = f"X.{number}" if defect == "bill-identifier" else f"S.{number}"
    yield bill, f"<{SCHEMA}legislationIdentifier>", _lit(ident)
    yield bill, f"<{SCHEMA}legislationJurisdiction>", country
    yield bill, _o("congressNumber"), _typed(100 + b % 20, "integer")
    yield bill, _o("billNumber"), _typed(number, "integer")
    yield bill, _o("billType"), _o("SenateBill")
    yield bill, _o("sponsor"), person
    yield intro, t, _o("Introduction")
    yield intro, label, _lit(f"Introduction of S.{number}")
    yield intro, _o("onBill"), bill
    yield intro, _o("eventDate"), _typed(_date(rng, 1995, 2025), "date")
    yield intro, _o("actionType"), _o("ActionIntroduced")
    # a tier placement: one per (country, year)
    yield tier, t, _o("TierPlacement")
    yield tier, label, _lit(f"Country {b // YEARS_PER_COUNTRY}, TIP Report {year}")
    yield tier, _o("country"), country
    yield tier, _o("tier"), _o(rng.choice(TIERS))
    yield tier, _o("reportYear"), _typed(year, "gYear")
    if defect == "duplicate-tier":
        dup = _iri("tier-placement", f"t-{b}-dup")
        yield dup, t, _o("TierPlacement")
        yield dup, label, _lit("duplicate placement")
        yield dup, _o("country"), country
        yield dup, _o("tier"), _o("Tier3")
        yield dup, _o("reportYear"), _typed(year, "gYear")
    # a statistic and a claim that cites the source
    yield stat, t, _o("Statistic")
    yield stat, label, _lit(f"{rng.choice(MEASURES)} by {org_name}")
    if defect != "statistic-no-value":
        yield stat, _o("value"), _typed(rng.randint(1, 10_000_000), "integer")
    yield stat, _o("measure"), _lit(rng.choice(MEASURES))
    yield stat, _o("comparator"), _o(rng.choice(("Exactly", "MoreThan", "Approximately")))
    yield stat, _o("statisticAbout"), org
    yield stat, _o("unit"), _lit("count")
    yield stat, _o("reportedBy"), org
    yield claim, t, _o("Claim")
    yield claim, label, _lit(f"Claim {b}")
    yield claim, _o("source"), src
    yield claim, _o("confidence"), _o(rng.choice(("Verified", "Likely", "Unverified")))
    yield claim, _o("claimText"), _lit(f"{org_name} reported {rng.choice(MEASURES)} in {year}.")
    yield claim, _o("claimant"), person
    yield claim, _o("statistic"), stat


def blocks_for(triples: int) -> int:
    return max(1, triples // BLOCK_TRIPLES)


def generate(
    out: Path, triples: int, *, seed: int = 42, defects: int = 0, fmt: str = "nquads"
) -> dict[str, object]:
    """Write about ``triples`` triples to ``out``; returns a summary (and writes the defect list).

    >>> import tempfile; p = Path(tempfile.mkdtemp()) / "g.nq"
    >>> generate(p, 2000)["triples"] > 1500
    True
    """
    n_blocks = blocks_for(triples)
    n_countries = n_blocks // YEARS_PER_COUNTRY + 1
    pick = random.Random(seed + 1)
    kinds = {
        b: DEFECT_KINDS[i % len(DEFECT_KINDS)]
        for i, b in enumerate(pick.sample(range(n_blocks), min(defects, n_blocks)))
    }
    count = 0
    with out.open("w", encoding="utf-8", buffering=1 << 20) as fh:

        def graph(g: str, items: Iterator[Triple]) -> None:
            nonlocal count
            if fmt == "trig":
                fh.write(f"{g} {{\n")
                for s, p, o in items:
                    fh.write(f"  {s} {p} {o} .\n")
                    count += 1
                fh.write("}\n")
            else:
                for s, p, o in items:
                    fh.write(f"{s} {p} {o} {g} .\n")
                    count += 1

        graph(_iri("source", "gen-countries"), _countries(n_countries))
        for b in range(n_blocks):
            rng = random.Random(seed * 1_000_003 + b)  # each block on its own: same graph prefix
            graph(_iri("source", f"gen-{b}"), _block(b, rng, kinds.get(b)))
    summary: dict[str, object] = {
        "triples": count,
        "sources": n_blocks,
        "countries": n_countries,
        "seed": seed,
        "format": fmt,
        "defects": [
            {"block": b, "kind": k, "focus": _defect_focus(b, k)} for b, k in sorted(kinds.items())
        ],
    }
    if defects:
        out.with_suffix(".defects.json").write_text(json.dumps(summary["defects"], indent=2))
    return summary


def _defect_focus(b: int, kind: str) -> str:
    return {
        "bill-identifier": f"{ID}bill/b-{b}",
        "duplicate-tier": f"{ID}tier-placement/t-{b}",
        "membership-without-org": f"{ID}membership/m-{b}",
        "statistic-no-value": f"{ID}statistic/s-{b}",
    }[kind]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="bench.generate", description=__doc__.splitlines()[0])
    ap.add_argument("--triples", default="10k", help="about how many: 10k, 100k, 1M, 10M")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--defects", type=int, default=0, help="known violations to inject")
    ap.add_argument("--format", choices=("nquads", "trig"), default="nquads")
    args = ap.parse_args(argv)
    summary = generate(
        args.out, parse_size(args.triples), seed=args.seed, defects=args.defects, fmt=args.format
    )
    print(json.dumps({k: v for k, v in summary.items() if k != "defects"}))


if __name__ == "__main__":
    main()
