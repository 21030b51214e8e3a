"""Pages of launches/plans (included by launches/urls.py under the "launches" namespace)."""

from django.urls import URLPattern, path

from quarterdeck.launches import plans_views

urlpatterns: list[URLPattern] = [path("", plans_views.calendar, name="calendar")]
