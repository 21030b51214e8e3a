"""Public read-only roadmap views behind signed share links, mounted at /share/."""

from django.urls import URLPattern, path

from quarterdeck.roadmap import share_views

app_name = "share"

urlpatterns: list[URLPattern] = [
    path("<str:token>/", share_views.view, name="view"),
    path("<str:token>/export.<str:fmt>", share_views.export, name="export"),
]
