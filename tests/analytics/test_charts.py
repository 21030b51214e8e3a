"""Chart specs per result type: valid Vega-Lite 6 (checked against its JSON schema), drawing
exactly the result's rows, with the marks and encodings each chart promises; and the text
alternative (the table) of the same rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from altair.vegalite.v6.schema import load_schema

from quarterdeck.analytics.charts import chart_spec
from quarterdeck.analytics.tables import cell, table_of
from quarterdeck.metrics.engine.results import (
    Adoption,
    Bin,
    Cohort,
    FunnelResult,
    Histogram,
    LifecycleRow,
    LifecycleTable,
    MeanRow,
    Point,
    Ratio,
    Result,
    RetentionTable,
    Series,
    StepCount,
)

DAY = dt.date(2024, 3, 4)
VEGA_LITE = jsonschema.Draft7Validator(load_schema())  # built once: the schema is large


def days(n: int) -> list[dt.date]:
    return [DAY + dt.timedelta(days=i) for i in range(n)]


def several_measures() -> Series:
    """What the engine gives for measure "dau,wau,mau": the measure as the breakdown."""
    points = [Point(d, float(v * k), m) for d, v in zip(days(3), (3, 5, 4), strict=True)
              for m, k in (("dau", 1), ("wau", 2), ("mau", 3))]  # fmt: skip
    return Series("value", "day", tuple(points))


RESULTS: dict[str, Result] = {
    "series": Series("dau", "day", tuple(Point(d, float(i)) for i, d in enumerate(days(4)))),
    "series-measures": several_measures(),
    "series-breakdown": Series("dau", "day", (Point(DAY, 2.0, "pro"), Point(DAY, 5.0, "free"))),
    "adoption": Adoption((Ratio(3, 10, "Search"), Ratio(6, 10, "Maps"))),
    "adoption-all": Adoption((Ratio(3, 12),)),
    "retention": RetentionTable(
        2,
        (Cohort(DAY, 10, (10, 4, 2)), Cohort(DAY + dt.timedelta(days=7), 5, (5, 1, None))),
        (MeanRow((1.0, 5 / 15, 0.2)),),
    ),
    "funnel": FunnelResult((StepCount(1, "Signed Up", 100), StepCount(2, "Paid", 25))),
    "funnel-breakdown": FunnelResult(
        (StepCount(1, "A", 10, "pro"), StepCount(2, "B", 5, "pro"), StepCount(1, "A", 8, "free"))
    ),
    "lifecycle": LifecycleTable("week", (LifecycleRow(DAY, 4, 10, 2, -3),)),
    "lifecycle-breakdown": LifecycleTable(
        "week", (LifecycleRow(DAY, 4, 10, 2, -3, "pro"), LifecycleRow(DAY, 1, 2, 0, -1, "free"))
    ),
    "histogram": Histogram("day", (Bin(1, 7), Bin(2, 3), Bin(5, 1))),
}


def spec_of(name: str) -> dict[str, Any]:
    result = RESULTS[name]
    return chart_spec(result, result.to_rows(), f"{name} chart")


def layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    if "spec" in spec:  # faceted
        return layers(spec["spec"])
    found: list[dict[str, Any]] = spec.get("layer", [spec])
    return found


def marks(spec: dict[str, Any]) -> list[str]:
    return [layer["mark"]["type"] for layer in layers(spec)]


@pytest.mark.parametrize("name", RESULTS)
def test_every_spec_is_valid_vega_lite_drawing_exactly_the_rows(name: str) -> None:
    spec = spec_of(name)
    VEGA_LITE.validate(spec)
    assert spec["$schema"].endswith("/v6.4.1.json")
    assert spec["data"]["values"] == RESULTS[name].to_rows()
    assert spec["description"] == f"{name} chart"
    # The page gives the text alternative (aria-label and the table), not Vega's ARIA tree.
    assert spec["config"]["aria"] is False


def test_a_broken_spec_is_caught_by_the_schema_check() -> None:
    spec = spec_of("histogram")
    spec["mark"] = {"type": "pie-slice"}
    with pytest.raises(jsonschema.ValidationError):
        VEGA_LITE.validate(spec)


def test_active_users_are_lines_over_time_one_per_measure() -> None:
    spec = spec_of("series-measures")
    assert marks(spec) == ["line"]
    encoding = spec["encoding"]
    assert encoding["x"]["type"] == "temporal"
    assert encoding["y"]["field"] == "value"
    assert encoding["color"]["field"] == "line"
    assert encoding["color"]["sort"] == ["DAU", "WAU", "MAU"]
    assert [t["title"] for t in encoding["tooltip"]] == ["Period", "Measure", "Value"]


def test_one_measure_without_breakdown_is_one_line_without_legend() -> None:
    spec = spec_of("series")
    assert "color" not in spec["encoding"]
    assert spec["encoding"]["y"]["field"] == "dau"


def test_adoption_is_horizontal_bars_labelled_with_the_share() -> None:
    spec = spec_of("adoption")
    assert marks(spec) == ["bar", "text"]
    bars, text = layers(spec)
    assert bars["encoding"]["x"]["field"] == "adoption"
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 1]
    assert bars["encoding"]["y"]["sort"] == ["Search", "Maps"]
    assert text["encoding"]["text"]["format"] == ".1%"


def test_retention_is_a_heat_map_with_the_mean_row_last() -> None:
    spec = spec_of("retention")
    assert marks(spec) == ["rect", "text"]
    cells = layers(spec)[0]
    assert cells["encoding"]["color"]["field"] == "rate"
    assert cells["encoding"]["y"]["sort"] == ["2024-03-04 (10)", "2024-03-11 (5)", "Mean"]
    folds = [t["fold"] for t in cells["transform"] if "fold" in t]
    assert folds == [["period_0", "period_1", "period_2"]]
    # Colour spreads over the later periods (period 0 is always 100%).
    assert cells["encoding"]["color"]["scale"]["domain"] == [0, 0.4]


def test_funnel_bars_show_counts_and_conversion_from_step_one() -> None:
    spec = spec_of("funnel")
    assert marks(spec) == ["bar", "text"]
    bars, text = layers(spec)
    assert bars["encoding"]["x"]["sort"] == ["1. Signed Up", "2. Paid"]
    assert bars["encoding"]["y"]["field"] == "count"
    assert text["encoding"]["text"]["field"] == "label"
    assert "conversion" in text["transform"][0]["calculate"]


def test_funnel_with_a_breakdown_groups_the_bars() -> None:
    bars = layers(spec_of("funnel-breakdown"))[0]
    assert bars["encoding"]["xOffset"]["field"] == "breakdown"


def test_lifecycle_stacks_statuses_with_dormant_below_zero() -> None:
    spec = spec_of("lifecycle")
    assert marks(spec) == ["bar"]
    assert spec["transform"][0]["fold"] == ["new", "returning", "resurrecting", "dormant"]
    assert spec["encoding"]["y"]["stack"] == "zero"
    assert spec["encoding"]["color"]["scale"]["domain"][-1] == "dormant"
    assert spec["data"]["values"][0]["dormant"] == -3


def test_lifecycle_with_a_breakdown_is_one_row_of_bars_per_value() -> None:
    spec = spec_of("lifecycle-breakdown")
    assert spec["facet"]["row"]["field"] == "breakdown"


def test_histogram_is_bars_per_number_of_active_periods() -> None:
    spec = spec_of("histogram")
    assert marks(spec) == ["bar"]
    assert spec["encoding"]["x"]["field"] == "active_periods"
    assert spec["encoding"]["y"]["field"] == "actors"


def test_no_chart_for_something_that_is_not_a_result() -> None:
    with pytest.raises(TypeError):
        chart_spec(object(), [])  # type: ignore[arg-type]


def test_the_table_shows_the_same_rows_readably() -> None:
    result = RESULTS["retention"]
    table = table_of(result.to_rows())
    assert [c.label for c in table.columns] == [
        "Cohort",
        "Size",
        "Period 0",
        "Period 1",
        "Period 2",
    ]
    assert table.rows[0] == ["2024-03-04", "10", "100.0%", "40.0%", "20.0%"]
    assert table.rows[1][-1] == "—"  # not reached yet
    assert table.rows[2][:2] == ["Mean", "—"]


def test_table_keeps_the_breakdown_column_when_there_is_one() -> None:
    table = table_of(RESULTS["series-breakdown"].to_rows())
    assert [c.label for c in table.columns] == ["Period", "Breakdown", "DAU"]
    assert table.cells[0] == [("2024-03-04", False), ("pro", False), ("2", True)]


def test_table_of_several_measures_names_them() -> None:
    table = table_of(RESULTS["series-measures"].to_rows(), breakdown="Measure")
    assert [c.label for c in table.columns] == ["Period", "Measure", "Value"]
    assert [row[1] for row in table.rows[:3]] == ["DAU", "WAU", "MAU"]


@pytest.mark.parametrize(
    ("key", "value", "shown"),
    [("dau", 1234.0, "1,234"), ("adoption", 0.256, "25.6%"), ("stickiness", 0.5, "50.0%"),
     ("dau", 2.5, "2.50"), ("breakdown", None, "—"), ("name", "Paid", "Paid")],
)  # fmt: skip
def test_cells(key: str, value: object, shown: str) -> None:
    assert cell(key, value) == shown
