from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "quarterdeck.metrics"
    label = "metrics"
