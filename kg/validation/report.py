"""Validation reports people can act on: typed results, plain-language messages, and the
``sh:ValidationReport`` graph (Turtle, JSON-LD, N-Triples), JSON and a rich table."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH, SKOS
from rdflib.term import Node

SCHEMA = Namespace("https://schema.org/")
LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel, SCHEMA.name)


@dataclass(frozen=True)
class ValidationResult:
    """One ``sh:ValidationResult``, with a sentence that names the entity and the fix."""

    focus_node: str
    severity: str  # Violation, Warning or Info
    component: str  # local name, e.g. MinCountConstraintComponent
    source_shape: str | None = None
    path: str | None = None
    value: str | None = None
    message: str | None = None  # the shape's own sh:message, when any
    text: str = ""  # the plain-language sentence
    focus_label: str | None = None
    node_shape: str | None = None  # the node shape with targets the result was found under

    @property
    def key(self) -> tuple[str, str | None, str]:
        """(focus node, path, component): what two validators must agree on."""
        return (self.focus_node, self.path, self.component)


@dataclass
class ValidationReport:
    results: list[ValidationResult] = field(default_factory=list)
    focus_nodes: int = 0  # how many focus nodes were checked (change-sized)
    triples: int = 0  # size of the validated graph
    mode: str = "full"  # "focus" or "full"
    # pySHACL's own report graph, when the report covers the whole validated graph: the RDF
    # forms serialize it as it is, so terms (ill-typed literals, blank-node paths) survive
    graph: Graph | None = field(default=None, repr=False, compare=False)
    # the focus nodes (N3) whose results this report holds in full; None: every node
    checked: set[str] | None = field(default=None, repr=False, compare=False)

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity != "Violation"]

    @property
    def conforms(self) -> bool:
        """True when no result is a Violation (Warnings and Infos do not block the gate)."""
        return not self.violations

    @property
    def shacl_conforms(self) -> bool:
        """``sh:conforms`` as SHACL defines it: no result at all, whatever its severity."""
        return not self.results

    def summary(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "shaclConforms": self.shacl_conforms,
            "violations": len(self.violations),
            "warnings": sum(r.severity == "Warning" for r in self.results),
            "infos": sum(r.severity == "Info" for r in self.results),
            "focusNodes": self.focus_nodes,
            "mode": self.mode,
            "results": [asdict(r) for r in self.results],
        }

    def to_json(self) -> str:
        return json.dumps(self.summary(), indent=2)

    def to_graph(self) -> Graph:
        """The report rebuilt as a ``sh:ValidationReport`` (when pySHACL's own graph is absent)."""
        g = Graph()
        g.bind("sh", SH)
        rep = BNode()
        g.add((rep, RDF.type, SH.ValidationReport))
        g.add((rep, SH.conforms, Literal(self.shacl_conforms)))
        for r in self.results:
            n = BNode()
            g.add((rep, SH.result, n))
            g.add((n, RDF.type, SH.ValidationResult))
            g.add((n, SH.focusNode, _term(r.focus_node)))
            g.add((n, SH.resultSeverity, SH[r.severity]))
            g.add((n, SH.sourceConstraintComponent, SH[r.component]))
            if r.source_shape:
                g.add((n, SH.sourceShape, _term(r.source_shape)))
            if r.path:
                g.add((n, SH.resultPath, _term(r.path)))
            if r.value is not None:
                g.add((n, SH.value, _term(r.value)))
            g.add((n, SH.resultMessage, Literal(r.text, lang="en")))
        return g

    def serialize(self, fmt: str) -> str:
        """``turtle``, ``json-ld``, ``nt`` or ``json`` (the summary)."""
        if fmt == "json":
            return self.to_json()
        return (self.graph if self.graph is not None else self.to_graph()).serialize(format=fmt)

    def to_rich_table(self) -> Any:
        from rich.table import Table

        t = Table(title="conforms" if self.conforms else f"{len(self.violations)} violation(s)")
        for col in ("severity", "entity", "path", "value", "what to fix"):
            t.add_column(col)
        for r in self.results:
            style = "red" if r.severity == "Violation" else "yellow"
            t.add_row(
                f"[{style}]{r.severity}[/]",
                r.focus_label or _short(r.focus_node),
                _short(r.path) if r.path else "",
                r.value or "",
                r.text,
            )
        return t


def _term(n3: str) -> Node:
    """Back from the N3 text kept in a result to an rdflib term."""
    from rdflib.util import from_n3

    m = re.match(r'^"(.*)"\^\^<(.*)>$', n3, re.S)
    if m:  # keep ill-typed literals as they are (from_n3 would try to convert them)
        return Literal(m.group(1).encode().decode("unicode_escape"), datatype=URIRef(m.group(2)))
    try:
        return from_n3(n3) or Literal(n3)  # type: ignore[return-value]
    except Exception:
        return Literal(n3)


def _short(n3: str | None) -> str:
    if not n3:
        return ""
    s = n3.strip("<>")
    return re.split(r"[#/]", s)[-1] or s


def humanize(n3: str | None) -> str:
    """``<…#legislationDate>`` -> ``legislation date``; a path's last step for a sequence."""
    if not n3:
        return "value"
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", _short(n3).rstrip(")"))
    return words.replace("_", " ").lower()


