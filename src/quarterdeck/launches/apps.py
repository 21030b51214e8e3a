from django.apps import AppConfig


class LaunchesConfig(AppConfig):
    """Delivery: lifecycle gates, sunset plans, launch plans and post-launch checks."""

    name = "quarterdeck.launches"
    label = "launches"

    def ready(self) -> None:
        from quarterdeck.web.nav import NavItem, register

        register(NavItem("Launches", "launches:calendar", order=17, prefix="/launches/"))
