from django.apps import AppConfig


class KpisConfig(AppConfig):
    """KPI snapshots per product / feature / day, refreshed incrementally in the background."""

    name = "quarterdeck.kpis"
    label = "kpis"

    def ready(self) -> None:
        from quarterdeck.web.nav import NavItem, register

        register(NavItem("KPIs", "kpis:index", order=45, prefix="/kpis/"))
