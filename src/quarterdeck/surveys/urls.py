"""Pages of the surveys module."""

from django.urls import URLPattern, path

from quarterdeck.surveys import form_views, views

app_name = "surveys"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("new/", form_views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", form_views.edit, name="edit"),
    path("<int:pk>/delete/", form_views.delete, name="delete"),
    path("<int:pk>/import/", views.import_form, name="import"),
]
