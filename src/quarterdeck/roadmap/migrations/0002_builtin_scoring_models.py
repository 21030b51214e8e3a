"""Data migration: the built-in scoring models (RICE, ICE, WSJF, value / effort, Kano)."""

from typing import Any

from django.db import migrations


def create_built_in(apps: Any, schema_editor: Any) -> None:
    from quarterdeck.roadmap.frameworks import BUILT_IN

    scoring_model = apps.get_model("roadmap", "ScoringModel")
    for spec in BUILT_IN:
        defaults = {**spec, "framework": str(spec["framework"])}
        scoring_model.objects.get_or_create(name=spec["name"], defaults=defaults)


class Migration(migrations.Migration):
    dependencies = [("roadmap", "0001_initial")]

    operations = [migrations.RunPython(create_built_in, migrations.RunPython.noop)]
