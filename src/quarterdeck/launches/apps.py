from django.apps import AppConfig


class LaunchesConfig(AppConfig):
    """Delivery: lifecycle gates, sunset plans, launch plans and post-launch checks."""

    name = "quarterdeck.launches"
    label = "launches"

    def ready(self) -> None:
        from quarterdeck.web.nav import NavItem, register

        register(NavItem("Launches", "launches:calendar", order=17, prefix="/launches/"))
        from quarterdeck.launches import gates
        from quarterdeck.portfolio.services import register_stage_guard, register_stage_listener

        register_stage_guard(gates.stage_guard)
        register_stage_listener(gates.stage_listener)
        from quarterdeck.launches import plans

        plans.register_hooks()
        from quarterdeck.launches import checks

        checks.register_requirement()
