"""Pages of roadmap/board (included by roadmap/urls.py under the "roadmap" namespace)."""

from django.urls import URLPattern, path

from quarterdeck.roadmap import board_saved_views as saved
from quarterdeck.roadmap import board_views

urlpatterns: list[URLPattern] = [
    path("", board_views.board, name="board"),
    path("timeline/", board_views.timeline, name="timeline"),
    path("export.<str:fmt>", board_views.export_file, name="export"),
    path("items/<int:feature_id>/move/", board_views.move, name="move"),
    path("items/<int:feature_id>/remove/", board_views.remove, name="remove"),
    path("items/<int:feature_id>/dates/", board_views.dates, name="dates"),
    path("views/", saved.views, name="views"),
    path("views/new/", saved.view_create, name="view_create"),
    path("views/<int:pk>/", saved.view_detail, name="view_detail"),
    path("views/<int:pk>/edit/", saved.view_edit, name="view_edit"),
    path("views/<int:pk>/delete/", saved.view_delete, name="view_delete"),
    path("views/<int:pk>/export.<str:fmt>", saved.view_export, name="view_export"),
    path("views/<int:pk>/links/", saved.links, name="links"),
    path("links/<int:pk>/revoke/", saved.link_revoke, name="link_revoke"),
]
