from django.urls import path

from quarterdeck.feedback import portal_views

app_name = "portal"

urlpatterns = [
    path("<slug:slug>/", portal_views.index, name="index"),
    path("<slug:slug>/submit/", portal_views.submit, name="submit"),
    path("<slug:slug>/ideas/<int:pk>/vote/", portal_views.vote, name="vote"),
]
