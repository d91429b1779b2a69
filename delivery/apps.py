from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    """What front ends read: the delivery API, its read model, cache, feed, sitemap."""

    name = "delivery"
    label = "delivery"
    verbose_name = "Delivery"

    def ready(self) -> None:
        from django.core import checks

        from delivery import signal_handlers
        from delivery.ratelimit import check_rate_settings

        signal_handlers.connect()
        checks.register(check_rate_settings)
