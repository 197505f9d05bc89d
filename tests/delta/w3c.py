"""Reading the W3C SPARQL 1.1 Update evaluation tests (manifest, initial and expected state)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection

SUITE = Path("/work/shared/conformance/sparql-w3c-tests")
FOLDERS = (
    "add", "basic-update", "clear", "copy", "delete", "delete-data", "delete-insert",
    "delete-where", "drop", "move", "update-silent",
)
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")


@dataclass(frozen=True)
class UpdateTest:
    name: str  # folder/local name
    request: Path
    before: tuple[tuple[Path, str | None], ...]  # (file, graph name or None for default)
    after: tuple[tuple[Path, str | None], ...]


def _state(g: Graph, node: object) -> tuple[tuple[Path, str | None], ...]:
    files: list[tuple[Path, str | None]] = []
    for data in g.objects(node, UT.data):  # type: ignore[arg-type]
        files.append((Path(str(data).removeprefix("file://")), None))
    for gd in g.objects(node, UT.graphData):  # type: ignore[arg-type]
        graph = g.value(gd, UT.graph)
        label = g.value(gd, RDFS.label)
        files.append((Path(str(graph).removeprefix("file://")), str(label)))
    return tuple(files)


def load_tests() -> list[UpdateTest]:
    tests: list[UpdateTest] = []
    for folder in FOLDERS:
        manifest = SUITE / folder / "manifest.ttl"
        if not manifest.exists():
            continue
        g = Graph()
        g.parse(manifest, format="turtle", publicID=manifest.as_uri())
        for m in g.subjects(RDF.type, MF.Manifest):
            entries = g.value(m, MF.entries)
            for entry in Collection(g, entries) if entries is not None else []:
                if (entry, RDF.type, MF.UpdateEvaluationTest) not in g:
                    continue
                action = g.value(entry, MF.action)
                result = g.value(entry, MF.result)
                request = g.value(action, UT.request)
                assert isinstance(entry, URIRef) and request is not None
                tests.append(
                    UpdateTest(
                        f"{folder}/{entry.split('#')[-1]}",
                        Path(str(request).removeprefix("file://")),
                        _state(g, action),
                        _state(g, result),
                    )
                )
    return tests


def load_syntax_tests() -> list[tuple[str, Path, bool]]:
    """(name, request file, positive?) for the update syntax tests, incl. the negative ones
    kept in the evaluation folders."""
    out: list[tuple[str, Path, bool]] = []
    for folder in (*FOLDERS, "syntax-update-1", "syntax-update-2"):
        manifest = SUITE / folder / "manifest.ttl"
        g = Graph()
        g.parse(manifest, format="turtle", publicID=manifest.as_uri())
        for kind, positive in (
            (MF.PositiveUpdateSyntaxTest11, True),
            (MF.NegativeUpdateSyntaxTest11, False),
            (MF.NegativeSyntaxTest11, False),
        ):
            for entry in g.subjects(RDF.type, kind):
                action = g.value(entry, MF.action)
                if action is None or not str(action).endswith(".ru"):
                    continue
                path = Path(str(action).removeprefix("file://"))
                out.append((f"{folder}/{str(entry).split('#')[-1]}", path, positive))
    return sorted(out)


def load_state(files: tuple[tuple[Path, str | None], ...]) -> ox.Store:
    store = ox.Store()
    for path, graph in files:
        target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri(),
                   to_graph=target)
    return store


def copy_store(store: ox.Store) -> ox.Store:
    copy = ox.Store()
    copy.extend(store)
    for g in store.named_graphs():
        copy.add_graph(g)
    return copy


def canonical(store: ox.Store) -> ox.Dataset:
    ds = ox.Dataset(store)
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return ds
