"""The scoring formula language's words and tree: errors with positions, the tree's nodes, the
tokenizer and the function names with their argument counts (formula.py has the grammar)."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

MAX_LENGTH = 2000
MAX_DEPTH = 64  # parentheses, calls and unary operators nested in one another
MAX_HEIGHT = 128  # the tree's height, so long operator chains cannot exhaust the stack
KEYWORDS = frozenset({"and", "or", "not"})
COMPARISONS = ("<=", ">=", "==", "!=", "<", ">")
SYMBOLS = ("<=", ">=", "==", "!=", "<", ">", "+", "-", "*", "/", "^", "(", ")", ",")


class FormulaError(Exception):
    """What is wrong with a formula and where (0-based character offset into its text)."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at {position})")
        self.message = message
        self.position = position


# The tree. Positions are left out of equality so a printed and re-parsed tree compares equal.


@dataclass(frozen=True)
class Num:
    value: float
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Name:
    name: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Unary:
    op: str  # "-", "+", "not"
    operand: Expr
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Binary:
    op: str
    left: Expr
    right: Expr
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Call:
    func: str
    args: tuple[Expr, ...]
    pos: int = field(default=0, compare=False)


type Expr = Num | Name | Unary | Binary | Call


@dataclass(frozen=True)
class Token:
    kind: str  # "num", "name", "op", "end"
    text: str
    pos: int


# Tokenizer ------------------------------------------------------------------------------------


def _is_name_start(ch: str) -> bool:
    return ch.isascii() and (ch.isalpha() or ch == "_")


def _is_name_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def _number_end(text: str, i: int) -> int:
    j = i
    while j < len(text) and text[j].isascii() and text[j].isdigit():
        j += 1
    if j < len(text) and text[j] == ".":
        j += 1
        while j < len(text) and text[j].isascii() and text[j].isdigit():
            j += 1
    if j < len(text) and text[j] in "eE":
        k = j + 1
        if k < len(text) and text[k] in "+-":
            k += 1
        if k < len(text) and text[k].isascii() and text[k].isdigit():
            j = k
            while j < len(text) and text[j].isascii() and text[j].isdigit():
                j += 1
    return j


def _name_end(text: str, i: int) -> int:
    j = i
    while j < len(text) and _is_name_char(text[j]):
        j += 1
    # a dotted part must start like a name: "metric.mau" yes, "a." or "a.1" no
    while j + 1 < len(text) and text[j] == "." and _is_name_start(text[j + 1]):
        j += 1
        while j < len(text) and _is_name_char(text[j]):
            j += 1
    return j


def _read_token(text: str, i: int) -> Token:
    ch = text[i]
    if (ch.isascii() and ch.isdigit()) or (
        ch == "." and i + 1 < len(text) and text[i + 1].isascii() and text[i + 1].isdigit()
    ):
        return Token("num", text[i : _number_end(text, i)], i)
    if _is_name_start(ch):
        return Token("name", text[i : _name_end(text, i)], i)
    for symbol in SYMBOLS:
        if text.startswith(symbol, i):
            return Token("op", symbol, i)
    hint = " (use ^ for powers)" if text.startswith("**", i) else ""
    if ch == "=":
        hint = " (use == to compare)"
    raise FormulaError(f"unexpected character {ch!r}{hint}", i)


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            f"the formula is {len(text)} characters long; at most {MAX_LENGTH} are allowed",
            MAX_LENGTH,
        )
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        if text[i] in " \t\r\n":
            i += 1
            continue
        if text.startswith("**", i):
            raise FormulaError("unexpected '**' (use ^ for powers)", i)
        token = _read_token(text, i)
        tokens.append(token)
        i += len(token.text)
    tokens.append(Token("end", "", len(text)))
    return tokens


def _describe(tok: Token) -> str:
    return "the end of the formula" if tok.kind == "end" else repr(tok.text)


def _number(tok: Token) -> Num:
    value = float(tok.text)
    if not math.isfinite(value):
        raise FormulaError(f"the number {tok.text} is too large", tok.pos)
    return Num(value, tok.pos)


def _unknown(what: str, name: str, known: Iterable[str]) -> str:
    known = sorted(known)
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" — did you mean '{close[0]}'?" if close else ""
    listed = ", ".join(known[:30]) + (", …" if len(known) > 30 else "")
    return f"unknown {what} '{name}'{hint} Known: {listed or 'none'}"


ARITY: dict[str, tuple[int, int]] = {
    "kano": (2, 2),
    "min": (1, 64),
    "max": (1, 64),
    "abs": (1, 1),
    "sqrt": (1, 1),
    "log": (1, 1),
    "log10": (1, 1),
    "exp": (1, 1),
    "round": (1, 2),
    "clamp": (3, 3),
    "if": (3, 3),
}
