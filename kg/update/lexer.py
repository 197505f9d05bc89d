"""A small SPARQL Update tokenizer: splits a request into operations and finds text spans.

It does not validate anything; it only knows enough of the lexical grammar (strings, IRIs,
comments, braces) to find, at brace depth 0, the operation separators, the prologue
declarations and the ``{ … }`` groups, so that the original text of a ``WHERE`` group or of
an ``INSERT DATA`` block can be handed to Oxigraph unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\"
      | '''(?:[^'\\]|\\.|'(?!''))*'''
      | \"(?:[^\"\\\n\r]|\\.)*\"
      | '(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<word>(?:[A-Za-z0-9_\u00B7\u00C0-\uFFFF:%\-]|\\.)(?:[A-Za-z0-9_\u00B7\u00C0-\uFFFF:%\-.]|\\.)*)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str  # string, iri, var, word, punct
    text: str
    start: int
    end: int
    depth: int  # brace depth before this token

    def is_kw(self, word: str) -> bool:
        return self.kind == "word" and self.text.upper() == word


@dataclass
class Operation:
    """One operation of a request: its prologue (all declarations so far) and its tokens."""

    source: str
    prologue: str = ""
    tokens: list[Token] = field(default_factory=list)

    @property
    def keyword(self) -> str:
        return self.tokens[0].text.upper() if self.tokens else ""

    def group_after(self, index: int) -> tuple[int, int] | None:
        """The span of the ``{ … }`` group whose opening brace is token ``index``."""
        opening = self.tokens[index]
        if opening.text != "{":
            return None
        for tok in self.tokens[index + 1 :]:
            if tok.text == "}" and tok.depth == opening.depth:
                return opening.start, tok.end
        return None

    def top_level_index(self, word: str, *, last: bool = False) -> int | None:
        hits = [i for i, t in enumerate(self.tokens) if t.depth == 0 and t.is_kw(word)]
        if not hits:
            return None
        return hits[-1] if last else hits[0]


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` (whitespace and comments dropped), each with its brace depth."""
    tokens: list[Token] = []
    depth = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        if kind in ("ws", "comment"):
            continue
        value = m.group()
        if value == "}":
            depth -= 1
        tokens.append(Token(kind, value, m.start(), m.end(), depth))
        if value == "{":
            depth += 1
    return tokens


def split_request(text: str) -> list[Operation]:
    """Split a request into operations (empty ones dropped), each with its prologue text.

    Returns an empty list's worth of operations for malformed input too; callers check the
    count against the parser's.
    """
    tokens = tokenize(text)
    ops: list[Operation] = []
    prologue: list[str] = []
    current = Operation(text)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.depth == 0 and not current.tokens:
            if tok.is_kw("PREFIX") and i + 2 < len(tokens) and tokens[i + 2].kind == "iri":
                prologue.append(text[tok.start : tokens[i + 2].end])
                i += 3
                continue
            if tok.is_kw("BASE") and i + 1 < len(tokens) and tokens[i + 1].kind == "iri":
                prologue.append(text[tok.start : tokens[i + 1].end])
                i += 2
                continue
        if tok.depth == 0 and tok.text == ";":
            if current.tokens:
                ops.append(current)
            current = Operation(text)
            i += 1
            continue
        if not current.tokens:
            current.prologue = "\n".join(prologue)
        current.tokens.append(tok)
        i += 1
    if current.tokens:
        ops.append(current)
    return ops


def has_keyword(tokens: list[Token], word: str) -> bool:
    """Whether ``word`` may occur as a keyword anywhere; errs on the side of yes.

    A word token without ``:`` that is ``word`` or ends in ``.word`` counts (``1.SERVICE`` lexes
    as one token here but as a number, a dot and a keyword in a SPARQL parser).
    """
    pattern = re.compile(rf"(?:^|.*\.){re.escape(word)}", re.IGNORECASE)
    return any(t.kind == "word" and ":" not in t.text and pattern.fullmatch(t.text) for t in tokens)
