"""Pages of the revenue module."""

from django.urls import URLPattern

app_name = "revenue"

urlpatterns: list[URLPattern] = []
