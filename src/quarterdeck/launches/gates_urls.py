"""Pages of launches/gates (included by launches/urls.py under the "launches" namespace)."""

from django.urls import URLPattern, path

from quarterdeck.launches import gates_views as views

ITEM = "<str:item_type>/<int:pk>"

urlpatterns: list[URLPattern] = [
    path("gates/", views.criteria_page, name="gate_criteria"),
    path("gates/new/", views.criterion_edit, name="gate_criterion_new"),
    path("gates/install-defaults/", views.criteria_install, name="gate_criteria_install"),
    path("gates/<int:pk>/edit/", views.criterion_edit, name="gate_criterion_edit"),
    path("gates/<int:pk>/move/", views.criterion_move, name="gate_criterion_move"),
    path(f"gates/item/{ITEM}/", views.gate_card, name="gate_card"),
    path(f"gates/item/{ITEM}/move/", views.gate_move, name="gate_move"),
    path(f"gates/item/{ITEM}/tick/<int:criterion_id>/", views.gate_tick, name="gate_tick"),
    path(f"sunset/{ITEM}/", views.sunset_page, name="sunset"),
    path(f"sunset/{ITEM}/recompute/", views.sunset_recompute, name="sunset_recompute"),
    path(f"sunset/{ITEM}/affected.csv", views.sunset_csv, name="sunset_csv"),
]
