from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    """Prioritisation and roadmaps: scoring, capacity, the optimizer, scenarios, roadmap views."""

    name = "quarterdeck.roadmap"
    label = "roadmap"

    def ready(self) -> None:
        from quarterdeck.web.nav import NavItem, register

        register(NavItem("Roadmap", "roadmap:board", order=16, prefix="/roadmap/"))
