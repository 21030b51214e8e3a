"""Pages of the kpis module."""

from django.urls import path

from quarterdeck.kpis import views

app_name = "kpis"

urlpatterns = [
    path("", views.index, name="index"),
    path("refresh/", views.refresh, name="refresh"),
]
