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

#: a variable: ``?`` or ``$``, then its name
_VAR = r"[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+"

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>"""
    + _VAR
    + r""")
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


def tokens(text: str, offset: int = 0) -> list[Token]:
    """The significant tokens of ``text`` (no white space, no comments); positions are
    shifted by ``offset``."""
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        out.append(Token(kind, m.group(), m.start() + offset, m.end() + offset))
    return out


def _iri_value(tok: Token) -> str:
    return tok.text[1:-1]


_WORD = r"[A-Za-z_\u00C0-\uFFFF][\w\u00B7\u00C0-\uFFFF.-]*"
_IRI = r"<[^<>\"{}|^`\\\x00-\x20]*>"
#: a run of well-formed prologue declarations, white space and comments, read in one match;
#: whatever it leaves is read token by token, as before
_PROLOGUE = re.compile(
    rf"""(?:\s+|\#[^\n\r]*
       |(?i:BASE)\s*{_IRI}
       |(?i:PREFIX)\s+(?:{_WORD})?:(?:[^\s{{}}()\[\],;'"<>\\]|\\.)*\s*{_IRI}
    )*""",
    re.VERBOSE,
)

#: words that make the body of a request worth scanning token by token (case-insensitive)
_SCAN_WORDS = re.compile(r"service|load|from", re.IGNORECASE)


def _may_reach_out(text: str, start: int) -> bool:
    """Whether ``text`` after ``start`` mentions SERVICE, LOAD or FROM in any case.

    Plain ASCII text (nearly every request) is lowered and searched with ``in``, several
    times faster than the case-insensitive pattern; any other text takes the pattern, whose
    Unicode case rules also match letters such as U+017F (long s) to ``s``.
    """
    rest = text[start:]
    if rest.isascii():
        low = rest.lower()
        return "service" in low or "load" in low or "from" in low
    return _SCAN_WORDS.search(rest) is not None


#: the common SELECT clause: variables only, separated by ASCII white space, then the WHERE
#: group; anything else (expressions, comments, FROM, ``*``) is read token by token
_PLAIN_PROJECTION = re.compile(  # each variable read whole (possessive), never a prefix of it
    rf"(?:[ \t\r\n]+(?:DISTINCT|REDUCED)(?=[ \t\r\n]))?((?:[ \t\r\n]*{_VAR}+)+)"
    r"[ \t\r\n]*(?:WHERE(?=[ \t\r\n{])|\{)",
    re.IGNORECASE | re.ASCII,
)
_VAR_NAME = re.compile(_VAR)


class _Tokens:
    """The significant tokens of a text, produced as far as someone looks (most requests are
    settled by their prologue, their form and a quick look for three words)."""

    def __init__(self, text: str, pos: int = 0) -> None:
        self.text = text
        self.toks: list[Token] = []
        self._pos = pos

    def __getitem__(self, i: int) -> Token | None:
        toks = self.toks
        if i < len(toks):
            return toks[i]
        match, text, pos = _TOKEN.match, self.text, self._pos
        while len(toks) <= i:
            m = match(text, pos)
            if m is None:
                self._pos = pos
                return None
            pos = m.end()
            kind = m.lastgroup or "other"
            if kind != "ws" and kind != "comment":
                toks.append(Token(kind, m.group(), m.start(), pos))
        self._pos = pos
        return toks[i]

    def rest(self) -> list[Token]:
        """Every token, the ones not produced yet included."""
        self.toks.extend(tokens(self.text[self._pos :], self._pos))
        self._pos = len(self.text)
        return self.toks


#: the last run of prologue declarations read that ended in a line break: clients send the
#: same PREFIX block with every query, and this one is checked with ``startswith``
_last_prologue = ""


def _prologue_run(text: str) -> int:
    """Where the run of well-formed declarations at the start of ``text`` ends.

    A text that starts with the run cached last resumes after it. That gives the answer a
    full match would: every declaration in a run that ends in a line break ends inside it
    (a comment stops at the break, an IRI at its ``>``), and the white space that ends it
    is picked up again by the resumed match.
    """
    global _last_prologue
    cached = _last_prologue
    if cached and text.startswith(cached):
        return _PROLOGUE.match(text, len(cached)).end()  # type: ignore[union-attr]
    end = _PROLOGUE.match(text).end()  # type: ignore[union-attr]
    if end > 64 and text[end - 1] in "\n\r":
        _last_prologue = text[:end]
    return end


