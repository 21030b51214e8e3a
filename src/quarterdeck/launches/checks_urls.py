"""Pages of launches/checks (included by launches/urls.py under the "launches" namespace)."""

from django.urls import URLPattern, path

from quarterdeck.launches import checks_views

urlpatterns: list[URLPattern] = [
    path("checks/", checks_views.checks_list, name="checks"),
    path("checks/<int:plan_id>/", checks_views.plan_checks, name="plan_checks"),
    path("checks/<int:plan_id>/metrics/", checks_views.metric_add, name="checks_metric_add"),
    path("checks/<int:plan_id>/recompute/", checks_views.recompute, name="checks_recompute"),
    path(
        "checks/metrics/<int:metric_id>/target/",
        checks_views.metric_target,
        name="checks_metric_target",
    ),
    path(
        "checks/metrics/<int:metric_id>/delete/",
        checks_views.metric_delete,
        name="checks_metric_delete",
    ),
]
