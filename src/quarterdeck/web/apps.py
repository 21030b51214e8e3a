from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "quarterdeck.web"
    label = "web"
