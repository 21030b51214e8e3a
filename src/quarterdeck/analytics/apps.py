from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Product analytics pages, the insight builder, saved insights and the metrics API."""

    name = "quarterdeck.analytics"
    label = "analytics"

    def ready(self) -> None:
        from quarterdeck.analytics.selectors import may_read_analytics
        from quarterdeck.web.nav import NavItem, register

        register(
            NavItem(
                "Analytics",
                "analytics:index",
                order=15,
                prefix="/analytics/",
                visible=may_read_analytics,
            )
        )
