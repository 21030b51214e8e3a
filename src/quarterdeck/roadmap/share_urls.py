"""Public read-only roadmap views behind signed share links, mounted at /share/."""

from django.urls import URLPattern

app_name = "share"

urlpatterns: list[URLPattern] = []
