from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    """Customer voice: the feedback inbox, links to features, themes, duplicates, demand, portal."""

    name = "quarterdeck.feedback"
    label = "feedback"

    def ready(self) -> None:
        from quarterdeck.web.nav import NavItem, register

        register(NavItem("Feedback", "feedback:inbox", order=14, prefix="/feedback/"))