def inspect(text: str) -> Request:
    """Tokenize a query or update and record its form, prologue, outbound targets, FROMs."""
    text = decode_escapes(text)
    toks = _Tokens(text, _prologue_run(text))
    i = 0
    # The prologue: BASE <iri> | PREFIX pname: <iri>, in any number.
    while (tok := toks[i]) is not None:
        up = tok.upper
        if up == "BASE" and toks[i + 1] is not None:
            i += 2
        elif up == "PREFIX" and toks[i + 2] is not None:
            i += 3
        else:
            break
    head = toks[i]
    prologue_end = head.start if head is not None else len(text)
    first = head.upper if head is not None else ""
    form = first if first in QUERY_FORMS else ("UPDATE" if first in UPDATE_KEYWORDS else "")
    req = Request(text=text, form=form, prologue_end=prologue_end)
    if form == "SELECT":
        assert head is not None
        plain = _PLAIN_PROJECTION.match(text, head.end)
        if plain is not None:
            req.projection = [v[1:] for v in _VAR_NAME.findall(plain.group(1))]
        else:
            req.projection = _projection(toks, i + 1)
    if head is None or not _may_reach_out(text, prologue_end):
        return req  # no SERVICE, LOAD or FROM anywhere after the prologue
    all_toks = toks.rest()
    depth = 0
    for j in range(i, len(all_toks)):
        tok = all_toks[j]
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
            if k < len(all_toks) and all_toks[k].upper == "SILENT":
                k += 1
            target = all_toks[k] if k < len(all_toks) else None
            req.services.append(_iri_value(target) if target and target.kind == "iri" else None)
        elif up == "LOAD" and form == "UPDATE":
            k = j + 1
            if k < len(all_toks) and all_toks[k].upper == "SILENT":
                k += 1
            if k < len(all_toks) and all_toks[k].kind == "iri":
                req.loads.append(_iri_value(all_toks[k]))
            else:  # a prefixed name or anything else: treat as remote, fail closed
                req.loads.append(all_toks[k].text if k < len(all_toks) else "")
        elif up == "FROM" and depth == 0 and form in QUERY_FORMS:
            k = j + 1
            if k < len(all_toks) and all_toks[k].upper == "NAMED":
                k += 1
            if k < len(all_toks):
                req.dataset_spans.append((tok.start, all_toks[k].end))
    return req


def _projection(toks: _Tokens, i: int) -> list[str] | None:
    """The variables a SELECT clause projects, in order (``None`` for ``SELECT *``)."""
    names: list[str] = []
    depth = 0
    while (tok := toks[i]) is not None:
        up = tok.upper
        if depth == 0 and (tok.text == "{" or up in ("WHERE", "FROM")):
            break
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif tok.text == "*" and depth == 0:
            return None
        elif tok.kind == "var" and (depth == 0 or (i > 0 and toks.toks[i - 1].upper == "AS")):
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


def _skip_group(toks: list[Token], i: int, open_: str, close: str, braces: bool) -> int:
    """The index after the balanced ``open_ … close`` group starting at ``toks[i]``, or -1
    when the group is unbalanced or (unless ``braces``) holds a ``{``."""
    depth = 0
    for j in range(i, len(toks)):
        t = toks[j]
        if t.kind != "other":
            continue
        if t.text == "{" and not braces:
            return -1
        if t.text == open_:
            depth += 1
        elif t.text == close:
            depth -= 1
            if depth == 0:
                return j + 1
    return -1


def _skip_values(toks: list[Token], i: int) -> int:
    """After ``VALUES`` at ``toks[i - 1]``: the index after its data block, or -1."""
    if i < len(toks) and toks[i].kind == "var":
        i += 1
    elif i < len(toks) and toks[i].text == "(":
        i = _skip_group(toks, i, "(", ")", False)
    else:
        return -1
    if i < 0 or i >= len(toks) or toks[i].text != "{":
        return -1
    return _skip_group(toks, i, "{", "}", True)


def reads_named_graphs_only(req: Request) -> bool:
    """True when a SELECT or ASK can read nothing but named graphs.

    That is: no FROM clause, and its WHERE group holds, at the top level, only ``GRAPH``
    blocks, ``FILTER`` and ``BIND`` expressions without a group inside (no ``EXISTS``), and
    ``VALUES`` data; nothing outside that group opens a group but a ``VALUES`` block. Whatever
    a ``GRAPH`` block holds is read in its named graph. The test is structural and
    conservative: any other shape answers False, and such a query runs where every graph is.
    """
    if req.form not in ("SELECT", "ASK") or req.dataset_spans:
        return False
    toks = tokens(req.text[req.prologue_end :], req.prologue_end)
    i, parens = 0, 0
    while i < len(toks) and toks[i].text != "{":  # the head: SELECT … WHERE
        parens += {"(": 1, ")": -1}.get(toks[i].text, 0) if toks[i].kind == "other" else 0
        i += 1
    if i >= len(toks) or parens:
        return False
    i += 1
    while i < len(toks):
        tok = toks[i]
        up = tok.upper if tok.kind == "word" else ""
        if tok.text == "}" and tok.kind == "other":
            i += 1
            break
        if up == "GRAPH":
            if i + 2 >= len(toks) or toks[i + 1].kind not in ("var", "iri", "word"):
                return False
            if toks[i + 2].text != "{":
                return False
            i = _skip_group(toks, i + 2, "{", "}", True)
        elif up in ("FILTER", "BIND"):
            j = i + 1
            if j < len(toks) and toks[j].kind in ("word", "iri") and up == "FILTER":
                j += 1  # a function call: FILTER regex(…), FILTER <f>(…)
            if j >= len(toks) or toks[j].text != "(":
                return False
            i = _skip_group(toks, j, "(", ")", False)
        elif up == "VALUES":
            i = _skip_values(toks, i + 1)
        elif tok.kind == "other" and tok.text == ".":
            i += 1
        else:
            return False
        if i < 0:
            return False
    else:
        return False  # the group never closed
    while i < len(toks):  # solution modifiers: no group but a VALUES block
        tok = toks[i]
        if tok.kind == "word" and tok.upper == "VALUES":
            i = _skip_values(toks, i + 1)
            if i < 0:
                return False
            continue
        if tok.kind == "other" and tok.text in ("{", "}"):
            return False
        i += 1
    return True
