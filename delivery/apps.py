from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    """What front ends read: the delivery API, its read model, cache, feed, sitemap."""

    name = "delivery"
    label = "delivery"
    verbose_name = "Delivery"
