"""What the SHACL-to-SPARQL compiler works with: the constraint components it knows, the
lexical forms it checks, the terms it writes, and the pieces a compiled query is made of."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import SH, XSD
from rdflib.term import Node

RDF_LANGSTRING = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")
TYPE_PATH = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"

#: lexical forms the XSD datatypes pySHACL checks for well-formedness (rdflib's ``ill_typed``)
_TZ = r"(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])?"
_YEAR = r"-?([1-9][0-9]{4,}|[0-9]{4})"
LEXICAL = {
    str(XSD.integer): r"^[+-]?[0-9]+$",
    str(XSD.decimal): r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    str(XSD.boolean): r"^(true|false|1|0)$",
    str(XSD.date): rf"^{_YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]){_TZ}$",
    str(XSD.gYear): rf"^{_YEAR}{_TZ}$",
    str(XSD.gYearMonth): rf"^{_YEAR}-(0[1-9]|1[0-2]){_TZ}$",
    str(XSD.dateTime): rf"^{_YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T"
    rf"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?{_TZ}$",
}

UNSUPPORTED = {SH.uniqueLang, SH.qualifiedValueShapesDisjoint}
COMPONENT: dict[Node, str] = {
    SH["class"]: "ClassConstraintComponent",
    SH.datatype: "DatatypeConstraintComponent",
    SH.nodeKind: "NodeKindConstraintComponent",
    SH["in"]: "InConstraintComponent",
    SH.pattern: "PatternConstraintComponent",
    SH.minInclusive: "MinInclusiveConstraintComponent",
    SH.maxInclusive: "MaxInclusiveConstraintComponent",
    SH.minExclusive: "MinExclusiveConstraintComponent",
    SH.maxExclusive: "MaxExclusiveConstraintComponent",
    SH.minLength: "MinLengthConstraintComponent",
    SH.maxLength: "MaxLengthConstraintComponent",
    SH.languageIn: "LanguageInConstraintComponent",
    SH.node: "NodeConstraintComponent",
    SH["not"]: "NotConstraintComponent",
    SH["and"]: "AndConstraintComponent",
    SH["or"]: "OrConstraintComponent",
    SH.xone: "XoneConstraintComponent",
    SH.hasValue: "HasValueConstraintComponent",
    SH.equals: "EqualsConstraintComponent",
    SH.disjoint: "DisjointConstraintComponent",
    SH.lessThan: "LessThanConstraintComponent",
    SH.lessThanOrEquals: "LessThanOrEqualsConstraintComponent",
    SH.minCount: "MinCountConstraintComponent",
    SH.maxCount: "MaxCountConstraintComponent",
    SH.qualifiedMinCount: "QualifiedMinCountConstraintComponent",
    SH.qualifiedMaxCount: "QualifiedMaxCountConstraintComponent",
    SH.closed: "ClosedConstraintComponent",
    SH.sparql: "SPARQLConstraintComponent",
}


def _int(n: Node | None) -> int:
    try:
        return int(str(n))
    except ValueError:
        raise Unsupported(f"a count that is not an integer: {n!r}") from None


class Unsupported(Exception):
    """The shapes use a feature the compiler does not translate (validate with pySHACL)."""


def n3(t: Node) -> str:
    """A term as SPARQL text (literals with their datatype or language)."""
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, Literal):
        body = (
            str(t)
            .replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
        if t.language:
            return f'"{body}"@{t.language}'
        return f'"{body}"^^<{t.datatype or XSD.string}>'
    raise Unsupported(f"a blank node cannot be written in a query: {t!r}")


@dataclass
class Branch:
    """One group of constraints: a pattern binding ``?this`` (and ``?value``) with flags.

    ``flags`` maps a flag variable to the result it stands for; the pattern binds each flag to
    true when that constraint fails (``FILTER`` keeps the rows with at least one).
    """

    pattern: str
    flags: dict[str, Meta]
    vars: list[str] = field(default_factory=list)  # extra variables the results read
    sparql: Meta | None = None  # a SPARQL-based constraint: one result per solution


@dataclass
class Meta:
    component: str
    shape: Node
    severity: str
    path: Node | None  # the result path (a property shape's sh:path)
    value: bool  # the result carries sh:value (?value, else none)
    message: str | None
    other: Node | None = None  # sh:lessThan's other property, for the sentence


@dataclass(frozen=True)
class Targets:
    """A shape's targets (IRIs as strings)."""

    classes: frozenset[str]
    nodes: frozenset[str]
    subjects_of: frozenset[str]
    objects_of: frozenset[str]
