"""SHACL Core and SPARQL-based constraints compiled to SPARQL (run by :mod:`kg.validation.engine`).

``CompiledShapes(shapes)`` reads a shapes graph once and turns every shape with targets into
one SELECT query: a UNION of *branches*, each of which binds the focus node ``?this`` through
the shape's targets and returns the focus nodes (and value nodes) that break one group of
constraints. :func:`kg.validation.engine.run` evaluates them with Oxigraph, over a whole store
or restricted to given focus nodes (a ``VALUES`` block before the target patterns), which is
what the write gate needs.

Semantics follow the SHACL recommendation, and pySHACL is the reference the tests hold it to:

- value nodes of a property shape are reached with its ``sh:path`` written as a SPARQL
  property path (predicate, inverse, sequence, alternative, ``*``, ``+``, ``?``);
- every comparison that may raise a SPARQL error is wrapped so that an error counts as
  *not conforming* (``COALESCE(…, false)``), as SHACL asks of incomparable values;
- ``sh:node``, ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone`` and ``sh:qualifiedValueShape``
  are compiled to ``EXISTS`` tests over a pattern that matches when a node *fails* a shape;
- ``sh:sparql`` constraints run their own ``SELECT`` with ``$this`` bound by the targets.

Features outside this set (custom constraint components, ``sh:uniqueLang``,
``sh:qualifiedValueShapesDisjoint``, property shapes nested in property shapes, SPARQL-based
constraints inside ``sh:node``/logical constraints, ``$PATH`` and pre-bound variables other than
``$this``) raise :class:`Unsupported` when the shapes are read: the caller then validates with
pySHACL instead, so an unsupported shapes graph is never validated half-way.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from kg.validation.components import (
    COMPONENT,
    LEXICAL,
    RDF_LANGSTRING,
    TYPE_PATH,
    UNSUPPORTED,
    Branch,
    Meta,
    Targets,
    Unsupported,
    _int,
    n3,
)


def target_spec(g: Graph, shape: Node) -> Targets:
    """The shape's targets as terms, for checking given nodes without a query."""
    from rdflib import RDFS

    classes = set(g.objects(shape, SH.targetClass))
    if (shape, RDF.type, RDFS.Class) in g:
        classes.add(shape)
    return Targets(
        classes=frozenset(str(c) for c in classes),
        nodes=frozenset(str(n) for n in g.objects(shape, SH.targetNode)),
        subjects_of=frozenset(str(p) for p in g.objects(shape, SH.targetSubjectsOf)),
        objects_of=frozenset(str(p) for p in g.objects(shape, SH.targetObjectsOf)),
    )


class _Names:
    def __init__(self) -> None:
        self._n = itertools.count()

    def __call__(self, stem: str) -> str:
        return f"?_{stem}{next(self._n)}"


