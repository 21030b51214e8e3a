from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """Survey answers (NPS, CSAT, CES) and their verbatims, by product, segment and period."""

    name = "quarterdeck.surveys"
    label = "surveys"
