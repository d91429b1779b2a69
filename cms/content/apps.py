from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "cms.content"
    label = "content"
    verbose_name = "Content"

    def ready(self) -> None:
        from django.core import checks

        from delivery import cache_invalidation, document_signals
        from delivery.ratelimit import check_rate_settings

        cache_invalidation.connect()
        document_signals.connect()
        checks.register(check_rate_settings)
