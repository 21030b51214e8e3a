from django.apps import AppConfig


class KpisConfig(AppConfig):
    """KPI snapshots per product / feature / day, refreshed incrementally in the background."""

    name = "quarterdeck.kpis"
    label = "kpis"

    def ready(self) -> None:
        from quarterdeck.web.nav import DATA, NavItem, register

        register(NavItem("KPI snapshots", "kpis:index", order=45, prefix="/kpis/", section=DATA))
