from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "quarterdeck.web"
    label = "web"

    def ready(self) -> None:
        from quarterdeck.web.nav import register_core

        register_core()
