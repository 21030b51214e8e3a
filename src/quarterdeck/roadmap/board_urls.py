"""Pages of roadmap/board (included by roadmap/urls.py under the "roadmap" namespace)."""

from django.urls import URLPattern, path

from quarterdeck.roadmap import board_views

urlpatterns: list[URLPattern] = [path("", board_views.board, name="board")]
