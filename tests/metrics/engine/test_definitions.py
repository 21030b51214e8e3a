"""Bad definitions fail on construction with a DefinitionError naming the field."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from quarterdeck.metrics.engine import (
    ActiveUsers,
    Breakdown,
    Condition,
    DefinitionError,
    Eligibility,
    EventMatcher,
    Exclusion,
    FeatureAdoption,
    Funnel,
    Product,
    Retention,
    compile_sql,
)

JAN1 = date(2024, 1, 1)
SCOPE: dict[str, Any] = {"start": JAN1, "end": JAN1}
A, B = EventMatcher("A"), EventMatcher("B")


def bad(value: str) -> Any:
    """A value outside a Literal type, as it may arrive from JSON."""
    return value


@pytest.mark.parametrize(
    ("make", "field", "words"),
    [
        (
            lambda: ActiveUsers(**SCOPE, grain=bad("fortnight")),
            "grain",
            "'fortnight' is not one of",
        ),
        (lambda: ActiveUsers(**SCOPE, measure=bad("dmau")), "measure", "is not one of"),
        (lambda: ActiveUsers(start=JAN1, end=date(2023, 1, 1)), "end", "is before start"),
        (lambda: ActiveUsers(**SCOPE, time_zone="Mars/Olympus"), "time_zone", "IANA"),
        (lambda: ActiveUsers(**SCOPE, actor=bad("team")), "actor", "is not one of"),
        (lambda: Funnel(**SCOPE, steps=()), "steps", "needs 2 to 20 steps"),
        (lambda: Funnel(**SCOPE, steps=(A,)), "steps", "got 1"),
        (lambda: Funnel(**SCOPE, steps=(A, B), window=timedelta(0)), "window", "positive"),
        (
            lambda: Funnel(**SCOPE, steps=(A, B), exclusions=(Exclusion(B, 2, 3),)),
            "exclusions",
            "2-step funnel",
        ),
        (
            lambda: Funnel(**SCOPE, steps=(A, B), mode="unordered", exclusions=(Exclusion(B),)),
            "exclusions",
            "unordered",
        ),
        (lambda: FeatureAdoption(**SCOPE, feature=A, min_uses=0), "min_uses", "at least 1"),
        (
            lambda: FeatureAdoption(**SCOPE, feature=A, denominator="eligible"),
            "eligibility",
            "needs",
        ),
        (lambda: Retention(**SCOPE, start_event=A, periods=0), "periods", "between 1 and 400"),
        (lambda: Retention(**SCOPE, start_event=A, mode=bad("after")), "mode", "is not one of"),
        (lambda: Condition("plan", bad("like"), "x"), "condition on 'plan'", "unknown operator"),
        (lambda: Condition("plan", "gt", "10"), "condition on 'plan'", "needs a number"),
        (lambda: Condition("plan", "in", ()), "condition on 'plan'", "non-empty tuple"),
        (lambda: Condition("a'b"), 'condition on "a\'b"', "not a usable property name"),
        (lambda: Condition("password", on="column"), "condition on 'password'", "not a column"),
        (lambda: EventMatcher("A", row_type="identify"), "matcher 'A'", "row_type"),
        (lambda: Product("Empty"), "product 'Empty'", "source_ids"),
        (lambda: Breakdown(bad("colour")), "breakdown", "unknown 'colour'"),
        (lambda: Breakdown("property"), "breakdown", "not a usable property name"),
        (lambda: Eligibility(), "eligibility", "plans or a matcher"),
    ],
)
def test_bad_definitions(make: Any, field: str, words: str) -> None:
    with pytest.raises(DefinitionError, match=words) as caught:
        make()
    assert caught.value.field == field
    assert isinstance(caught.value, ValueError)


def test_an_unknown_dialect_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown dialect 'mysql'"):
        compile_sql(ActiveUsers(**SCOPE), "mysql")
