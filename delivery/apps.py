from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    """What front ends read: the delivery API, its read model, cache, feed, sitemap."""

    name = "delivery"
    label = "delivery"
    verbose_name = "Delivery"

    def ready(self) -> None:
        from django.core import checks

        from delivery import cache_invalidation, document_signals
        from delivery.ratelimit import check_rate_settings

        cache_invalidation.connect()
        document_signals.connect()
        checks.register(check_rate_settings)
