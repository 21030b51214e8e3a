"""The sources pages and the ingestion endpoints (Segment /v1/…, PostHog /batch/ …)."""

from django.urls import path, re_path

from quarterdeck.metrics import tracking_views, views
from quarterdeck.metrics.ingest import endpoints

app_name = "metrics"

SEGMENT_ROUTE = r"^v1/(?P<kind>track|identify|group|page|screen|alias|batch|import|[tigpsab])/?$"
POSTHOG_ROUTE = r"^(?:batch|capture|e|i/v0/e)/?$"
# Not session pages: they authenticate by write key (see web.middleware.PUBLIC_PREFIXES).
INGESTION_ROUTES = (SEGMENT_ROUTE, POSTHOG_ROUTE)

urlpatterns = [
    path("sources/", views.sources, name="sources"),
    path("sources/new/", views.source_new, name="source_create"),
    path("sources/<int:pk>/", views.source, name="source_detail"),
    path("sources/<int:pk>/edit/", views.source_edit, name="source_edit"),
    path("sources/<int:pk>/revoke/", views.source_revoke, name="source_revoke"),
    path("sources/<int:pk>/new-key/", views.source_rotate, name="source_rotate"),
    path(
        "portfolio/products/<int:pk>/tracking/",
        tracking_views.product_tracking,
        name="product_tracking",
    ),
    path(
        "portfolio/features/<int:pk>/usage/",
        tracking_views.feature_usage,
        name="feature_usage",
    ),
    re_path(SEGMENT_ROUTE, endpoints.segment_endpoint, name="segment"),
    re_path(POSTHOG_ROUTE, endpoints.posthog_endpoint, name="posthog"),
]
