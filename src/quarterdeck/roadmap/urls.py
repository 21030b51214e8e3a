from quarterdeck.roadmap import board_urls, planning_urls, scoring_urls

app_name = "roadmap"

urlpatterns = [*board_urls.urlpatterns, *scoring_urls.urlpatterns, *planning_urls.urlpatterns]
