"""Pages of the strategy module."""

from django.urls import URLPattern, path

from quarterdeck.strategy import kr_views, views, vision_views
from quarterdeck.strategy.scorecard_views import scorecard_urlpatterns

app_name = "strategy"

urlpatterns: list[URLPattern] = [
    path("", vision_views.index, name="index"),
    path("vision/edit/", vision_views.vision_edit, name="vision_edit"),
    path("vision/sign/<str:role>/", vision_views.sign_off, name="sign_off"),
    path("pillars/new/", vision_views.pillar_create, name="pillar_create"),
    path("pillars/<int:pk>/edit/", vision_views.pillar_edit, name="pillar_edit"),
    path("pillars/<int:pk>/links/", vision_views.pillar_links, name="pillar_links"),
    path("pillars/<int:pk>/delete/", vision_views.pillar_delete, name="pillar_delete"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("outcomes/new/", views.outcome_create, name="outcome_create"),
    path("outcomes/<int:pk>/", views.outcome, name="outcome"),
    path("outcomes/<int:pk>/edit/", views.outcome_edit, name="outcome_edit"),
    path("outcomes/<int:pk>/delete/", views.outcome_delete, name="outcome_delete"),
    path("outcomes/<int:pk>/check-in/", views.check_in, name="check_in"),
    path(
        "outcomes/<int:pk>/key-results/new/", kr_views.key_result_create, name="key_result_create"
    ),
    path("key-results/<int:pk>/edit/", kr_views.key_result_edit, name="key_result_edit"),
    path("key-results/<int:pk>/delete/", kr_views.key_result_delete, name="key_result_delete"),
    path(
        "key-results/<int:pk>/check-in/", kr_views.key_result_check_in, name="key_result_check_in"
    ),
    path("alignment/", views.alignment, name="alignment"),
]

urlpatterns += scorecard_urlpatterns  # strategy:scorecards, scorecard_csv, scorecard_png
