"""Pages of roadmap/planning (included by roadmap/urls.py under the "roadmap" namespace)."""

from django.urls import URLPattern, path

from quarterdeck.roadmap import planning_views, scenario_views

urlpatterns: list[URLPattern] = [
    path("capacity/", planning_views.capacity, name="capacity"),
    path("plan/", planning_views.plan, name="plan"),
    path("plan/<int:feature_id>/effort/", planning_views.plan_effort, name="plan_effort"),
    path("plan/<int:feature_id>/needs/", planning_views.plan_needs, name="plan_needs"),
    path(
        "dependencies/<int:dependency_id>/remove/",
        planning_views.dependency_remove,
        name="dependency_remove",
    ),
    path("scenarios/", scenario_views.scenarios, name="scenarios"),
    path("scenarios/new/", scenario_views.scenario_new, name="scenario_new"),
    path("scenarios/compare/", scenario_views.scenario_compare, name="scenario_compare"),
    path("scenarios/<int:pk>/", scenario_views.scenario_detail, name="scenario"),
    path("scenarios/<int:pk>/apply/", scenario_views.scenario_apply, name="scenario_apply"),
    path("scenarios/<int:pk>/edit/", scenario_views.scenario_edit, name="scenario_edit"),
    path("scenarios/<int:pk>/delete/", scenario_views.scenario_delete, name="scenario_delete"),
]
