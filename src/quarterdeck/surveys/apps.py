from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """Survey answers (NPS, CSAT, CES) and their verbatims, by product, segment and period."""

    name = "quarterdeck.surveys"
    label = "surveys"

    def ready(self) -> None:
        from quarterdeck.web.nav import NavItem, register

        register(NavItem("Surveys", "surveys:index", order=20, prefix="/surveys/"))
