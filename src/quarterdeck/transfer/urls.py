from django.urls import path

from quarterdeck.transfer import views

app_name = "transfer"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("report/", views.report, name="report"),
]
