"""The interactive API docs (Swagger UI) served from the bundled static files.

Ninja's stock page loads Swagger UI from a CDN unless "ninja" is an installed app; Quarterdeck
runs offline behind a strict Content Security Policy (scripts from 'self' or with the nonce), so
this page loads the copies shipped inside django-ninja from /static/ and nonces its scripts.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.template import engines
from ninja.openapi.docs import Swagger, _csrf_needed

if TYPE_CHECKING:
    from ninja import NinjaAPI

PAGE = """{% load static %}<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{{ api.title }}</title>
  <link rel="stylesheet" href="{% static 'ninja/swagger-ui.css' %}">
  <link rel="icon" href="{% static 'ninja/favicon.svg' %}" type="image/svg+xml">
</head>
<body data-csrf-token="{% if add_csrf %}{{ csrf_token }}{% endif %}"
      data-api-csrf="{% if add_csrf %}true{% endif %}">
  <script type="application/json" id="swagger-settings">{{ swagger_settings|safe }}</script>
  <div id="swagger-ui"></div>
  <script nonce="{{ csp_nonce }}" src="{% static 'ninja/swagger-ui-bundle.js' %}"></script>
  <script nonce="{{ csp_nonce }}" src="{% static 'ninja/swagger-ui-init.js' %}"></script>
</body>
</html>
"""


class BundledSwagger(Swagger):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {
            # Inside <script>, "</" would end the element early; JSON may spell it "<\/".
            "swagger_settings": json.dumps(settings).replace("</", "<\\/"),
            "api": api,
            "add_csrf": _csrf_needed(api),
        }
        page = engines["django"].from_string(PAGE)
        return HttpResponse(page.render(context, request))
