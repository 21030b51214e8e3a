"""The scoring formula language: a small, safe expression language (never Python ``eval``).

    expr       := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := sum [("<" | "<=" | ">" | ">=" | "==" | "!=") sum]
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary)*
    unary      := ("-" | "+") unary | power
    power      := atom ["^" unary]            (right-associative: 2^3^2 = 2^9)
    atom       := NUMBER | NAME | NAME "(" [expr ("," expr)*] ")" | "(" expr ")"

Names are letters, digits and ``_`` with dotted parts (``metric.product_mau``). Comparisons and
``and``/``or``/``not`` give 1 or 0; any non-zero value is true. Every error is a FormulaError
with the 0-based character position it points at. Django-free.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from quarterdeck.roadmap.formula_eval import FUNCTIONS, KANO_VALUES, evaluate, kano_category
from quarterdeck.roadmap.formula_parser import parse
from quarterdeck.roadmap.formula_syntax import (
    ARITY,
    MAX_DEPTH,
    MAX_HEIGHT,
    MAX_LENGTH,
    Binary,
    Call,
    Expr,
    FormulaError,
    Name,
    Num,
    Unary,
    _unknown,
)

__all__ = [
    "ARITY", "FUNCTIONS", "KANO_VALUES", "MAX_DEPTH", "MAX_HEIGHT", "MAX_LENGTH", "Binary",
    "Call", "Expr", "FormulaError", "Name", "Num", "Unary", "calculate", "caret", "check_names",
    "evaluate", "kano_category", "names", "parse", "to_text", "walk",
]  # fmt: skip


def calculate(text: str, values: Mapping[str, float]) -> float:
    return evaluate(parse(text), values)


# Inspection and display -----------------------------------------------------------------------


def walk(expr: Expr) -> Iterable[Expr]:
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        yield node
        match node:
            case Unary(operand=operand):
                stack.append(operand)
            case Binary(left=left, right=right):
                stack.extend((right, left))
            case Call(args=args):
                stack.extend(reversed(args))
            case _:
                pass


def names(expr: Expr) -> set[str]:
    """Every name the formula reads."""
    return {node.name for node in walk(expr) if isinstance(node, Name)}


def check_names(expr: Expr, allowed: Iterable[str]) -> None:
    """FormulaError at the first name that is not in ``allowed``."""
    known = set(allowed)
    for node in walk(expr):
        if isinstance(node, Name) and node.name not in known:
            raise FormulaError(_unknown("name", node.name, known), node.pos)


def to_text(expr: Expr) -> str:
    """The formula as text, fully parenthesised (parses back to an equal tree)."""
    match expr:
        case Num(value=value):
            return repr(value)
        case Name(name=name):
            return name
        case Unary(op=op, operand=operand):
            gap = " " if op == "not" else ""
            return f"({op}{gap}{to_text(operand)})"
        case Binary(op=op, left=left, right=right):
            return f"({to_text(left)} {op} {to_text(right)})"
        case Call(func=func, args=args):
            return f"{func}({', '.join(to_text(arg) for arg in args)})"


def caret(text: str, position: int) -> str:
    """The formula's line holding ``position`` and a caret under it, for pages and the CLI."""
    position = max(0, min(position, len(text)))
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    line = text[start : end if end >= 0 else len(text)]
    return f"{line}\n{' ' * (position - start)}^"