class CompiledShapes:
    """Shapes compiled once; ``validate`` may run concurrently (nothing here is mutated)."""

    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self._names = _Names()
        self.prefixes = self._declared_prefixes()
        self._sp: dict[str, str] = {}  # prefixes the SPARQL-based constraints declare
        self.queries: list[tuple[Node, list[Branch]]] = []
        for shape in sorted(self._shapes_with_targets(), key=str):
            if self._deactivated(shape):
                continue
            branches = self._shape_branches(shape)
            if branches:
                self.queries.append((shape, branches))
        self.targets = {shape: self.target_spec(shape) for shape, _ in self.queries}

    # -- reading the shapes graph ---------------------------------------------------------------
    def _declared_prefixes(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for decl in self.g.objects(None, SH.declare):
            p, ns = self.g.value(decl, SH.prefix), self.g.value(decl, SH.namespace)
            if p is not None and ns is not None:
                out[str(p)] = str(ns)
        return out

    def _shapes_with_targets(self) -> set[Node]:
        out: set[Node] = set()
        for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            out.update(self.g.subjects(p, None))
        from rdflib import RDFS

        for s in self.g.subjects(RDF.type, RDFS.Class):
            if (s, RDF.type, SH.NodeShape) in self.g or (s, RDF.type, SH.PropertyShape) in self.g:
                out.add(s)
        if any(self.g.subjects(SH.target, None)):
            raise Unsupported("SPARQL-based targets (sh:target)")
        return out

    def _deactivated(self, shape: Node) -> bool:
        return bool(self.g.value(shape, SH.deactivated) == Literal(True))

    def _list(self, node: Node | None) -> list[Node]:
        if node is None:
            return []
        return list(Collection(self.g, node))

    def _severity(self, shape: Node) -> str:
        sev = self.g.value(shape, SH.severity)
        return str(sev).rsplit("#", 1)[-1] if sev is not None else "Violation"

    def _message(self, node: Node) -> str | None:
        msgs = sorted(
            self.g.objects(node, SH.message), key=lambda m: getattr(m, "language", "") != "en"
        )
        return str(msgs[0]) if msgs else None

    def path(self, p: Node) -> str:
        """``sh:path`` as a SPARQL property path."""
        g = self.g
        if isinstance(p, URIRef):
            return f"<{p}>"
        if (p, RDF.first, None) in g:
            return "(" + "/".join(self.path(x) for x in self._list(p)) + ")"
        for pred, fmt in (
            (SH.inversePath, "^({})"),
            (SH.zeroOrMorePath, "({})*"),
            (SH.oneOrMorePath, "({})+"),
            (SH.zeroOrOnePath, "({})?"),
        ):
            inner = g.value(p, pred)
            if inner is not None:
                return fmt.format(self.path(inner))
        alt = g.value(p, SH.alternativePath)
        if alt is not None:
            return "(" + "|".join(self.path(x) for x in self._list(alt)) + ")"
        raise Unsupported(f"path {p!r}")

    def _check_params(self, shape: Node) -> None:
        for p in self.g.predicates(shape, None):
            if p in UNSUPPORTED:
                raise Unsupported(str(p))
        for _ in self.g.objects(None, SH.parameter):
            raise Unsupported("custom constraint components")

    # -- targets ----------------------------------------------------------------------------
    def target(self, shape: Node, var: str = "?this") -> str:
        from rdflib import RDFS

        g = self.g
        alts: list[str] = []
        classes = set(g.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in g:
            classes.add(shape)
        for c in sorted(classes, key=str):
            alts.append(f"{var} {TYPE_PATH} {n3(c)} .")
        nodes = sorted(g.objects(shape, SH.targetNode), key=str)
        if nodes:
            alts.append(f"VALUES {var} {{ {' '.join(n3(n) for n in nodes)} }}")
        for p in sorted(g.objects(shape, SH.targetSubjectsOf), key=str):
            alts.append(f"{var} {n3(p)} [] .")
        for p in sorted(g.objects(shape, SH.targetObjectsOf), key=str):
            alts.append(f"[] {n3(p)} {var} .")
        if len(alts) == 1:
            return alts[0]
        return "{ SELECT DISTINCT " + var + " WHERE { { " + " } UNION { ".join(alts) + " } } }"

    def target_spec(self, shape: Node) -> Targets:
        return target_spec(self.g, shape)

    # -- one shape, as branches -----------------------------------------------------------------
    def _shape_branches(self, shape: Node) -> list[Branch]:
        own = self.g.value(shape, SH.path)
        if own is not None:  # a property shape with targets of its own
            if any(self.g.objects(shape, SH.property)):
                raise Unsupported("a property shape nested in a property shape")
            return self._constraint_branches(shape, own)
        branches = self._constraint_branches(shape, None)
        for ps in self.g.objects(shape, SH.property):
            if self._deactivated(ps):
                continue
            if any(self.g.objects(ps, SH.property)):
                raise Unsupported("a property shape nested in a property shape")
            pth = self.g.value(ps, SH.path)
            if pth is None:
                raise Unsupported("a property shape without sh:path")
            branches += self._constraint_branches(ps, pth)
        return branches

    def _constraint_branches(self, shape: Node, path: Node | None) -> list[Branch]:
        """Branches for the constraints declared on ``shape`` itself (not its sh:property)."""
        self._check_params(shape)
        g = self.g
        sev = self._severity(shape)
        msg = self._message(shape)
        rpath = path
        vp = f"?this {self.path(path)} ?value ." if path is not None else "BIND (?this AS ?value)"
        out: list[Branch] = []

        def meta(param: Node, value: bool = True, other: Node | None = None) -> Meta:
            return Meta(COMPONENT[param], shape, sev, rpath, value, msg, other)

        # constraints judged on each value node, all in one branch
        flags: dict[str, Meta] = {}
        binds: list[str] = []
        for param, cond in self._value_conditions(shape, "?value"):
            f = self._names("f")
            flags[f] = meta(param)
            binds.append(f"BIND (COALESCE(!({cond}), true) AS {f})")
        for param in (SH.lessThan, SH.lessThanOrEquals):
            for other in g.objects(shape, param):
                if path is None:
                    raise Unsupported(f"{param} on a node shape")
                op = "<" if param == SH.lessThan else "<="
                out.append(  # one result per pair of values, as pySHACL gives
                    Branch(
                        f"?this {self.path(path)} ?value . ?this {n3(other)} ?_lt . "
                        "FILTER (!COALESCE(?value " + op + " ?_lt, false))",
                        {"": meta(param, other=other)},
                        vars=["?_lt"],
                    )
                )
        if flags:
            any_flag = " || ".join(flags)
            out.append(
                Branch(f"{vp} {' '.join(binds)} FILTER ({any_flag})", flags, vars=list(flags))
            )
        out += self._focus_branches(shape, path, meta)
        for c in g.objects(shape, SH.sparql):
            if self._deactivated(c):
                continue
            out.append(self._sparql_branch(shape, c, path, sev))
        return out

    def _focus_branches(self, shape: Node, path: Node | None, meta: Any) -> list[Branch]:
        """Constraints judged once per focus node: counts, equality, closedness, hasValue."""
        g = self.g
        out: list[Branch] = []
        pth = self.path(path) if path is not None else None
        mn = g.value(shape, SH.minCount)
        if mn is not None and pth is not None and _int(mn) > 0:
            out.append(
                Branch(self._count_filter(pth, "<", _int(mn)), {"": meta(SH.minCount, False)})
            )
        mx = g.value(shape, SH.maxCount)
        if mx is not None and pth is not None:
            out.append(
                Branch(self._count_filter(pth, ">", _int(mx)), {"": meta(SH.maxCount, False)})
            )
        for hv in g.objects(shape, SH.hasValue):
            if pth is None:
                cond = f"FILTER (!sameTerm(?this, {n3(hv)}))"
            else:
                cond = f"FILTER NOT EXISTS {{ ?this {pth} {n3(hv)} }}"
            out.append(Branch(cond, {"": meta(SH.hasValue, False)}))
        for other in g.objects(shape, SH.equals):
            vp = f"?this {pth} ?value ." if pth else "BIND (?this AS ?value)"
            out.append(
                Branch(
                    f"{vp} FILTER NOT EXISTS {{ ?this {n3(other)} ?value }}", {"": meta(SH.equals)}
                )
            )
            back = (
                f"FILTER NOT EXISTS {{ ?this {pth} ?value }}"
                if pth
                else "FILTER (!sameTerm(?this, ?value))"
            )
            out.append(Branch(f"?this {n3(other)} ?value . {back}", {"": meta(SH.equals)}))
        for other in g.objects(shape, SH.disjoint):
            vp = f"?this {pth} ?value ." if pth else "BIND (?this AS ?value)"
            out.append(Branch(f"{vp} ?this {n3(other)} ?value .", {"": meta(SH.disjoint)}))
        qvs = g.value(shape, SH.qualifiedValueShape)
        if qvs is not None:
            if pth is None:
                raise Unsupported("sh:qualifiedValueShape on a node shape")
            fails = self.fails(qvs, "?_q")
            counted = (
                f"{{ SELECT ?this (COUNT(DISTINCT ?_q) AS ?_qc) WHERE {{ {{TARGET}} "
                f"OPTIONAL {{ ?this {pth} ?_q . FILTER NOT EXISTS {{ {fails} }} }} }} "
                "GROUP BY ?this }"
            )
            qmin, qmax = g.value(shape, SH.qualifiedMinCount), g.value(shape, SH.qualifiedMaxCount)
            if qmin is not None:
                if _int(qmin) == 1:
                    cond = (
                        f"FILTER NOT EXISTS {{ ?this {pth} ?_q . FILTER NOT EXISTS {{ {fails} }} }}"
                    )
                else:
                    cond = f"{counted} FILTER (?_qc < {_int(qmin)})"
                out.append(Branch(cond, {"": meta(SH.qualifiedMinCount, False)}))
            if qmax is not None:
                cond = f"{counted} FILTER (?_qc > {_int(qmax)})"
                out.append(Branch(cond, {"": meta(SH.qualifiedMaxCount, False)}))
        if g.value(shape, SH.closed) == Literal(True):
            allowed = {g.value(ps, SH.path) for ps in g.objects(shape, SH.property)} | set(
                self._list(g.value(shape, SH.ignoredProperties))
            )
            iris = ", ".join(n3(p) for p in sorted(allowed, key=str) if isinstance(p, URIRef))
            vp = f"?this {pth} ?_cn ." if pth else "BIND (?this AS ?_cn)"
            m = meta(SH.closed)
            m.path = None
            out.append(
                Branch(
                    f"{vp} ?_cn ?_cp ?value . FILTER (?_cp NOT IN ({iris or '<urn:x-none:>'}))",
                    {"": m},
                    vars=["?_cp", "?_cn"],
                )
            )
        return out

    def _count_filter(self, pth: str, op: str, n: int) -> str:
        if op == "<" and n == 1:
            return f"FILTER NOT EXISTS {{ ?this {pth} ?_any }}"
        if op == ">" and n == 0:
            return f"FILTER EXISTS {{ ?this {pth} ?_any }}"
        if op == ">" and n == 1:
            return f"FILTER EXISTS {{ ?this {pth} ?_a1 , ?_a2 . FILTER (!sameTerm(?_a1, ?_a2)) }}"
        return (
            "{ SELECT ?this (COUNT(DISTINCT ?_cv) AS ?_cc) WHERE { {TARGET} "
            f"OPTIONAL {{ ?this {pth} ?_cv }} }} GROUP BY ?this }} FILTER (?_cc {op} {n})"
        )

    # -- conditions on one value node ---------------------------------------------------------
    def _value_conditions(self, shape: Node, v: str) -> Iterator[tuple[Node, str]]:
        """(parameter, SPARQL expression that holds when ``v`` conforms) per constraint."""
        g = self.g
        for c in g.objects(shape, SH["class"]):
            yield SH["class"], f"EXISTS {{ {v} {TYPE_PATH} {n3(c)} }}"
        for d in g.objects(shape, SH.datatype):
            yield SH.datatype, self._datatype_ok(v, d)
        for k in g.objects(shape, SH.nodeKind):
            yield SH.nodeKind, self._nodekind_ok(v, k)
        for lst in g.objects(shape, SH["in"]):
            members = self._list(lst)
            yield SH["in"], " || ".join(f"sameTerm({v}, {n3(m)})" for m in members) or "false"
        flags = g.value(shape, SH.flags)
        for pat in g.objects(shape, SH.pattern):
            fl = f', "{flags}"' if flags is not None else ""
            yield SH.pattern, f"!isBlank({v}) && REGEX(STR({v}), {n3(Literal(str(pat)))}{fl})"
        for param, op in (
            (SH.minInclusive, ">="),
            (SH.maxInclusive, "<="),
            (SH.minExclusive, ">"),
            (SH.maxExclusive, "<"),
        ):
            for lim in g.objects(shape, param):
                yield param, f"{v} {op} {n3(lim)}"
        for param, op in ((SH.minLength, ">="), (SH.maxLength, "<=")):
            for lim in g.objects(shape, param):
                yield param, f"!isBlank({v}) && STRLEN(STR({v})) {op} {_int(lim)}"
        for lst in g.objects(shape, SH.languageIn):
            tags = " || ".join(f'langMatches(lang({v}), "{t}")' for t in self._list(lst))
            yield SH.languageIn, f"isLiteral({v}) && ({tags or 'false'})"
        for n in g.objects(shape, SH.node):
            yield SH.node, f"NOT EXISTS {{ {self.fails(n, v)} }}"
        for n in g.objects(shape, SH["not"]):
            yield SH["not"], f"EXISTS {{ {self.fails(n, v)} }}"
        for lst in g.objects(shape, SH["and"]):
            parts = [f"NOT EXISTS {{ {self.fails(s, v)} }}" for s in self._list(lst)]
            yield SH["and"], " && ".join(parts) or "true"
        for lst in g.objects(shape, SH["or"]):
            parts = [f"NOT EXISTS {{ {self.fails(s, v)} }}" for s in self._list(lst)]
            yield SH["or"], " || ".join(parts) or "false"
        for lst in g.objects(shape, SH.xone):
            parts = [f"IF(EXISTS {{ {self.fails(s, v)} }}, 0, 1)" for s in self._list(lst)]
            yield SH.xone, f"({' + '.join(parts) or '0'}) = 1"

    def _datatype_ok(self, v: str, d: Node) -> str:
        if d == RDF_LANGSTRING:
            return f'isLiteral({v}) && lang({v}) != ""'
        ok = f"isLiteral({v}) && datatype({v}) = {n3(d)}"
        lex = LEXICAL.get(str(d))
        if lex:
            ok += f" && REGEX(STR({v}), {n3(Literal(lex))})"
        return ok

    @staticmethod
    def _nodekind_ok(v: str, k: Node) -> str:
        kinds: dict[Node, str] = {
            SH.IRI: f"isIRI({v})",
            SH.BlankNode: f"isBlank({v})",
            SH.Literal: f"isLiteral({v})",
            SH.BlankNodeOrIRI: f"(isBlank({v}) || isIRI({v}))",
            SH.BlankNodeOrLiteral: f"(isBlank({v}) || isLiteral({v}))",
            SH.IRIOrLiteral: f"(isIRI({v}) || isLiteral({v}))",
        }
        if k not in kinds:
            raise Unsupported(f"sh:nodeKind {k}")
        return kinds[k]

    # -- a pattern matching when a node fails a shape (for sh:node and the logical ones) ------
    def fails(self, shape: Node, x: str) -> str:
        """A group pattern with a solution iff the node in ``x`` does not conform to ``shape``."""
        self._check_params(shape)
        if any(self.g.objects(shape, SH.sparql)):
            raise Unsupported("SPARQL-based constraints inside sh:node or a logical constraint")
        alts: list[str] = []
        path = self.g.value(shape, SH.path)
        props = [] if self._deactivated(shape) else [(shape, path)]
        if path is None:
            props += [
                (ps, self.g.value(ps, SH.path))
                for ps in self.g.objects(shape, SH.property)
                if not self._deactivated(ps)
            ]
        for s, p in props:
            if s is not shape and any(self.g.objects(s, SH.property)):
                raise Unsupported("a property shape nested in a property shape")
            v = self._names("v")
            vp = f"{x} {self.path(p)} {v} ." if p is not None else f"BIND ({x} AS {v})"
            for _param, cond in self._value_conditions(s, v):
                alts.append(f"{vp} FILTER (!COALESCE({cond}, false))")
            for b in self._focus_branches(s, p, lambda *a, **k: None):
                if "{TARGET}" in b.pattern:
                    raise Unsupported("counted constraints inside a nested shape")
                pat = re.sub(r"\?value\b", self._names("w"), b.pattern)
                pat = re.sub(r"\?this\b", x, pat)
                alts.append(_rename_locals(pat, self._names))
            for param in (SH.lessThan, SH.lessThanOrEquals):
                for other in self.g.objects(s, param):
                    if p is None:
                        raise Unsupported(f"{param} on a node shape")
                    op = "<" if param == SH.lessThan else "<="
                    o = self._names("o")
                    alts.append(
                        f"{x} {self.path(p)} {v} . {x} {n3(other)} {o} . "
                        f"FILTER (!COALESCE({v} {op} {o}, false))"
                    )
        if not alts:
            return "FILTER (false)"
        return "{ " + " } UNION { ".join(alts) + " }"

    # -- SPARQL-based constraints ---------------------------------------------------------------
    def _sparql_branch(self, shape: Node, c: Node, path: Node | None, sev: str) -> Branch:
        q = self.g.value(c, SH.select)
        if q is None:
            raise Unsupported("a SPARQL-based constraint without sh:select (sh:ask?)")
        text = str(q)
        if re.search(r"\$(?!this\b)[A-Za-z_]", text):
            raise Unsupported("pre-bound variables other than $this")
        prefixes = dict(self.prefixes)
        for src in self.g.objects(c, SH.prefixes):
            for decl in self.g.objects(src, SH.declare):
                p, ns = self.g.value(decl, SH.prefix), self.g.value(decl, SH.namespace)
                if p is not None and ns is not None:
                    prefixes[str(p)] = str(ns)
        self._sp.update(prefixes)
        body = re.sub(r"\$this\b", "?this", text)
        head = re.match(r"\s*SELECT\s+(DISTINCT\s+|REDUCED\s+)?(.*?)\s+WHERE\b", body, re.S | re.I)
        if head is None:
            raise Unsupported("a SPARQL-based constraint that is not SELECT … WHERE")
        names = re.findall(r"\?([A-Za-z_][A-Za-z0-9_]*)", head.group(2))
        if "*" in head.group(2).split():
            raise Unsupported("SELECT * in a SPARQL-based constraint")
        if path is not None:
            body = re.sub(r"\$PATH\b", self.path(path), body)
        msg = self._message(c) or self._message(shape)
        meta = Meta(
            "SPARQLConstraintComponent", shape, self._severity(c) if (c, SH.severity, None) in self.g
            else sev, path, "value" in names, msg,
        )  # fmt: skip
        extra = [f"?{n}" for n in names if n not in ("this",)]
        return Branch("{ " + body + " }", {}, vars=extra, sparql=meta)


def _rename_locals(pat: str, names: _Names) -> str:
    """Fresh names for the helper variables of a branch copied into a nested pattern."""
    found = sorted(set(re.findall(r"\?_(?:any|a1|a2|cn|cp|q|qc|cv|cc|lt)\b", pat)))
    for v in found:
        pat = re.sub(re.escape(v) + r"\b", names(v[2:]), pat)
    return pat
