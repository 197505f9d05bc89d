"""The query mix (``bench/queries/*.rq``) and the exact texts each engine receives.

A query's header names its parameters (``# bind: ?var kind``). Each request binds them with a
``VALUES`` block at the start of the WHERE clause, so the text varies per request while the
query stays one file, and every engine gets the same bytes. At the start of the group, not
after it: rdflib joins a leading VALUES into the patterns that follow (a bind join), but
evaluates a trailing VALUES clause after the whole WHERE, a full scan per point lookup.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from bench.generate import ID, YEARS_PER_COUNTRY, blocks_for

QUERIES = Path(__file__).resolve().parent / "queries"
_HEADER = re.compile(r"^#\s*(\w+):\s*(.*)$")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_SAFE_IRI = re.compile(r"^https://[A-Za-z0-9./_-]+$")


@dataclass(frozen=True)
class Query:
    name: str
    title: str
    kind: str
    form: str  # SELECT, CONSTRUCT or DESCRIBE
    text: str
    binds: tuple[tuple[str, str], ...]  # (variable, entity kind)


def load_queries(folder: Path = QUERIES) -> list[Query]:
    out = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header: dict[str, list[str]] = {}
        for line in text.splitlines():
            m = _HEADER.match(line)
            if m:
                header.setdefault(m.group(1), []).append(m.group(2).strip())
        binds = tuple(tuple(b.split()[:2]) for b in header.get("bind", ()))
        body = "\n".join(ln for ln in text.splitlines() if not ln.startswith("#"))
        form = next(
            f for f in ("CONSTRUCT", "DESCRIBE", "SELECT", "ASK") if re.search(rf"\b{f}\b", body)
        )
        out.append(
            Query(path.stem, header["title"][0], header["kind"][0], form, text, binds)  # type: ignore[arg-type]
        )
    return out


def entity_pool(kind: str, triples: int) -> list[str]:
    """Every IRI of ``kind`` that the generator writes for a graph of ``triples``."""
    n = blocks_for(triples)
    if kind == "organization":
        return [f"{ID}organization/org-{i}" for i in range(n)]
    if kind == "bill":
        return [f"{ID}bill/b-{i}" for i in range(n)]
    if kind == "person":
        return [f"{ID}person/p-{i}" for i in range(n)]
    if kind == "country":
        return [f"{ID}country/c{i}" for i in range(n // YEARS_PER_COUNTRY + 1)]
    raise ValueError(f"unknown parameter kind {kind!r}")


def bind(query: Query, values: dict[str, str]) -> str:
    """The query text with its parameters bound by VALUES at the start of its WHERE clause."""
    if not query.binds:
        return query.text
    names = " ".join(var for var, _ in query.binds)
    row = " ".join(f"<{_iri(values[var])}>" for var, _ in query.binds)
    m = _WHERE.search(query.text)
    if m is None:
        raise ValueError(f"{query.name}: a query with parameters needs a WHERE {{ … }} clause")
    return f"{query.text[: m.end()]} VALUES ({names}) {{ ({row}) }}{query.text[m.end() :]}"


def _iri(value: str) -> str:
    if not _SAFE_IRI.match(value):
        raise ValueError(f"not an IRI this benchmark generates: {value!r}")
    return value


def unique(texts: list[str], count: int) -> list[str]:
    """``count`` texts cycling through ``texts``, each ending in a comment line of its own, so
    that no two requests of a series send the same text and no result cache answers any."""
    return [f"{texts[i % len(texts)]}\n# request {i}" for i in range(count)]


def texts(query: Query, triples: int, count: int, seed: int) -> list[str]:
    """``count`` request texts for ``query`` (one text if it has no parameters)."""
    if not query.binds:
        return [query.text]
    rng = random.Random(f"{seed}-{query.name}")
    pools = {var: entity_pool(kind, triples) for var, kind in query.binds}
    return [bind(query, {v: rng.choice(p) for v, p in pools.items()}) for _ in range(count)]
