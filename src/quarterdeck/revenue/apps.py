from django.apps import AppConfig


class RevenueConfig(AppConfig):
    """Customers, subscriptions mapped to products, and the revenue metrics (MRR, churn, NRR)."""

    name = "quarterdeck.revenue"
    label = "revenue"
