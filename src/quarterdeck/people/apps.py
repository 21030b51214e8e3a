from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "quarterdeck.people"
    label = "people"
