from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "cms.content"
    label = "content"
    verbose_name = "Content"

    def ready(self) -> None:
        from django.core import checks

        from cms.content import cache_invalidation
        from cms.content.ratelimit import check_rate_settings

        cache_invalidation.connect()
        checks.register(check_rate_settings)
