"""A small SPARQL tokenizer: what a request is, before any engine sees it.

It answers three questions cheaply (a few microseconds for a point lookup) and without a full
parse: which form a request has (SELECT, ASK, CONSTRUCT, DESCRIBE, or an update), whether it
reaches outside (``SERVICE``, ``LOAD``) and where, and how to wrap a SELECT so that the engine
itself stops at the row cap. The engine still parses every request and reports syntax errors;
this module only has to be right about requests the engine would accept.

It fails closed: codepoint escapes (``\\u0053ERVICE``) are decoded first, as the SPARQL grammar
says, and a ``SERVICE`` whose target is not a literal IRI (``SERVICE ?x``) counts as remote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<word>[A-Za-z_\u00C0-\uFFFF][\w\u00B7\u00C0-\uFFFF.-]*(?::(?:[^\s{}()\[\],;'"<>\\]|\\.)*)?
              |:(?:[^\s{}()\[\],;'"<>\\]|\\.)*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = frozenset(
    ["INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"]
)


class Token(NamedTuple):
    """One significant token (a tuple: built once per token on every request, so cheap)."""

    kind: str
    text: str
    start: int
    end: int

    @property
    def upper(self) -> str:
        return self.text.upper()


@dataclass
class Request:
    """What the tokenizer learned of one request."""

    text: str
    form: str  # SELECT, ASK, CONSTRUCT, DESCRIBE, UPDATE, or "" when unknown
    prologue_end: int
    services: list[str | None] = field(default_factory=list)  # None: not a literal IRI
    loads: list[str] = field(default_factory=list)
    dataset_spans: list[tuple[int, int]] = field(default_factory=list)  # FROM clauses
    projection: list[str] | None = None  # SELECT variables in order; None for SELECT *

    @property
    def is_query(self) -> bool:
        return self.form in QUERY_FORMS

    def outbound(self, allowed: list[str] | tuple[str, ...] = ()) -> str | None:
        """The first remote target not covered by an allowed prefix, or ``None``."""
        for target in [*self.services, *self.loads]:
            if target is None:
                return "SERVICE with a variable target"
            if not any(target.startswith(prefix) for prefix in allowed):
                return target
        return None


def decode_escapes(text: str) -> str:
    """Decode ``\\uXXXX`` and ``\\UXXXXXXXX`` everywhere, as SPARQL does before parsing."""
    if "\\u" not in text and "\\U" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def tokens(text: str) -> list[Token]:
    """The significant tokens of ``text`` (no white space, no comments)."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        out.append(Token(kind, m.group(), m.start(), m.end()))
    return out


def _iri_value(tok: Token) -> str:
    return tok.text[1:-1]


def inspect(text: str) -> Request:
    """Tokenize a query or update and record its form, prologue, outbound targets, FROMs."""
    text = decode_escapes(text)
    toks = tokens(text)
    i = 0
    # The prologue: BASE <iri> | PREFIX pname: <iri>, in any number.
    while i < len(toks):
        up = toks[i].upper
        if up == "BASE" and i + 1 < len(toks):
            i += 2
        elif up == "PREFIX" and i + 2 < len(toks):
            i += 3
        else:
            break
    prologue_end = toks[i].start if i < len(toks) else len(text)
    first = toks[i].upper if i < len(toks) else ""
    form = first if first in QUERY_FORMS else ("UPDATE" if first in UPDATE_KEYWORDS else "")
    req = Request(text=text, form=form, prologue_end=prologue_end)
    if form == "SELECT":
        req.projection = _projection(toks, i + 1)
    depth = 0
    for j in range(i, len(toks)):
        tok = toks[j]
        if tok.kind == "other":
            if tok.text == "{":
                depth += 1
            elif tok.text == "}":
                depth -= 1
            continue
        if tok.kind != "word":
            continue
        up = tok.upper
        if up == "SERVICE":
            k = j + 1
            if k < len(toks) and toks[k].upper == "SILENT":
                k += 1
            target = toks[k] if k < len(toks) else None
            req.services.append(_iri_value(target) if target and target.kind == "iri" else None)
        elif up == "LOAD" and form == "UPDATE":
            k = j + 1
            if k < len(toks) and toks[k].upper == "SILENT":
                k += 1
            if k < len(toks) and toks[k].kind == "iri":
                req.loads.append(_iri_value(toks[k]))
            else:  # a prefixed name or anything else: treat as remote, fail closed
                req.loads.append(toks[k].text if k < len(toks) else "")
        elif up == "FROM" and depth == 0 and form in QUERY_FORMS:
            k = j + 1
            if k < len(toks) and toks[k].upper == "NAMED":
                k += 1
            if k < len(toks):
                req.dataset_spans.append((tok.start, toks[k].end))
    return req


def _projection(toks: list[Token], i: int) -> list[str] | None:
    """The variables a SELECT clause projects, in order (``None`` for ``SELECT *``)."""
    names: list[str] = []
    depth = 0
    while i < len(toks):
        tok = toks[i]
        up = tok.upper
        if depth == 0 and (tok.text == "{" or up in ("WHERE", "FROM")):
            break
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif tok.text == "*" and depth == 0:
            return None
        elif tok.kind == "var" and (depth == 0 or (i > 0 and toks[i - 1].upper == "AS")):
            names.append(tok.text[1:])
        i += 1
    return names or None


def _split(req: Request) -> tuple[str, str, str]:
    """(prologue, FROM clauses, the request after its prologue without its FROM clauses)."""
    text = req.text
    parts = []
    pos = req.prologue_end
    for a, b in req.dataset_spans:
        parts.append(text[pos:a])
        pos = b
    parts.append(text[pos:])
    froms = " ".join(text[a:b] for a, b in req.dataset_spans)
    return text[: req.prologue_end], froms, "".join(parts)


def capped_select(req: Request, limit: int) -> str:
    """The SELECT of ``req`` wrapped so the engine returns at most ``limit`` rows.

    ``PROLOGUE SELECT * FROM… WHERE { { ORIGINAL-WITHOUT-FROM } } LIMIT n``: the engine stops
    after ``n`` rows, and the projection keeps the original order of variables.
    """
    head, froms, body = _split(req)
    names = " ".join("?" + v for v in req.projection) if req.projection else "*"
    return f"{head}SELECT {names} {froms} WHERE {{ {{ {body}\n}} }} LIMIT {limit}"


def probe_beyond(req: Request, offset: int) -> str:
    """An ASK that is true when the SELECT of ``req`` has more than ``offset`` rows."""
    head, froms, body = _split(req)
    return f"{head}ASK {froms} {{ {{ SELECT * {{ {{ {body}\n}} }} OFFSET {offset} LIMIT 1 }} }}"
