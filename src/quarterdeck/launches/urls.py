from quarterdeck.launches import checks_urls, gates_urls, plans_urls

app_name = "launches"

urlpatterns = [*plans_urls.urlpatterns, *gates_urls.urlpatterns, *checks_urls.urlpatterns]
