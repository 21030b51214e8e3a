"""Conditions typed one per line in the tracking forms."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quarterdeck.lib.errors import InvalidInput
from quarterdeck.metrics.conditions_text import format_text, parse_text
from quarterdeck.metrics.tracking import parse_conditions


@pytest.mark.parametrize(
    ("line", "condition"),
    [
        ("plan = pro", {"key": "plan", "op": "eq", "value": "pro"}),
        ("plan != free", {"key": "plan", "op": "neq", "value": "free"}),
        ("path ~ /routes/", {"key": "path", "op": "contains", "value": "/routes/"}),
        ("plan in pro, enterprise", {"key": "plan", "op": "in", "value": ["pro", "enterprise"]}),
        ("plan NOT IN free,trial", {"key": "plan", "op": "not_in", "value": ["free", "trial"]}),
        ("stops > 10", {"key": "stops", "op": "gt", "value": 10}),
        ("stops>=2.5", {"key": "stops", "op": "gte", "value": 2.5}),
        ("stops <= 3", {"key": "stops", "op": "lte", "value": 3}),
        ("coupon is set", {"key": "coupon", "op": "is_set"}),
        ("coupon is not set", {"key": "coupon", "op": "is_not_set"}),
        ("traits.plan = pro", {"key": "plan", "op": "eq", "value": "pro", "on": "traits"}),
        ("title = Route plan = v2", {"key": "title", "op": "eq", "value": "Route plan = v2"}),
    ],
)
def test_each_operator_reads_as_the_stored_shape(line: str, condition: dict[str, object]) -> None:
    assert parse_text(line) == [condition]
    assert parse_text(format_text([condition])) == [condition]
    parse_conditions([condition])  # and the engine accepts it


def test_blank_and_comment_lines_are_skipped() -> None:
    assert parse_text("\n# only pro accounts\nplan = pro\n\n") == [
        {"key": "plan", "op": "eq", "value": "pro"}
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("plan pro", "Line 1 (“plan pro”): expected a property, an operator and a value"),
        ("plan = pro\nstops > many", "Line 2 (“stops > many”): 'many' is not a number"),
        ("coupon is set yes", "“is set” takes no value"),
        ("plan =", "a value is missing"),
    ],
)
def test_a_bad_line_is_named_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_text(text)
    assert reason in caught.value.fields["conditions"][0]


@given(
    key=st.from_regex(r"[a-z_][a-z0-9_.$]{0,15}", fullmatch=True).filter(
        lambda k: not k.startswith("traits.")
    ),
    value=st.from_regex(r"[A-Za-z0-9/_-][A-Za-z0-9 /_.-]{0,20}[A-Za-z0-9/_-]", fullmatch=True),
    op=st.sampled_from(["eq", "neq", "contains"]),
)
def test_text_conditions_round_trip(key: str, value: str, op: str) -> None:
    condition = {"key": key, "op": op, "value": value}
    assert parse_text(format_text([condition])) == [condition]
