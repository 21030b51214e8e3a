"""The strategy services' rules: levels and alignment, periods, key result checks, deletes,
versions, audit and the vision's sign-off lifecycle, called as the named personas."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from quarterdeck.audit.selectors import object_history
from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.portfolio.models import ProductLine
from quarterdeck.strategy import selectors, services
from quarterdeck.strategy.models import Outcome
from tests.personas import Personas

pytestmark = pytest.mark.django_db
Q4 = "2026-Q4"


def make(p: Personas, **data: Any) -> Outcome:
    return services.outcome_create(actor=p.leader, data={"title": "O", "period": Q4, **data})


def fields_of(exc: pytest.ExceptionInfo[InvalidInput]) -> set[str]:
    return set(exc.value.fields)


# Levels, scope and alignment ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "scope", "field"),
    [
        ("company", "line", "line_id"),
        ("company", "product", "product_id"),
        ("line", "product", "product_id"),
        ("line", None, "line_id"),
        ("product", "line", "line_id"),
        ("product", None, "product_id"),
        ("galaxy", None, "level"),
    ],
)
def test_the_level_names_what_the_outcome_is_about(
    personas: Personas, level: str, scope: str | None, field: str
) -> None:
    ids = {"line": {"line_id": personas.platform.pk}, "product": {"product_id": personas.atlas.pk}}
    with pytest.raises(InvalidInput) as exc:
        make(personas, level=level, **ids.get(scope or "", {}))
    assert field in fields_of(exc)


def test_alignment_follows_the_tree(personas: Personas) -> None:
    p = personas
    company = make(p, level="company")
    platform = make(p, level="line", line_id=p.platform.pk, parent_id=company.pk)
    growth = make(p, level="line", line_id=p.growth.pk, parent_id=company.pk)
    core = ProductLine.objects.create(name="Core", parent=p.platform, owner=p.people["max"])
    make(p, level="line", line_id=core.pk, parent_id=platform.pk)  # a parent line's outcome
    make(p, level="product", product_id=p.atlas.pk, parent_id=platform.pk)
    make(p, level="product", product_id=p.atlas.pk, parent_id=company.pk)
    atlas = make(p, level="product", product_id=p.atlas.pk)
    refused = [
        {"level": "product", "product_id": p.atlas.pk, "parent_id": growth.pk},  # other line
        {"level": "product", "product_id": p.atlas.pk, "parent_id": atlas.pk},  # same level
        {"level": "line", "line_id": p.platform.pk, "parent_id": platform.pk},  # same line
        {"level": "line", "line_id": p.platform.pk, "parent_id": atlas.pk},  # below it
        {"level": "company", "parent_id": platform.pk},
        {"level": "company", "parent_id": 999_999},
    ]
    for data in refused:
        with pytest.raises(InvalidInput) as exc:
            make(p, **data)
        assert fields_of(exc) == {"parent_id"}, data


def test_no_cycles(personas: Personas) -> None:
    top = make(personas, level="company")
    middle = make(personas, level="company", parent_id=top.pk)
    below = make(personas, level="company", parent_id=middle.pk)
    for parent in (below, top):
        with pytest.raises(InvalidInput) as exc:
            services.outcome_update(
                actor=personas.leader,
                outcome_id=top.pk,
                data={"parent_id": parent.pk},
                expected_version=None,
            )
        assert "parent_id" in fields_of(exc)


# Periods --------------------------------------------------------------------------------------


def test_a_quarter_sets_the_dates(personas: Personas) -> None:
    outcome = make(personas, level="company")
    assert (outcome.start, outcome.end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert selectors.quarter_bounds("2027-Q1") == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"period": "2026-Q5"}, "period"),
        ({"period": "Q4 2026"}, "period"),
        ({"period": Q4, "start": "2026-10-02"}, "start"),
        ({"period": "custom", "start": "2026-10-02"}, "end"),
        ({"period": "custom", "start": "2026-10-02", "end": "2026-10-01"}, "end"),
        ({"period": "custom", "start": "2026-13-01", "end": "2026-10-01"}, "start"),
    ],
)
def test_period_rules(personas: Personas, data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        make(personas, level="company", **data)
    assert field in fields_of(exc)


def test_custom_period_and_weight(personas: Personas) -> None:
    outcome = make(personas, level="company", period="custom", start="2026-11-01", end="2026-11-01")
    assert outcome.start == outcome.end == dt.date(2026, 11, 1)
    with pytest.raises(InvalidInput) as exc:
        make(personas, level="company", weight=0)
    assert fields_of(exc) == {"weight"}


def test_moving_the_period_moves_key_results_on_the_outcomes_dates(personas: Personas) -> None:
    outcome = make(personas, level="company")
    kr = services.key_result_create(
        actor=personas.leader,
        outcome_id=outcome.pk,
        data={"title": "MRR", "source": "manual", "baseline": 1, "target": 2},
    )
    services.outcome_update(
        actor=personas.leader, outcome_id=outcome.pk, data={"period": "2027-Q1"}, expected_version=1
    )
    kr.refresh_from_db()
    assert (kr.start, kr.end) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))


# Key results ----------------------------------------------------------------------------------


def kr_data(**data: Any) -> dict[str, Any]:
    return {"title": "Weekly actives", "source": "manual", "baseline": 100, "target": 150, **data}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (kr_data(target=100), "target"),
        (kr_data(direction="decrease"), "direction"),
        (kr_data(baseline=9, target=3, direction="increase"), "direction"),
        (kr_data(start="2026-09-30"), "start"),
        (kr_data(end="2027-01-01"), "end"),
        (kr_data(start="2026-12-01", end="2026-11-01"), "end"),
        (kr_data(weight=-1), "weight"),
        (kr_data(source="crystal-ball"), "source"),
        (kr_data(title=" "), "title"),
        (kr_data(baseline="many"), "baseline"),
    ],
)
def test_key_result_rules(personas: Personas, data: dict[str, Any], field: str) -> None:
    outcome = make(personas, level="company")
    with pytest.raises(InvalidInput) as exc:
        services.key_result_create(actor=personas.leader, outcome_id=outcome.pk, data=data)
    assert field in fields_of(exc)


def test_key_result_defaults(personas: Personas) -> None:
    outcome = make(personas, level="company")
    first = services.key_result_create(
        actor=personas.leader, outcome_id=outcome.pk, data=kr_data(baseline=9, target=3)
    )
    second = services.key_result_create(
        actor=personas.leader, outcome_id=outcome.pk, data=kr_data()
    )
    assert (first.start, first.end) == (outcome.start, outcome.end)
    assert (first.direction, second.direction) == ("decrease", "increase")
    assert (first.position, second.position) == (0, 1)


def test_key_result_check_in_rules(personas: Personas) -> None:
    outcome = make(personas, level="company", period="custom", start="2026-01-01", end="2026-12-31")
    kr = services.key_result_create(actor=personas.leader, outcome_id=outcome.pk, data=kr_data())
    cases: list[tuple[dict[str, Any], str]] = [
        ({"day": "2026-02-01"}, "value"),
        ({"day": "2099-01-01", "value": 3}, "day"),
        ({"day": "2025-12-31", "value": 3}, "day"),
    ]
    for data, field in cases:
        with pytest.raises(InvalidInput) as exc:
            services.key_result_check_in(actor=personas.leader, kr_id=kr.pk, data=data)
        assert field in fields_of(exc)
    check_in = services.key_result_check_in(
        actor=personas.leader, kr_id=kr.pk, data={"day": "2026-02-01", "value": "120"}
    )
    assert (check_in.value, check_in.day) == (120.0, dt.date(2026, 2, 1))


# Deletes, versions, audit, check-ins -----------------------------------------------------------


def test_delete_with_children_names_them(personas: Personas) -> None:
    top = make(personas, level="company", title="Grow")
    make(personas, level="line", line_id=personas.platform.pk, parent_id=top.pk, title="Scale")
    with pytest.raises(InvalidInput, match="Scale"):
        services.outcome_delete(actor=personas.leader, outcome_id=top.pk, expected_version=1)


def test_version_conflict_and_audit(personas: Personas) -> None:
    outcome = make(personas, level="company", title="Grow")
    services.outcome_update(
        actor=personas.leader,
        outcome_id=outcome.pk,
        data={"title": "Grow more"},
        expected_version=1,
    )
    with pytest.raises(VersionConflict) as exc:
        services.outcome_update(
            actor=personas.leader, outcome_id=outcome.pk, data={"title": "x"}, expected_version=1
        )
    assert exc.value.current_version == 2
    actions = [e.action for e in object_history("outcome", outcome.pk)]
    assert actions == ["update", "create"]
    services.outcome_delete(actor=personas.leader, outcome_id=outcome.pk, expected_version=2)
    assert object_history("outcome", outcome.pk).first().action == "delete"  # type: ignore[union-attr]


def test_check_in_keeps_the_computed_progress(personas: Personas) -> None:
    outcome = make(personas, level="product", product_id=personas.atlas.pk)
    Outcome.objects.filter(pk=outcome.pk).update(progress=0.4, status="at_risk")
    check_in = services.check_in_create(
        actor=personas.member, outcome_id=outcome.pk, data={"health": "on_track", "note": "ok"}
    )
    assert (check_in.progress, check_in.status, check_in.author) == (
        0.4,
        "at_risk",
        personas.member,
    )
    with pytest.raises(InvalidInput) as exc:
        services.check_in_create(
            actor=personas.member, outcome_id=outcome.pk, data={"health": "meh"}
        )
    assert fields_of(exc) == {"health"}


def test_who_creates_outcomes_where(personas: Personas) -> None:
    p = personas
    product = {"level": "product", "product_id": p.atlas.pk}
    assert make(p, **product)
    services.outcome_create(actor=p.member, data={"title": "A", "period": Q4, **product})
    services.outcome_create(actor=p.manager, data={"title": "A", "period": Q4, **product})
    refused: list[tuple[Any, dict[str, Any]]] = [
        (p.member, {"level": "company"}),
        (p.member, {"level": "product", "product_id": p.beacon.pk}),
        (p.member, {"level": "line", "line_id": p.platform.pk}),
        (p.outsider, product),
        (p.viewer, product),
        (p.contributor, product),
    ]
    for actor, data in refused:
        with pytest.raises(NotAllowed):
            services.outcome_create(actor=actor, data={"title": "A", "period": Q4, **data})


# Vision and sign-offs -------------------------------------------------------------------------


def test_sign_off_lifecycle(personas: Personas) -> None:
    p = personas
    vision = services.vision_update(
        actor=p.leader,
        data={
            "statement": "Be the deck.",
            "cpo_id": p.people["lena"].pk,
            "cto_id": p.people["ada"].pk,
        },
        expected_version=1,
    )
    assert vision.version == 2
    with pytest.raises(NotAllowed):
        services.vision_sign(actor=p.manager, role="cpo")
    with pytest.raises(NotAllowed):
        services.vision_sign(actor=p.leader, role="cto")  # Ada signs for the CTO role
    first = services.vision_sign(actor=p.leader, role="cpo", note="Agreed")
    again = services.vision_sign(actor=p.leader, role="cpo")
    assert again.pk == first.pk
    assert again.note == "Agreed"
    assert selectors.current_sign_offs(p.viewer) == {"cpo": first, "cto": None}
    services.vision_update(actor=p.leader, data={"cto_id": None}, expected_version=2)
    assert selectors.current_sign_offs(p.viewer)["cpo"] == first  # designation keeps sign-offs
    services.vision_update(actor=p.leader, data={"statement": "Be the bridge."}, expected_version=2)
    assert selectors.current_sign_offs(p.viewer) == {"cpo": None, "cto": None}
    assert services.vision_sign(actor=p.leader, role="cpo").pk != first.pk
    assert [e.action for e in object_history("vision", 1)][-1] == "update"
    services.vision_update(actor=p.admin, data={"cpo_id": p.people["max"].pk}, expected_version=3)
    handed_over = services.vision_sign(actor=p.manager, role="cpo")  # the new CPO signs too
    assert handed_over.signer == p.manager
    assert selectors.current_sign_offs(p.viewer)["cpo"] == handed_over


def test_only_leaders_edit_the_vision_and_pillars(personas: Personas) -> None:
    for actor in (personas.manager, personas.member, personas.viewer):
        with pytest.raises(NotAllowed):
            services.vision_update(actor=actor, data={"cpo_id": None}, expected_version=None)
        with pytest.raises(NotAllowed):
            services.pillar_create(actor=actor, data={"name": "Trust"})
    with pytest.raises(VersionConflict):
        services.vision_update(actor=personas.admin, data={"horizon": "2027"}, expected_version=7)


def test_pillars(personas: Personas) -> None:
    p = personas
    trust = services.pillar_create(actor=p.leader, data={"name": "Trust"})
    with pytest.raises(InvalidInput) as exc:
        services.pillar_create(actor=p.leader, data={"name": "Trust"})
    assert fields_of(exc) == {"name"}
    with pytest.raises(InvalidInput) as exc:
        services.pillar_links_set(
            actor=p.leader, pillar_id=trust.pk, line_ids=[999_999], product_ids=[],
            expected_version=1,
        )  # fmt: skip
    assert fields_of(exc) == {"line_ids"}
    trust = services.pillar_links_set(
        actor=p.leader, pillar_id=trust.pk, line_ids=[p.platform.pk], product_ids=[p.beacon.pk],
        expected_version=1,
    )  # fmt: skip
    assert trust.version == 2
    company = make(p, level="company", pillar_ids=[trust.pk])
    below = make(p, level="line", line_id=p.platform.pk, parent_id=company.pk)
    loose = make(p, level="company")
    rows = selectors.alignment(p.viewer, period=Q4)
    assert [row.name for row in rows] == ["Trust", "Unaligned"]
    assert rows[0].company == [company]
    assert rows[0].aligned == [below]
    assert rows[0].lines == [p.platform]
    assert rows[0].products == [p.beacon]
    assert rows[1].aligned == [loose]
