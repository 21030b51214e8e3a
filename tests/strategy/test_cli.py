"""`quarterdeck outcomes ...` and `quarterdeck strategy ...`, invoked like an operator would."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result

from quarterdeck.audit.selectors import object_history
from quarterdeck.cli import cli
from quarterdeck.strategy.models import KeyResult, Outcome, Pillar, SignOff
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "200"})


def test_outcome_lifecycle(personas: Personas) -> None:
    created = run(
        "outcomes", "create", "--title", "Atlas adoption", "--level", "product",
        "--product", "Platform/Atlas", "--period", "2026-Q4", "--owner-email", "mia@example.com",
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    outcome = Outcome.objects.get(title="Atlas adoption")
    assert (outcome.product, outcome.owner) == (personas.atlas, personas.people["mia"])
    assert object_history("outcome", outcome.pk).get().actor_label == "system"
    added = run(
        "outcomes", "kr", "add", str(outcome.pk), "--title", "Weekly actives",
        "--source", "manual", "--baseline", "100", "--target", "150", "--unit", "users",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    kr = KeyResult.objects.get(outcome=outcome)
    assert (kr.direction, kr.start) == ("increase", outcome.start)
    checked = run(
        "outcomes", "kr", "check-in", str(kr.pk), "--value", "120", "--day", "2026-10-12",
        "--as", "mia@example.com",
    )  # fmt: skip
    assert checked.exit_code == 0, checked.output
    assert kr.check_ins.get().author == personas.member
    said = run("outcomes", "check-in", str(outcome.pk), "--health", "at_risk", "--note", "Slow")
    assert said.exit_code == 0, said.output
    refreshed = run("outcomes", "refresh")
    assert refreshed.exit_code == 0, refreshed.output
    assert "1 key results refreshed" in refreshed.output
    shown = run("outcomes", "show", str(outcome.pk))
    assert "Weekly actives" in shown.output
    assert "at_risk Slow" in shown.output
    listed = json.loads(run("outcomes", "list", "--level", "product", "--format", "json").output)
    assert [row["title"] for row in listed] == ["Atlas adoption"]
    assert run("outcomes", "list", "--period", "2027-Q1").exit_code == 0


def test_bad_input_is_one_red_line(personas: Personas) -> None:
    company = run(
        "outcomes", "create", "--title", "X", "--level", "company", "--line", "Platform",
        "--period", "2026-Q4",
    )  # fmt: skip
    assert company.exit_code == 1
    assert "line_id" in company.output
    assert "Traceback" not in company.output
    bad_json = run(
        "outcomes", "kr", "add", "1", "--title", "T", "--source", "survey", "--metric", "{oops",
        "--baseline", "1", "--target", "2",
    )  # fmt: skip
    assert bad_json.exit_code == 2
    assert "--metric" in bad_json.output
    assert run("outcomes", "show", "999").exit_code == 1


def test_vision_and_pillars(personas: Personas) -> None:
    set_ = run(
        "strategy", "vision", "set", "--statement", "The deck.", "--cpo-email", "lena@example.com"
    )
    assert set_.exit_code == 0, set_.output
    refused = run("strategy", "vision", "sign", "--role", "cpo", "--as", "max@example.com")
    assert refused.exit_code == 1
    signed = run("strategy", "vision", "sign", "--role", "cpo", "--as", "lena@example.com")
    assert signed.exit_code == 0, signed.output
    assert SignOff.objects.get().signer == personas.leader
    shown = run("strategy", "vision", "show")
    assert "CPO: Lena Leader, signed" in shown.output
    assert "CTO: nobody designated" in shown.output
    assert run("strategy", "pillar", "add", "Trust").exit_code == 0
    linked = run("strategy", "pillar", "link", "Trust", "--line", "Platform", "--product", "Beacon")
    assert linked.exit_code == 0, linked.output
    pillar = Pillar.objects.get()
    assert list(pillar.lines.all()) == [personas.platform]
    assert list(pillar.products.all()) == [personas.beacon]
    assert "Platform" in run("strategy", "pillar", "list").output
