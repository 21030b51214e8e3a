from django.urls import path

from quarterdeck.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
