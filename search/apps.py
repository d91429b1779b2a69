from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "cms_search"
    verbose_name = "Search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from search import signal_handlers

        signal_handlers.connect()
