from django.contrib import admin
from django.urls import include, path

from quarterdeck.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("transfer/", include("quarterdeck.transfer.urls")),
    path("analytics/", include("quarterdeck.analytics.urls")),
    path("kpis/", include("quarterdeck.kpis.urls")),
    path("surveys/", include("quarterdeck.surveys.urls")),
    path("revenue/", include("quarterdeck.revenue.urls")),
    path("strategy/", include("quarterdeck.strategy.urls")),
    path("feedback/", include("quarterdeck.feedback.urls")),
    path("portal/", include("quarterdeck.feedback.portal_urls")),
    path("roadmap/", include("quarterdeck.roadmap.urls")),
    path("launches/", include("quarterdeck.launches.urls")),
    path("share/", include("quarterdeck.roadmap.share_urls")),
    path("", include("quarterdeck.metrics.urls")),  # sources pages; /v1/…, /batch/ ingestion
    path("", include("quarterdeck.web.urls")),
]
