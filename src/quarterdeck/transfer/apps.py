from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "quarterdeck.transfer"
    label = "transfer"

    def ready(self) -> None:
        from quarterdeck.accounts import rules
        from quarterdeck.web.nav import DATA, NavItem, register

        register(
            NavItem(
                "Import / export",
                "transfer:index",
                order=60,
                visible=rules.changes_everything,
                section=DATA,
            )
        )
