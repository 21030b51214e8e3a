from django.apps import AppConfig


class KpisConfig(AppConfig):
    """KPI snapshots per product / feature / day, refreshed incrementally in the background."""

    name = "quarterdeck.kpis"
    label = "kpis"
