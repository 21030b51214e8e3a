"""Forms of the planning pages: the scenario run form, an initiative's effort per team, what it
needs, and the capacity grid. Field names are the services' option keys, so the services'
per-field errors land next to the right input."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms

from quarterdeck.people.models import Team
from quarterdeck.portfolio.models import Feature, ProductLine
from quarterdeck.roadmap.models import Scenario, ScoringModel
from quarterdeck.roadmap.planning_periods import next_periods
from quarterdeck.web.forms.common import PageForm, id_choices, optional_id, set_choices


def _feature_choices(features: Iterable[Feature]) -> list[tuple[Any, str]]:
    return [(f.pk, f"{f.name} ({f.product.name}, #{f.pk})") for f in features]


class RunForm(PageForm):
    name = forms.CharField(max_length=200, label="Name", help_text="e.g. Next quarter — base plan")
    periods = forms.MultipleChoiceField(
        label="Quarters", widget=forms.CheckboxSelectMultiple,
        help_text="The next quarter only, or with the following ones (consecutive).",
    )  # fmt: skip
    line_id = optional_id("Scope (product line)")
    scoring_model_id = optional_id("Scoring model", help_text="The value of each initiative.")
    must_have = forms.TypedMultipleChoiceField(coerce=int, required=False, label="Must-haves")
    excluded = forms.TypedMultipleChoiceField(coerce=int, required=False, label="Excluded")
    exclusive_groups = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Exclusive options",
        help_text="One group per line: feature ids (the #numbers above) separated by commas; "
        "at most one of each group is chosen.",
    )  # fmt: skip
    gap = forms.FloatField(initial=0.5, min_value=0, max_value=50, label="Gap to stop at (%)")
    time_limit = forms.FloatField(initial=10, min_value=0.1, max_value=60, label="Time limit (s)")

    def __init__(self, *args: Any, features: list[Feature], teams: list[Team], **kw: Any) -> None:
        super().__init__(*args, **kw)
        quarters = next_periods(4)
        self.fields["periods"].choices = [(q, q) for q in quarters]  # type: ignore[attr-defined]
        self.fields["periods"].initial = quarters[:1]
        lines = ProductLine.objects.order_by("name")
        set_choices(self, "line_id", id_choices(lines, empty=("", "Whole portfolio")))
        models = ScoringModel.objects.all()
        set_choices(self, "scoring_model_id", id_choices(models, empty=("", "Each line's default")))
        for name in ("must_have", "excluded"):
            set_choices(self, name, _feature_choices(features))
        self.teams = teams
        for team in teams:
            self.fields[f"capacity_{team.pk}"] = forms.FloatField(
                required=False, min_value=0, label=f"{team.name}: capacity per quarter",
                help_text="Empty: as set on the capacity page.",
            )  # fmt: skip

    def clean_exclusive_groups(self) -> list[list[str]]:
        text = self.cleaned_data.get("exclusive_groups") or ""
        return [[p.strip() for p in line.split(",") if p.strip()] for line in text.splitlines()
                if line.strip()]  # fmt: skip

    def options(self) -> dict[str, Any]:
        data = self.cleaned_data
        periods = data["periods"]
        overrides = {
            str(team.pk): dict.fromkeys(periods, data[f"capacity_{team.pk}"])
            for team in self.teams
            if data.get(f"capacity_{team.pk}") is not None
        }
        keys = ("periods", "line_id", "scoring_model_id", "must_have", "excluded")
        return {
            **{key: data[key] for key in keys},
            "exclusive_groups": data["exclusive_groups"],
            "capacity_overrides": overrides,
            "gap": data["gap"] / 100,
            "time_limit": data["time_limit"],
        }


def run_initial(scenario: Scenario) -> dict[str, Any]:
    """The run form filled from an earlier scenario ("run again with changes")."""
    options = scenario.options
    initial: dict[str, Any] = {
        "name": f"{scenario.name} (again)",
        **{key: options.get(key) for key in ("periods", "line_id", "scoring_model_id")},
        "must_have": options.get("must_have", []),
        "excluded": options.get("excluded", []),
        "exclusive_groups": "\n".join(
            ", ".join(str(pk) for pk in group) for group in options.get("exclusive_groups", [])
        ),
        "gap": 100 * float(options.get("gap", 0.005)),
        "time_limit": options.get("time_limit", 10),
    }
    for team, values in (options.get("capacity_overrides") or {}).items():
        if values:
            initial[f"capacity_{team}"] = next(iter(values.values()))
    return initial


class NeedsForm(PageForm):
    needs_id = forms.TypedChoiceField(coerce=int, label="Needs")

    def __init__(self, *args: Any, features: list[Feature], **kw: Any) -> None:
        super().__init__(*args, **kw)
        set_choices(self, "needs_id", _feature_choices(features))


def effort_values(post: Mapping[str, Any], teams: Iterable[Team]) -> dict[int, str]:
    """Team id → the amount typed in the row's ``effort-<team id>`` input (services check it)."""
    return {team.pk: str(post.get(f"effort-{team.pk}", "")).strip() for team in teams}


def capacity_cells(post: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The grid's typed cells: ``cap-<team id>-<period>`` with ``ver-…`` (the version read)."""
    cells = []
    for key, value in post.items():
        if not key.startswith("cap-"):
            continue
        team, _, period = key.removeprefix("cap-").partition("-")
        version = str(post.get(f"ver-{team}-{period}", "")).strip()
        cells.append({"team_id": team, "period": period, "capacity": str(value).strip(),
                      "version": int(version) if version.isdigit() else None})  # fmt: skip
    return cells
