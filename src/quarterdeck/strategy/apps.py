from django.apps import AppConfig


class StrategyConfig(AppConfig):
    """Vision, strategic pillars, outcomes and key results bound to live metrics, scorecards."""

    name = "quarterdeck.strategy"
    label = "strategy"

    def ready(self) -> None:
        from quarterdeck.web.nav import NavItem, register

        register(NavItem("Outcomes", "strategy:outcomes", order=12, prefix="/strategy/"))
