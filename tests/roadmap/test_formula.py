"""The scoring formula language: values, errors with positions, and hypothesis fuzzing."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quarterdeck.roadmap import formula
from quarterdeck.roadmap.formula import Binary, Call, FormulaError, Name, Num, Unary

VALUES = {"reach": 500.0, "impact": 2.0, "confidence": 80.0, "effort": 4.0, "metric.mau": 10.0}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("reach * impact * (confidence / 100) / effort", 200.0),
        ("2 ^ 3 ^ 2", 512.0),
        ("-2 ^ 2", -4.0),
        ("2 ^ -1", 0.5),
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("metric.mau * 2", 20.0),
        ("1 < 2", 1.0),
        ("2 <= 1", 0.0),
        ("1 == 1 and 2 != 2", 0.0),
        ("not 0 or 0", 1.0),
        ("if(effort > 0, reach / effort, 0)", 125.0),
        ("if(0, 1 / 0, 3)", 3.0),  # the branch not taken is not computed
        ("clamp(15, 0, 10) + min(3, 1, 2) + max(1, 2) + abs(-1)", 14.0),
        ("round(2.567, 2)", 2.57),
        ("sqrt(16) + log10(100) + log(exp(1))", 7.0),
        ("kano(1, 5) + kano(2, 5) + kano(1, 3)", 2.0 + 3.0 + 1.0),
        (".5 + 1e2 + 2.5E-1", 100.75),
    ],
)
def test_values(text: str, value: float) -> None:
    assert formula.calculate(text, VALUES) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("reech * 2", 0, "did you mean 'reach'"),
        ("reach ** 2", 6, "use ^"),
        ("reach = 2", 6, "=="),
        ("1 / (effort - 4)", 2, "division by zero"),
        ("sqrt(-1)", 0, "sqrt()"),
        ("log(0)", 0, "log()"),
        ("10 ^ 400", 3, "too large"),
        ("exp(1000)", 0, "exp()"),
        ("(-8) ^ 0.5", 5, "not a real number"),
        ("1 < 2 < 3", 6, "chained"),
        ("(1 + 2", 6, "to close the '('"),
        ("min(1, 2", 8, "to close the call"),
        ("foo(1)", 0, "unknown function"),
        ("clamp(1, 2)", 0, "takes 3 arguments"),
        ("1 2", 2, "missing an operator"),
        ("", 0, "empty"),
        ("1 +", 3, "the end of the formula"),
        ("a. + 1", 1, "unexpected character"),
        ("1e999", 0, "too large"),
    ],
)
def test_errors_name_the_problem_and_the_position(text: str, position: int, words: str) -> None:
    with pytest.raises(FormulaError) as caught:
        formula.calculate(text, VALUES)
    assert caught.value.position == position
    assert words in caught.value.message


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(FormulaError) as caught:
        formula.calculate("reech", {"reach": 1.0, "effort": 2.0})
    assert (
        caught.value.message == "unknown name 'reech' — did you mean 'reach'? Known: effort, reach"
    )


def test_caret_points_at_the_position() -> None:
    assert formula.caret("a + * b", 4) == "a + * b\n    ^"
    assert formula.caret("a +\nb *", 7) == "b *\n   ^"


def test_limits_are_refused_cleanly() -> None:
    for text in ("(" * 100 + "1" + ")" * 100, "-" * 100 + "1", "not " * 100 + "1"):
        with pytest.raises(FormulaError, match="nested more than 64"):
            formula.parse(text)
    with pytest.raises(FormulaError, match="chains more than"):
        formula.parse("+".join(["1"] * 500))
    with pytest.raises(FormulaError, match="at most 2000") as caught:
        formula.parse("1" * 2001)
    assert caught.value.position == 2000


def test_names_and_check_names() -> None:
    expr = formula.parse("if(reach > 0, demand * reach, metric.mau)")
    assert formula.names(expr) == {"reach", "demand", "metric.mau"}
    with pytest.raises(FormulaError) as caught:
        formula.check_names(expr, {"reach", "demand"})
    assert caught.value.position == 30


# Hypothesis ---------------------------------------------------------------------------------

PIECES = ["and", "or", "not", "min(", "if(", "clamp(", "sqrt(", "log(", "é", "\x00", "**"]
ALPHABET = st.sampled_from([*"abcxyz_.0123456789+-*/^()<>=!, \t", *PIECES])
FUZZ_VALUES = {"a": 1.5, "b": -2.0, "c": 0.0, "x": 1e300, "y": 3.0, "z": -1e-300}


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(ALPHABET, max_size=40).map("".join)))
def test_any_text_gives_a_value_or_a_positioned_error(text: str) -> None:
    outcome: float | FormulaError
    try:
        outcome = formula.calculate(text, FUZZ_VALUES)
    except FormulaError as exc:
        outcome = exc
    if isinstance(outcome, FormulaError):
        assert 0 <= outcome.position <= len(text)
        assert outcome.message
    else:
        assert math.isfinite(outcome)


NAMES = st.sampled_from(["a", "b", "c", "metric.y"])
LEAF = st.one_of(st.floats(min_value=0, max_value=1e6, allow_nan=False).map(Num), NAMES.map(Name))
ARITH = ["+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "and", "or"]


def _extend(children: st.SearchStrategy[formula.Expr]) -> st.SearchStrategy[formula.Expr]:
    return st.one_of(
        st.builds(Binary, st.sampled_from(ARITH), children, children),
        st.builds(Unary, st.sampled_from(["-", "+", "not"]), children),
        st.builds(lambda a, b: Call("max", (a, b)), children, children),
        st.builds(lambda c, a, b: Call("if", (c, a, b)), children, children, children),
        st.builds(lambda a: Call("abs", (a,)), children),
    )


TREES = st.recursive(LEAF, _extend, max_leaves=25)
TREE_VALUES = {"a": 2.0, "b": -3.0, "c": 0.5, "metric.y": 7.0}


def direct(expr: formula.Expr) -> float:
    """A straightforward computation of the tree, independent of the evaluator."""
    match expr:
        case Num(value=v):
            return v
        case Name(name=n):
            return TREE_VALUES[n]
        case Unary(op=op, operand=o):
            v = direct(o)
            return -v if op == "-" else v if op == "+" else float(not v)
        case Binary(op="and", left=left, right=right):  # short-circuits, like the evaluator
            return float(bool(direct(left)) and bool(direct(right)))
        case Binary(op="or", left=left, right=right):
            return float(bool(direct(left)) or bool(direct(right)))
        case Binary(op=op, left=left, right=right):
            a, b = direct(left), direct(right)
            ops = {"+": a + b, "-": a - b, "*": a * b, "<": a < b, "<=": a <= b, ">": a > b,
                   ">=": a >= b, "==": a == b, "!=": a != b}  # fmt: skip
            if op == "/":
                if b == 0:
                    raise ZeroDivisionError
                return a / b
            return float(ops[op])
        case Call(func="max", args=args):
            return max(direct(x) for x in args)
        case Call(func="abs", args=args):
            return abs(direct(args[0]))
        case Call(func="if", args=args):
            return direct(args[1]) if direct(args[0]) else direct(args[2])
    raise AssertionError(expr)


@settings(max_examples=300, deadline=None)
@given(TREES)
def test_printed_trees_parse_back_and_evaluate_like_a_direct_computation(
    tree: formula.Expr,
) -> None:
    text = formula.to_text(tree)
    assert formula.parse(text) == tree
    try:
        expected = direct(tree)
    except (ZeroDivisionError, OverflowError):
        with pytest.raises(FormulaError):
            formula.evaluate(tree, TREE_VALUES)
        return
    if not math.isfinite(expected):
        with pytest.raises(FormulaError):
            formula.evaluate(tree, TREE_VALUES)
        return
    assert formula.evaluate(tree, TREE_VALUES) == pytest.approx(expected)
