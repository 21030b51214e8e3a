"""Forms of the launch pages: a new plan, a plan's edit, a task, marking launched, a template,
and the calendar's filters. Field names are the services' keys, so their per-field errors land
on the right input."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from quarterdeck.accounts.models import User
from quarterdeck.launches.models import (
    LaunchPlan,
    LaunchStatus,
    LaunchTask,
    LaunchTemplate,
    TaskFunction,
    TaskStatus,
)
from quarterdeck.people.selectors import list_people
from quarterdeck.portfolio.selectors import list_lines, list_products
from quarterdeck.web.forms.common import PageForm, id_choices, optional_id, set_choices

ANY = ("", "Any")


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _people(form: forms.Form, user: User, name: str = "owner_id") -> None:
    set_choices(form, name, id_choices(list_people(user)))


class PlanForm(PageForm):
    """A new plan for one feature or product (given by the page's address)."""

    template_id = optional_id("Template", help_text="Its tasks are copied, due from launch day.")
    launch_on = forms.DateField(label="Launch day", widget=date_input())
    name = forms.CharField(max_length=200, required=False, help_text="Default: “… launch”.")
    owner_id = optional_id("Owner", help_text="Default: the item's owner.")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, user: User, templates: list[LaunchTemplate], **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "template_id", id_choices(templates, empty=("", "— no tasks —")))
        _people(self, user)

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class PlanEditForm(PageForm):
    name = forms.CharField(max_length=200)
    launch_on = forms.DateField(label="Launch day", widget=date_input())
    shift_tasks = forms.BooleanField(
        label="Move the open tasks' due dates with the launch day",
        required=False,
        initial=True,
        help_text="Done and skipped tasks keep their dates.",
    )
    owner_id = optional_id("Owner")
    status = forms.ChoiceField(
        choices=[(LaunchStatus.PLANNED, "Planned"), (LaunchStatus.CANCELLED, "Cancelled")]
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
    data_fields = ("name", "launch_on", "owner_id", "status", "notes")

    def __init__(self, *args: Any, user: User, launched: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _people(self, user)
        if launched:
            del self.fields["status"]

    @classmethod
    def initial_from(cls, plan: LaunchPlan) -> dict[str, Any]:
        initial = {name: getattr(plan, name) for name in cls.data_fields}
        return {**initial, "version": plan.version, "shift_tasks": True}

    def service_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.data_fields if k in self.cleaned_data}


class LaunchedForm(PageForm):
    on = forms.DateField(label="Launched on", widget=date_input())
    version = forms.IntegerField(widget=forms.HiddenInput)


class TaskForm(PageForm):
    title = forms.CharField(max_length=300)
    phase = forms.ChoiceField()
    function = forms.ChoiceField(choices=TaskFunction.choices)
    owner_id = optional_id("Owner")
    due_on = forms.DateField(label="Due", widget=date_input(), required=False)
    status = forms.ChoiceField(choices=TaskStatus.choices, initial=TaskStatus.TODO)
    milestone = forms.BooleanField(required=False)
    depends_on = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        label="Depends on",
        help_text="Tasks that must be done first.",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    data_fields = (
        "title", "phase", "function", "owner_id", "due_on", "status", "milestone", "depends_on",
        "notes",
    )  # fmt: skip

    def __init__(
        self,
        *args: Any,
        user: User,
        plan: LaunchPlan,
        tasks: list[LaunchTask],
        task: LaunchTask | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        set_choices(self, "phase", [(p, p) for p in plan.phases])
        _people(self, user)
        others = [t for t in tasks if task is None or t.pk != task.pk]
        set_choices(self, "depends_on", [(t.pk, t.title) for t in others])

    @classmethod
    def initial_from(cls, task: LaunchTask) -> dict[str, Any]:
        initial = {name: getattr(task, name) for name in cls.data_fields if name != "depends_on"}
        depends = [t.pk for t in task.depends_on.all()]
        return {**initial, "depends_on": depends, "version": task.version}

    def service_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.data_fields}


class StatusForm(PageForm):
    status = forms.ChoiceField(choices=TaskStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class TemplateForm(PageForm):
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    phases = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), help_text="One phase per line, in order."
    )
    tasks = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 18, "class": "code", "spellcheck": "false"}),
        help_text='A JSON list: {"key", "phase", "title", "function", "offset_days" (days from '
        'launch, negative before), "milestone", "depends_on": [keys]}.',
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_from(cls, template: LaunchTemplate) -> dict[str, Any]:
        return {
            "name": template.name,
            "description": template.description,
            "phases": "\n".join(template.phases),
            "tasks": json.dumps(template.tasks, indent=2, ensure_ascii=False),
            "version": template.version,
        }

    def clean_phases(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["phases"].splitlines() if line.strip()]

    def clean_tasks(self) -> Any:
        try:
            return json.loads(self.cleaned_data["tasks"])
        except ValueError as exc:
            raise forms.ValidationError(f"Not valid JSON: {exc}.") from None

    def service_data(self) -> dict[str, Any]:
        fields = ("name", "description", "phases", "tasks")
        return {k: self.cleaned_data[k] for k in fields}


class CalendarFilter(PageForm):
    month = forms.CharField(
        required=False, max_length=7, widget=forms.TextInput(attrs={"type": "month"})
    )
    line_id = optional_id("Line")
    product_id = optional_id("Product")
    function = forms.ChoiceField(choices=[ANY, *TaskFunction.choices], required=False)
    status = forms.ChoiceField(choices=[ANY, *LaunchStatus.choices], required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "line_id", id_choices(list_lines(user), empty=ANY))
        set_choices(self, "product_id", id_choices(list_products(user), empty=ANY))

    def values(self) -> dict[str, Any]:
        """The valid filters (invalid ones are dropped and reported by the page)."""
        self.is_valid()
        names = ("line_id", "product_id", "function", "status")
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or None for name in names}
