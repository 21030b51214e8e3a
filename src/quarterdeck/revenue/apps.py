from django.apps import AppConfig


class RevenueConfig(AppConfig):
    """Customers, subscriptions mapped to products, and the revenue metrics (MRR, churn, NRR)."""

    name = "quarterdeck.revenue"
    label = "revenue"

    def ready(self) -> None:
        from django.conf import settings

        from quarterdeck.lib.env import ConfigError
        from quarterdeck.revenue.selectors import may_read_revenue

        code = str(settings.REVENUE_CURRENCY)
        if not (len(code) == 3 and code.isalpha() and code.isascii()):
            raise ConfigError(
                f"QUARTERDECK_REVENUE_CURRENCY={code!r}: expected a 3-letter ISO code, e.g. USD."
            )
        from quarterdeck.web.nav import NavItem, register

        register(NavItem("Revenue", "revenue:index", order=47, visible=may_read_revenue))
