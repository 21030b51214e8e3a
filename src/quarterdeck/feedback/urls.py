from django.urls import path

from quarterdeck.feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.inbox, name="inbox"),
]
