"""Pages of the surveys module."""

from django.urls import URLPattern, path

from quarterdeck.surveys import views

app_name = "surveys"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/import/", views.import_form, name="import"),
]
