"""The expression language of declared validation rules: a safe parser (no ``eval``) and its syntax tree.

An expression combines indicators (by id) and numbers::

    EGDI.OSI                         an indicator (ids that are not plain names go in brackets: [17-8-1])
    0.5 * [ITU.IDI.ACCESS] + 2       arithmetic: + - * / and parentheses
    mean(EGDI.OSI, EGDI.HCI, EGDI.TII)   mean, sum, min, max over indicators
    sum([kz.internet_users] over regions)   … or over a dimension: the regions of a country, or the
                                             values of a disaggregation (over sex, over age)
    weighted(A: 0.3, B: 0.7)         a weighted mean (Σ w·x / Σ w)

The parser returns a tree of frozen nodes (:class:`Number`, :class:`Ref`, :class:`Negate`,
:class:`Binary`, :class:`Call`, :class:`Over`, :class:`Weighted`); :func:`references` lists
the indicators an expression reads.  Anything else (an unknown function, a stray character,
an unclosed bracket) raises :class:`ExpressionError` naming the character where it went wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import FrameworkError

__all__ = [
    "AGGREGATES",
    "Binary",
    "Call",
    "Expression",
    "ExpressionError",
    "Negate",
    "Number",
    "Over",
    "Ref",
    "Weighted",
    "parse_expression",
    "references",
]

#: Functions that combine several values into one.
AGGREGATES = ("mean", "sum", "min", "max")

#: The longest expression accepted, in characters (a rule is a line, not a program).
MAX_LENGTH = 2000


class ExpressionError(FrameworkError):
    """An expression of a validation rule cannot be read (the message names the character)."""


@dataclass(frozen=True)
class Number:
    value: float


@dataclass(frozen=True)
class Ref:
    indicator: str


@dataclass(frozen=True)
class Negate:
    operand: Expression


@dataclass(frozen=True)
class Binary:
    op: str
    left: Expression
    right: Expression


@dataclass(frozen=True)
class Call:
    """``mean/sum/min/max`` of several expressions."""

    function: str
    args: tuple[Expression, ...]


@dataclass(frozen=True)
class Over:
    """``mean/sum/min/max`` of one indicator over a dimension (``regions`` or a disaggregation name)."""

    function: str
    indicator: str
    dimension: str


@dataclass(frozen=True)
class Weighted:
    """A weighted mean of expressions, weights given as numbers."""

    terms: tuple[tuple[Expression, float], ...]


Expression = Number | Ref | Negate | Binary | Call | Over | Weighted

_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_.]*)"
    r"|\[(?P<bracket>[^\[\]]+)\]"
    r"|(?P<op>[-+*/(),:]))"
)


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            start = len(text) - len(text[pos:].lstrip())
            raise ExpressionError(f"unexpected {text[start]!r} at character {start + 1} of {text!r}")
        kind = m.lastgroup or "op"
        out.append((kind, m.group(kind).strip(), m.start(kind) + 1))
        pos = m.end()
    out.append(("end", "", len(text) + 1))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def fail(self, what: str) -> ExpressionError:
        kind, value, at = self.peek()
        found = "the end" if kind == "end" else repr(value)
        return ExpressionError(f"expected {what} at character {at} of {self.text!r}, found {found}")

    def take(self, value: str) -> None:
        if self.peek()[1] != value or self.peek()[0] not in ("op", "name"):
            raise self.fail(repr(value))
        self.i += 1

    def expression(self) -> Expression:
        node = self.term()
        while self.peek()[0] == "op" and self.peek()[1] in "+-":
            op = self.peek()[1]
            self.i += 1
            node = Binary(op, node, self.term())
        return node

    def term(self) -> Expression:
        node = self.factor()
        while self.peek()[0] == "op" and self.peek()[1] in "*/":
            op = self.peek()[1]
            self.i += 1
            node = Binary(op, node, self.factor())
        return node

    def factor(self) -> Expression:
        kind, value, _ = self.peek()
        if kind == "number":
            self.i += 1
            return Number(float(value))
        if kind == "bracket":
            self.i += 1
            return Ref(value.strip())
        if kind == "op" and value == "-":
            self.i += 1
            return Negate(self.factor())
        if kind == "op" and value == "(":
            self.i += 1
            node = self.expression()
            self.take(")")
            return node
        if kind == "name":
            self.i += 1
            if self.peek()[1] == "(" and self.peek()[0] == "op":
                return self.call(value)
            return Ref(value)
        raise self.fail("an indicator, a number, a function or '('")

    def call(self, function: str) -> Expression:
        at = self.tokens[self.i - 1][2]
        self.take("(")
        if function == "weighted":
            return self.weighted()
        if function not in AGGREGATES:
            known = ", ".join((*AGGREGATES, "weighted"))
            raise ExpressionError(f"unknown function {function!r} at character {at} of {self.text!r} (use {known})")
        first = self.expression()
        if self.peek()[:2] == ("name", "over"):
            self.i += 1
            if not isinstance(first, Ref):
                raise ExpressionError(
                    f"{function}(… over …) at character {at} of {self.text!r} takes one indicator, not an expression"
                )
            kind, dim, _ = self.peek()
            if kind != "name":
                raise self.fail("a dimension (regions, or a disaggregation such as sex)")
            self.i += 1
            self.take(")")
            return Over(function, first.indicator, dim)
        args = [first]
        while self.peek()[:2] == ("op", ","):
            self.i += 1
            args.append(self.expression())
        self.take(")")
        return Call(function, tuple(args))

    def weighted(self) -> Expression:
        terms = []
        while True:
            node = self.expression()
            self.take(":")
            sign = -1.0 if self.peek()[:2] == ("op", "-") else 1.0
            self.i += sign < 0
            kind, value, _ = self.peek()
            if kind != "number":
                raise self.fail("a number (the weight)")
            self.i += 1
            terms.append((node, sign * float(value)))
            if self.peek()[:2] != ("op", ","):
                break
            self.i += 1
        self.take(")")
        return Weighted(tuple(terms))


def parse_expression(text: str) -> Expression:
    """The syntax tree of ``text``; raises :class:`ExpressionError` naming where it cannot be read.

    >>> parse_expression("mean(EGDI.OSI, EGDI.HCI, EGDI.TII)")  # doctest: +NORMALIZE_WHITESPACE
    Call(function='mean', args=(Ref(indicator='EGDI.OSI'), Ref(indicator='EGDI.HCI'), Ref(indicator='EGDI.TII')))
    >>> parse_expression("sum([17-8-1] over regions)")
    Over(function='sum', indicator='17-8-1', dimension='regions')
    >>> parse_expression("2 * (A - B) / C")
    Binary(op='/', left=Binary(op='*', left=Number(value=2.0), right=Binary(op='-', left=Ref(indicator='A'), \
right=Ref(indicator='B'))), right=Ref(indicator='C'))
    >>> parse_expression("mean(A, B")
    Traceback (most recent call last):
    ...
    sandyq.framework._expression.ExpressionError: expected ')' at character 10 of 'mean(A, B', found the end
    """
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("an expression must be non-empty text")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"an expression may have at most {MAX_LENGTH} characters, not {len(text)}")
    parser = _Parser(text)
    try:
        node = parser.expression()
    except RecursionError:
        raise ExpressionError(f"{text[:40]!r}…: nested too deeply") from None
    if parser.peek()[0] != "end":
        raise parser.fail("an operator or the end")
    return node


def references(node: Expression, *, dimensions: bool = True) -> list[str]:
    """The indicators ``node`` reads, each once, in order of appearance (without ``dimensions``: not those
    aggregated over a dimension, which read other geographies or categories).

    >>> references(parse_expression("weighted(A: 1, mean(B, [c-1]): 2) + sum(A over regions)"))
    ['A', 'B', 'c-1']
    """
    found: dict[str, None] = {}

    def walk(n: Expression) -> None:
        if isinstance(n, Ref) or (isinstance(n, Over) and dimensions):
            found[n.indicator] = None
        elif isinstance(n, Negate):
            walk(n.operand)
        elif isinstance(n, Binary):
            walk(n.left)
            walk(n.right)
        elif isinstance(n, Call):
            for a in n.args:
                walk(a)
        elif isinstance(n, Weighted):
            for t, _ in n.terms:
                walk(t)

    walk(node)
    return list(found)
