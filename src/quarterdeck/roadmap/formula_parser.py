"""The scoring formula language's parser: a Pratt parser from tokens to the tree (formula.py
has the grammar). Recursion only goes one level per nesting, so the limits keep it shallow."""

from __future__ import annotations

from collections.abc import Callable

from quarterdeck.roadmap.formula_syntax import (
    ARITY,
    COMPARISONS,
    KEYWORDS,
    MAX_DEPTH,
    MAX_HEIGHT,
    Binary,
    Call,
    Expr,
    FormulaError,
    Name,
    Token,
    Unary,
    _describe,
    _number,
    _unknown,
    tokenize,
)

# Parser (Pratt: one function per nesting level keeps the stack shallow) -----------------------

# Left binding powers of the infix operators; "^" is right-associative.
INFIX = {"or": 1, "and": 2, **dict.fromkeys(COMPARISONS, 4), "+": 5, "-": 5, "*": 6, "/": 6, "^": 8}
NOT_POWER = 3  # "not" takes a comparison: not a < b is not (a < b)
UNARY_POWER = 7  # "-" binds tighter than * but looser than ^: -2^2 is -(2^2)


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        self.heights: dict[int, int] = {}

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def is_op(self, *texts: str) -> bool:
        return self.tok.kind == "op" and self.tok.text in texts

    def take(self) -> Token:
        token = self.tok
        self.i += 1
        return token

    def expect(self, text: str, context: str) -> Token:
        if not self.is_op(text):
            found = _describe(self.tok)
            raise FormulaError(f"expected {text!r} {context}, found {found}", self.tok.pos)
        return self.take()

    def node[N: (Unary, Binary, Call)](self, node: N, *children: Expr) -> N:
        height = 1 + max((self.heights.get(id(c), 1) for c in children), default=0)
        if height > MAX_HEIGHT:
            raise FormulaError(
                f"the formula chains more than {MAX_HEIGHT} operations; simplify it", node.pos
            )
        self.heights[id(node)] = height
        return node

    def nested[T](self, pos: int, parse: Callable[[], T]) -> T:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(
                f"the formula is nested more than {MAX_DEPTH} levels deep; simplify it", pos
            )
        result = parse()
        self.depth -= 1
        return result

    def parse(self) -> Expr:
        if self.tok.kind == "end":
            raise FormulaError("the formula is empty; write e.g. reach * impact / effort", 0)
        expr = self.expr(0)
        if self.tok.kind != "end":
            raise FormulaError(
                f"unexpected {_describe(self.tok)} after a complete expression "
                "(missing an operator?)",
                self.tok.pos,
            )
        return expr

    def infix_power(self) -> int:
        tok = self.tok
        if tok.kind == "op" or (tok.kind == "name" and tok.text in ("and", "or")):
            return INFIX.get(tok.text, 0)
        return 0

    def expr(self, min_power: int) -> Expr:
        left = self.prefix()
        compared = False
        while (power := self.infix_power()) > min_power:
            op = self.take()
            if op.text in COMPARISONS and compared:
                raise FormulaError(
                    "comparisons cannot be chained; write (a < b) and (b < c)", op.pos
                )
            compared = op.text in COMPARISONS
            right = self.expr(power - 1 if op.text == "^" else power)
            left = self.node(Binary(op.text, left, right, op.pos), left, right)
        return left

    def prefix(self) -> Expr:
        tok = self.tok
        if self.is_op("-", "+") or (tok.kind == "name" and tok.text == "not"):
            self.take()
            power = NOT_POWER if tok.text == "not" else UNARY_POWER
            operand = self.nested(tok.pos, lambda: self.expr(power))
            return self.node(Unary(tok.text, operand, tok.pos), operand)
        return self.atom()

    def atom(self) -> Expr:
        tok = self.tok
        if tok.kind == "num":
            self.take()
            return _number(tok)
        if tok.kind == "name" and tok.text not in KEYWORDS:
            self.take()
            return self.call(tok) if self.is_op("(") else Name(tok.text, tok.pos)
        if self.is_op("("):
            self.take()
            inner = self.nested(tok.pos, lambda: self.expr(0))
            self.expect(")", f"to close the '(' at {tok.pos}")
            return inner
        raise FormulaError(f"expected a number, a name or '(', found {_describe(tok)}", tok.pos)

    def call(self, name: Token) -> Expr:
        if name.text not in ARITY:
            raise FormulaError(_unknown("function", name.text, ARITY), name.pos)
        self.take()
        args = tuple(self.nested(name.pos, self.arguments))
        self.expect(")", f"to close the call of {name.text}() at {name.pos}")
        _check_arity(name, len(args))
        return self.node(Call(name.text, args, name.pos), *args)

    def arguments(self) -> list[Expr]:
        args: list[Expr] = []
        if not self.is_op(")"):
            args.append(self.expr(0))
            while self.is_op(","):
                self.take()
                args.append(self.expr(0))
        return args


def _check_arity(name: Token, count: int) -> None:
    low, high = ARITY[name.text]
    if not low <= count <= high:
        wanted = str(low) if low == high else f"{low} to {high}"
        raise FormulaError(
            f"{name.text}() takes {wanted} argument{'s' if high != 1 else ''}, got {count}",
            name.pos,
        )


def parse(text: str) -> Expr:
    """The tree of a formula, or FormulaError pointing at the problem."""
    return _Parser(text).parse()
