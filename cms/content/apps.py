from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "cms.content"
    label = "content"
    verbose_name = "Content"

    def ready(self) -> None:
        from cms.content import cache_invalidation

        cache_invalidation.connect()
