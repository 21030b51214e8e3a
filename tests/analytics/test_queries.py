"""parse_query: JSON, form and query-string data → a checked InsightQuery, and back."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import pytest
from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from quarterdeck.analytics.export import rows_csv
from quarterdeck.analytics.queries import parse_query
from quarterdeck.lib.errors import InvalidInput
from quarterdeck.metrics.insights import KINDS

TODAY = dt.date(2024, 3, 31)


def test_query_string_with_repeated_steps_and_empty_form_fields() -> None:
    data = QueryDict(
        "kind=funnel&product_id=3&start=2024-03-01&end=2024-03-07&events=Viewed&events=Bought"
        "&where=plan%3Dpro&window_days=2&mode=&periods=5&grain="
    )
    query = parse_query(data)
    assert (query.kind, query.product_id, query.start, query.end) == (
        "funnel",
        3,
        dt.date(2024, 3, 1),
        dt.date(2024, 3, 7),
    )
    # periods does not apply to a funnel: dropped; empty fields are absent
    assert query.options == {
        "events": ["Viewed", "Bought"],
        "where": {"plan": "pro"},
        "window_days": 2,
    }


def test_last_days_rolls_and_is_kept_as_such() -> None:
    query = parse_query({"kind": "lifecycle", "last_days": "7"}, today=TODAY)
    assert (query.start, query.end) == (dt.date(2024, 3, 25), TODAY)
    assert query.to_data() == {"kind": "lifecycle", "last_days": 7}


def test_steps_with_their_own_conditions_and_several_measures() -> None:
    step = {"event": "Page Viewed", "where": {"path": "/plan"}}
    query = parse_query(
        {"kind": "funnel", "events": [step, "Route Optimized"], "last_days": 30}, today=TODAY
    )
    assert query.options["events"] == [step, "Route Optimized"]
    measures = parse_query(
        {"kind": "active-users", "measure": ["dau", "wau", "dau"], "last_days": 3}, today=TODAY
    )
    assert measures.options["measure"] == "dau,wau"


def test_every_error_is_reported_at_once() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_query({"kind": "retention", "start": "2024-02-30", "periods": 0, "colour": "red"})
    assert set(caught.value.fields) == {"start", "end", "periods", "colour"}
    assert caught.value.fields["start"] == ["'2024-02-30' is not a date; write it as YYYY-MM-DD."]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "funnel", "events": ["a", ""], "last_days": 1}, "events"),
        ({"kind": "funnel", "events": [{"event": "a", "x": 1}, "b"], "last_days": 1}, "events"),
        ({"kind": "funnel", "events": ["a", "b"], "features": [1], "last_days": 1}, "features"),
        ({"kind": "feature-adoption", "events": ["a", "b"], "last_days": 1}, "events"),
        ({"kind": "feature-adoption", "last_days": 1}, "events"),
        ({"kind": "retention", "events": ["a", "b", "c"], "last_days": 1}, "events"),
        ({"kind": "lifecycle", "where": ["plan"], "last_days": 1}, "where"),
        ({"kind": "lifecycle", "features": ["x"], "last_days": 1}, "features"),
        ({"kind": "lifecycle", "product_id": True, "last_days": 1}, "product_id"),
        ({"kind": "lifecycle", "last_days": 0}, "last_days"),
        ({"kind": "active-users", "measure": "dau,wau", "breakdown": "plan"}, "breakdown"),
        ({"kind": "lifecycle", "grain": "hour", "last_days": 1}, "grain"),
        ({"kind": "lifecycle", "actor": "team", "last_days": 1}, "actor"),
        ({"kind": "feature-adoption", "events": ["a"], "denominator": "eligible"}, "denominator"),
    ],
)  # fmt: skip
def test_bad_options_name_their_field(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_query(data, today=TODAY)
    assert field in caught.value.fields, caught.value.fields


OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "grain": st.sampled_from(["day", "week", "month"]),
        "actor": st.sampled_from(["user", "account"]),
        "periods": st.integers(1, 400),
        "window_days": st.integers(1, 366),
        "measure": st.sampled_from(["dau", "wau,mau", "stickiness"]),
        "breakdown": st.sampled_from(["plan", "country", "account"]),
        "time_zone": st.sampled_from(["UTC", "Europe/Berlin", "America/New_York"]),
        "events": st.lists(st.sampled_from(["Viewed", "Bought", "*"]), min_size=2, max_size=2),
        "product_id": st.integers(1, 10**6),
    },
)


@given(kind=st.sampled_from(KINDS), options=OPTIONS, days=st.integers(0, 400))
def test_to_data_reads_back_as_the_same_query(
    kind: str, options: dict[str, Any], days: int
) -> None:
    if kind in ("feature-adoption", "retention") and "events" in options:
        options = {**options, "events": options["events"][:1]}
    if kind == "feature-adoption" and "events" not in options:
        options = {**options, "events": ["Viewed"]}
    if kind == "funnel" and "events" not in options:
        options = {**options, "events": ["Viewed", "Bought"]}
    if "," in options.get("measure", "") and "breakdown" in options:
        options = {k: v for k, v in options.items() if k != "breakdown"}
    start = dt.date(2024, 1, 1)
    data = {"kind": kind, "start": start, "end": start + dt.timedelta(days=days), **options}
    query = parse_query(data)
    assert parse_query(query.to_data()) == query


def test_csv_quotes_formula_text_but_not_negative_numbers() -> None:
    rows: list[dict[str, object]] = [
        {"period": "2024-03-01", "breakdown": "=HYPERLINK(1)", "dormant": -3},
        {"period": "2024-03-02", "breakdown": None, "dormant": 0, "extra": 1.5},
    ]
    assert rows_csv(rows) == (
        "period,breakdown,dormant,extra\n2024-03-01,'=HYPERLINK(1),-3,\n2024-03-02,,0,1.5\n"
    )
    assert rows_csv([]) == ""


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
KEYS = st.sampled_from(
    ["kind", "start", "end", "last_days", "events", "where", "features", "measure", "grain",
     "mode", "periods", "window_days", "breakdown", "time_zone", "min_uses", "product_id"]
)  # fmt: skip


@settings(deadline=None, max_examples=300)
@given(
    data=st.dictionaries(KEYS, JSON | st.sampled_from(["2024-03-01", "funnel", "day", "dau"])),
    kind=st.sampled_from(KINDS),
)
def test_any_input_is_a_query_or_a_clear_error(data: dict[str, Any], kind: str) -> None:
    """Whatever arrives, the answer is a query the engine accepts, or InvalidInput — never a
    crash (the API's 400 instead of a 500)."""
    from quarterdeck.analytics.services import prepare

    data = {"kind": kind, "last_days": 10, **data}
    data.pop("product_id", None)
    data.pop("features", None)  # both need the database; covered by the API tests
    with contextlib.suppress(InvalidInput):
        prepare(None, parse_query(data, today=TODAY))
