"""Pages of launches/checks (included by launches/urls.py under the "launches" namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
