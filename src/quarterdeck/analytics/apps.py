from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Product analytics pages, the insight builder, saved insights and the metrics API."""

    name = "quarterdeck.analytics"
    label = "analytics"