def _plain(n3: str | None) -> str:
    if n3 is None:
        return ""
    m = re.match(r'^"(.*)"(\^\^<.*>|@.*)?$', n3, re.S)
    return m.group(1) if m else _short(n3)


_TEMPLATES: dict[str, str] = {
    "MinCountConstraintComponent": "is missing its {path}; add one",
    "MaxCountConstraintComponent": "has too many values for {path}; keep one",
    "DatatypeConstraintComponent": "{path} {value} has the wrong datatype; fix the value",
    "ClassConstraintComponent": "{path} {value} is not of the expected type; type it or link another",
    "NodeKindConstraintComponent": "{path} {value} is the wrong kind of node (IRI/literal)",
    "PatternConstraintComponent": "{path} {value} is not in the expected form",
    "LessThanConstraintComponent": "{path} {value} is not before its {other}; correct one of the dates",
    "LessThanOrEqualsConstraintComponent": "{path} {value} is after its {other}; correct one of the dates",
    "InConstraintComponent": "{path} {value} is not one of the allowed values",
    "NodeConstraintComponent": "{path} {value} is not the kind of thing expected",
    "SPARQLConstraintComponent": "breaks a rule across entities",
}


def sentence(
    label: str | None,
    focus: str,
    component: str,
    path: str | None,
    value: str | None,
    message: str | None,
    other: str | None = None,
) -> str:
    """The plain-language sentence: '<label> (<id>): <what is wrong>. <shape message>'."""
    who = f"{label} ({_short(focus)})" if label else _short(focus)
    tmpl = _TEMPLATES.get(component, "does not satisfy {component}")
    what = tmpl.format(
        path=humanize(path), value=_plain(value), other=humanize(other), component=component
    )
    what = re.sub(r"\s+", " ", what).strip()
    return f"{who}: {what}." + (f" {message}" if message else "")


def from_pyshacl(
    results_graph: Graph,
    label_of: Callable[[Node], str | None],
    keep: Callable[[Node], bool] = lambda n: True,
    shapes: Graph | None = None,
) -> list[ValidationResult]:
    """Typed results out of pySHACL's report graph, keeping those whose focus ``keep`` accepts."""
    out: list[ValidationResult] = []
    for n in results_graph.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.detail, n) in results_graph:
            continue  # a nested result explains another one (sh:detail); not a result itself
        focus = results_graph.value(n, SH.focusNode)
        if focus is None or not keep(focus):
            continue
        sev = results_graph.value(n, SH.resultSeverity)
        comp = results_graph.value(n, SH.sourceConstraintComponent)
        path = results_graph.value(n, SH.resultPath)
        value = results_graph.value(n, SH.value)
        shape = results_graph.value(n, SH.sourceShape)
        msgs = [str(m) for m in results_graph.objects(n, SH.resultMessage)]
        other = None
        if shapes is not None and shape is not None:
            for p in (SH.lessThan, SH.lessThanOrEquals):
                other = other or shapes.value(shape, p)
        label = label_of(focus)
        comp_name = _short(comp.n3()) if comp is not None else "Unknown"
        path_n3 = path.n3() if path is not None and not isinstance(path, BNode) else None
        value_n3 = value.n3() if value is not None and not isinstance(value, BNode) else None
        msg = msgs[0] if msgs else None
        out.append(
            ValidationResult(
                focus_node=focus.n3(),
                severity=_short(sev.n3()) if sev is not None else "Violation",
                component=comp_name,
                source_shape=shape.n3() if shape is not None else None,
                node_shape=_node_shape(shapes, shape),
                path=path_n3,
                value=value_n3,
                message=msg,
                text=sentence(
                    label,
                    focus.n3(),
                    comp_name,
                    path_n3,
                    value_n3,
                    msg,
                    other.n3() if other is not None else None,
                ),
                focus_label=label,
            )
        )
    out.sort(key=lambda r: (r.severity != "Violation", r.focus_node, r.path or "", r.component))
    return out


def _node_shape(shapes: Graph | None, shape: Node | None) -> str | None:
    """The IRI of the node shape a (blank-node) property shape belongs to."""
    while shapes is not None and isinstance(shape, BNode):
        shape = shapes.value(None, SH.property, shape)
    return shape.n3() if isinstance(shape, URIRef) else None


def labels_from(g: Graph) -> Callable[[Node], str | None]:
    def label_of(node: Node) -> str | None:
        for p in LABEL_PREDICATES:
            vals: Iterable[Node] = g.objects(node, p)
            best = sorted(str(v) for v in vals)
            if best:
                return best[0]
        return None

    _ = URIRef
    return label_of
