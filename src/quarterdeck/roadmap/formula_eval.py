"""The scoring formula language's evaluator: walks the tree; overflow, NaN, domain errors and
division by zero become FormulaError at the culprit's position. Includes the Kano table."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from quarterdeck.roadmap.formula_syntax import (
    COMPARISONS,
    Binary,
    Call,
    Expr,
    FormulaError,
    Name,
    Num,
    Unary,
    _unknown,
)

# Evaluation -----------------------------------------------------------------------------------


def _finite(value: float, pos: int, what: str) -> float:
    if not math.isfinite(value):
        raise FormulaError(f"{what} gives a number too large to compute", pos)
    return value


def _domain(func: Callable[..., float], pos: int, name: str, *args: float) -> float:
    try:
        return _finite(float(func(*args)), pos, f"{name}()")
    except (ValueError, OverflowError, ZeroDivisionError) as exc:
        raise FormulaError(f"{name}() is not defined for {_args(args)} ({exc})", pos) from None


def _args(args: tuple[float, ...]) -> str:
    return ", ".join(f"{a:g}" for a in args)


def _log(x: float) -> float:
    if x <= 0:
        raise ValueError("needs a number > 0")
    return math.log(x)


def _log10(x: float) -> float:
    if x <= 0:
        raise ValueError("needs a number > 0")
    return math.log10(x)


def _sqrt(x: float) -> float:
    if x < 0:
        raise ValueError("needs a number >= 0")
    return math.sqrt(x)


def _round(x: float, digits: float = 0) -> float:
    if digits != int(digits) or not -15 <= digits <= 15:
        raise ValueError("digits must be a whole number from -15 to 15")
    return float(round(x, int(digits)))


def _clamp(x: float, low: float, high: float) -> float:
    if low > high:
        raise ValueError("lo must not be above hi")
    return min(max(x, low), high)


# The standard Kano evaluation table. Answers: 1 like it, 2 expect it, 3 neutral, 4 can live
# with it, 5 dislike it; rows are the functional answer, columns the dysfunctional one.
KANO_TABLE = ("QAAAO", "RIIIM", "RIIIM", "RIIIM", "RRRRQ")
# Category → value: must-be first (missing it loses customers), then performance (one-
# dimensional), attractive, indifferent; reverse hurts; questionable answers count for nothing.
KANO_VALUES = {"M": 3.0, "O": 2.0, "A": 1.0, "I": 0.0, "R": -1.0, "Q": 0.0}


def kano_category(functional: float, dysfunctional: float) -> str:
    f, d = int(functional), int(dysfunctional)
    if f != functional or d != dysfunctional or not (1 <= f <= 5 and 1 <= d <= 5):
        raise ValueError("answers are whole numbers from 1 (like it) to 5 (dislike it)")
    return KANO_TABLE[f - 1][d - 1]


def _kano(functional: float, dysfunctional: float) -> float:
    return KANO_VALUES[kano_category(functional, dysfunctional)]


FUNCTIONS: dict[str, Callable[..., float]] = {
    "kano": _kano,
    "min": min,
    "max": max,
    "abs": abs,
    "sqrt": _sqrt,
    "log": _log,
    "log10": _log10,
    "exp": math.exp,
    "round": _round,
    "clamp": _clamp,
    "if": lambda c, a, b: a if c else b,  # evaluated lazily below
}


def _arith(op: str, a: float, b: float, pos: int) -> float:
    if op == "/" and b == 0:
        raise FormulaError("division by zero (guard it, e.g. if(effort > 0, x / effort, 0))", pos)
    if op == "^":
        try:
            return _finite(math.pow(a, b), pos, "'^'")
        except (ValueError, OverflowError, ZeroDivisionError):
            raise FormulaError(f"{a:g} ^ {b:g} is too large or not a real number", pos) from None
    result = {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else 0.0}[op]
    return _finite(result, pos, f"'{op}'")


def _compare(op: str, a: float, b: float) -> float:
    results = {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b}
    return 1.0 if results[op] else 0.0


class _Evaluator:
    def __init__(self, values: Mapping[str, float]) -> None:
        self.values = values

    def run(self, expr: Expr) -> float:
        match expr:
            case Num(value=value):
                return value
            case Name(name=name, pos=pos):
                return self.name(name, pos)
            case Unary(op=op, operand=operand):
                value = self.run(operand)
                return {"-": -value, "+": value}.get(op, 0.0 if value else 1.0)
            case Binary():
                return self.binary(expr)
            case Call():
                return self.call(expr)

    def name(self, name: str, pos: int) -> float:
        if name not in self.values:
            raise FormulaError(_unknown("name", name, self.values), pos)
        value = self.values[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FormulaError(f"the value of '{name}' is not a number", pos)
        return _finite(float(value), pos, f"'{name}'")

    def binary(self, expr: Binary) -> float:
        left = self.run(expr.left)
        if expr.op == "and":
            return 1.0 if left and self.run(expr.right) else 0.0
        if expr.op == "or":
            return 1.0 if left or self.run(expr.right) else 0.0
        right = self.run(expr.right)
        if expr.op in COMPARISONS:
            return _compare(expr.op, left, right)
        return _arith(expr.op, left, right, expr.pos)

    def call(self, expr: Call) -> float:
        if expr.func == "if":  # lazily, so the branch not taken may divide by zero
            chosen = expr.args[1] if self.run(expr.args[0]) else expr.args[2]
            return self.run(chosen)
        args = tuple(self.run(arg) for arg in expr.args)
        return _domain(FUNCTIONS[expr.func], expr.pos, expr.func, *args)


def evaluate(expr: Expr, values: Mapping[str, float]) -> float:
    """The value of a parsed formula; FormulaError on an unknown name, division by zero,
    overflow or a function outside its domain (with the position of the culprit)."""
    return _Evaluator(values).run(expr)
