from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "quarterdeck.portfolio"
    label = "portfolio"
