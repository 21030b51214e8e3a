import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quarterdeck.settings")
application = get_wsgi_application()
# Load every view module (and what they import: DuckDB, Altair's schema, ~4-10 s) while the worker
# boots, not during someone's first request.
get_resolver().url_patterns  # noqa: B018 - evaluated for its side effect
