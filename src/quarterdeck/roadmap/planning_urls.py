"""Pages of roadmap/planning (included by roadmap/urls.py under the "roadmap" namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
