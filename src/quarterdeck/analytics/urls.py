"""Pages of the analytics module."""

from django.urls import path

from quarterdeck.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.index, name="index"),
    path("products/<int:pk>/", views.product, name="product"),
    path("products/<int:pk>/charts/<int:index>/", views.product_chart, name="product_chart"),
    path("export/", views.export, name="export"),
    path("insights/new/", views.insight_new, name="insight_new"),
    path("insights/preview/", views.insight_preview, name="insight_preview"),
    path("insights/features/", views.insight_features, name="insight_features"),
    path("insights/<int:pk>/", views.insight, name="insight"),
    path("insights/<int:pk>/chart/", views.insight_chart, name="insight_chart"),
    path("insights/<int:pk>/delete/", views.insight_delete, name="insight_delete"),
]
