from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "quarterdeck.audit"
    label = "audit"
