"""Pages of roadmap/scoring (included by roadmap/urls.py under the "roadmap" namespace)."""

from django.urls import URLPattern, path

from quarterdeck.roadmap import scoring_views as views

urlpatterns: list[URLPattern] = [
    path("scores/", views.scores, name="scores"),
    path("scores/<int:feature_id>/", views.feature_scores, name="feature_scores"),
    path("scores/<int:feature_id>/<int:model_id>/", views.score_save, name="score_save"),
    path("scores/<int:feature_id>/rounds/", views.round_open, name="round_open"),
    path("matrix/", views.matrix, name="matrix"),
    path("models/", views.models, name="scoring_models"),
    path("models/new/", views.model_edit, name="scoring_model_new"),
    path("models/<int:model_id>/", views.model_edit, name="scoring_model"),
    path("models/check/", views.formula_check, name="formula_check"),
    path("rounds/", views.rounds_list, name="rounds"),
    path("rounds/<int:round_id>/", views.round_page, name="round"),
    path("rounds/<int:round_id>/ballot/", views.round_ballot, name="round_ballot"),
    *[
        path(
            f"rounds/<int:round_id>/{action}/",
            views.round_action,
            {"action": action},
            name=f"round_{action}",
        )
        for action in ("reveal", "finalise", "cancel")
    ],
]
