"""Pages of the kpis module."""

from django.urls import URLPattern

app_name = "kpis"

urlpatterns: list[URLPattern] = []
