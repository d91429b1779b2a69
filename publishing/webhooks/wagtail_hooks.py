from wagtail import hooks
from wagtail.permissions import register_permission_policy

from publishing.webhooks.models import Delivery
from publishing.webhooks.views import DeliveryLogPolicy, WebhooksGroup

# The delivery log is read-only in the admin: only the system writes it.
register_permission_policy(Delivery, DeliveryLogPolicy(Delivery), exact_class=True)


@hooks.register("register_admin_viewset")
def register_webhooks_viewsets():
    return WebhooksGroup()
