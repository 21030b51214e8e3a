from django.urls import path

from quarterdeck.feedback import import_views, insight_views, triage_views, views

app_name = "feedback"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("add/", views.add, name="add"),
    path("<int:pk>/", views.item, name="item"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/close/", triage_views.close, name="close"),
    path("<int:pk>/links/new/", views.link_create, name="link_create"),
    path("links/<int:pk>/accept/", triage_views.accept, name="link_accept"),
    path("links/<int:pk>/reject/", triage_views.reject, name="link_reject"),
    path("links/<int:pk>/importance/", triage_views.importance, name="link_importance"),
    path("links/<int:pk>/delete/", triage_views.unlink, name="link_delete"),
    path("duplicates/<int:pk>/merge/", triage_views.merge, name="duplicate_merge"),
    path("duplicates/<int:pk>/dismiss/", triage_views.dismiss, name="duplicate_dismiss"),
    path("import/", import_views.import_csv, name="import"),
    path("import/surveys/", import_views.import_surveys, name="import_surveys"),
    path("themes/", insight_views.themes, name="themes"),
    path("themes/recluster/", insight_views.recluster, name="recluster"),
    path("themes/merge/", insight_views.merge, name="theme_merge"),
    path("themes/<int:pk>/", insight_views.theme, name="theme"),
    path("themes/<int:pk>/rename/", insight_views.rename, name="theme_rename"),
    path("themes/<int:pk>/split/", insight_views.split, name="theme_split"),
    path("demand/", insight_views.demand, name="demand"),
    path("demand.csv", insight_views.demand_export, name="demand_csv"),
    path("features/<int:pk>/loop/", insight_views.loop, name="loop"),
    path("portals/", import_views.portals, name="portals"),
    path("portals/lines/<int:pk>/", import_views.portal_edit, name="portal_edit"),
]
