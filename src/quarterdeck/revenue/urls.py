"""Pages of the revenue module."""

from django.urls import path

from quarterdeck.revenue import views

app_name = "revenue"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_file, name="import"),
]
