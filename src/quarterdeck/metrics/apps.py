from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "quarterdeck.metrics"
    label = "metrics"

    def ready(self) -> None:
        from quarterdeck.metrics.selectors import may_read_sources
        from quarterdeck.web.nav import DATA, NavItem, register

        register(
            NavItem(
                "Event sources",
                "metrics:sources",
                order=50,
                prefix="/sources/",
                visible=may_read_sources,
                section=DATA,
            )
        )
