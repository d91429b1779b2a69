"""Wagtail admin for webhooks: endpoints (secret shown once) and the delivery log.

Who may do what: the webhooks app's model permissions (``add/change/delete/view``
``_endpoint``); the delivery log is read-only for everyone, readable with
``view_delivery`` or ``view_endpoint``, and redelivery needs ``change_endpoint``.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import ListingButton
from wagtail.permission_policies import ModelPermissionPolicy

from publishing.local_time import relative
from publishing.webhooks import health
from publishing.webhooks.delivery import EndpointDisabled, redeliver
from publishing.webhooks.egress import TargetRefused, validate_target_url
from publishing.webhooks.models import EVENT_CHOICES, Delivery, Endpoint
from publishing.webhooks.signing import generate_secret, rotate_secret


class EndpointForm(WagtailAdminModelForm):
    url = forms.URLField(max_length=2048, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=EVENT_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "events", "active"]

    def clean_url(self) -> str:
        try:
            return validate_target_url(self.cleaned_data["url"])
        except TargetRefused as exc:
            raise forms.ValidationError(str(exc)) from exc


def show_secret_once(request, endpoint: Endpoint, secret: str, heading: str):
    """The one page that shows a signing secret: rendered in the response itself,
    never carried by a message (Django keeps messages in a cookie) or a redirect."""
    response = TemplateResponse(
        request,
        "webhooks/secret_once.html",
        {
            "endpoint": endpoint,
            "secret": secret,
            "heading": heading,
            "index_url": reverse("webhooks_endpoint:index"),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


class EndpointCreateView(generic.CreateView):
    def save_instance(self):
        self.form.instance.secret = generate_secret()
        return super().save_instance()

    def get_success_message(self, instance):
        return None

    def form_valid(self, form):
        super().form_valid(form)
        return show_secret_once(
            self.request,
            self.object,
            self.object.secret,
            "Webhook endpoint created",
        )


class EndpointEditView(generic.EditView):
    def save_instance(self):
        was_active = Endpoint.objects.get(pk=self.object.pk).active
        instance = self.form.instance
        if instance.active and not was_active:
            health.enable_endpoint(instance)
        instance = super().save_instance()
        if was_active and not instance.active:
            health.disable_endpoint(instance.pk, "Disabled by an editor.")
            instance.refresh_from_db()
        return instance


class EndpointIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm("webhooks.change_endpoint"):
            buttons.append(
                ListingButton(
                    "Rotate secret",
                    url=reverse("webhooks_endpoint:rotate", args=(instance.pk,)),
                    icon_name="key",
                    priority=40,
                )
            )
        return buttons


def rotate_secret_view(request, pk: int):
    """GET: confirm; POST: new secret, shown once; the old one signs for 24 h."""
    if not request.user.has_perm("webhooks.change_endpoint"):
        raise PermissionDenied
    endpoint = get_object_or_404(Endpoint, pk=pk)
    index_url = reverse("webhooks_endpoint:index")
    if request.method == "POST":
        new = rotate_secret(endpoint)
        return show_secret_once(request, endpoint, new, "Signing secret rotated")
    return TemplateResponse(
        request,
        "webhooks/rotate_confirm.html",
        {"endpoint": endpoint, "index_url": index_url},
    )


def endpoint_state(endpoint: Endpoint) -> str:
    if endpoint.active:
        return "failing" if endpoint.failing_since else "active"
    return "disabled"


class EndpointViewSet(ModelViewSet):
    model = Endpoint
    icon = "link-external"
    menu_label = "Endpoints"
    add_to_admin_menu = False
    form_fields = ["url", "description", "events", "active"]
    index_view_class = EndpointIndexView
    add_view_class = EndpointCreateView
    edit_view_class = EndpointEditView
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "url",
        "description",
        "events",
        "active",
        "disabled_reason",
        "disabled_at",
        "failing_since",
        "last_success_at",
        "created_at",
    ]
    list_filter = ["active"]
    list_display = [
        "url",
        StatusTagColumn(
            "state",
            accessor=endpoint_state,
            label="State",
            primary=lambda e: e.active and not e.failing_since,
        ),
        Column("disabled_reason", label="Disabled because"),
        "failing_since",
        "last_success_at",
    ]

    def get_form_class(self, for_update=False):
        return EndpointForm

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("rotate/<int:pk>/", rotate_secret_view, name="rotate"),
        ]


class DeliveryLogPolicy(ModelPermissionPolicy):
    """The log is written by the system only; reading it needs a view permission."""

    def user_has_permission(self, user, action):
        if action != "view":
            return False
        return user.has_perm("webhooks.view_delivery") or user.has_perm(
            "webhooks.view_endpoint"
        )


class DeliveryIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("endpoint")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm("webhooks.change_endpoint"):
            buttons.append(
                ListingButton(
                    "Redeliver",
                    url=reverse("webhooks_delivery:redeliver", args=(instance.pk,)),
                    icon_name="resubmit",
                    priority=5,
                )
            )
        return buttons


def redeliver_view(request, pk: int):
    """GET: confirm; POST: send the delivery again with the same webhook-id."""
    if not request.user.has_perm("webhooks.change_endpoint"):
        raise PermissionDenied
    delivery = get_object_or_404(Delivery.objects.select_related("endpoint"), pk=pk)
    index_url = reverse("webhooks_delivery:index")
    if request.method == "POST":
        try:
            redeliver(delivery.pk)
        except EndpointDisabled as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"Delivery {delivery.webhook_id} will be sent again."
            )
        return redirect(index_url)
    return TemplateResponse(
        request,
        "webhooks/redeliver_confirm.html",
        {"delivery": delivery, "index_url": index_url},
    )


class DeliveryInspectView(generic.InspectView):
    """A delivery with every attempt: when, the status code, how long it took,
    the error and the start of the receiver's answer (what the API lists)."""

    template_name = "webhooks/delivery_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        delivery = self.object
        try:
            payload = json.dumps(json.loads(delivery.payload), indent=2)
        except ValueError:
            payload = delivery.payload
        context.update(
            delivery=delivery,
            attempts=list(delivery.attempts.order_by("-at", "-id")),
            payload=payload,
            next_attempt=(
                relative(delivery.next_attempt_at)
                if delivery.next_attempt_at and delivery.status == "pending"
                else None
            ),
            can_redeliver=self.request.user.has_perm("webhooks.change_endpoint"),
        )
        return context


class DeliveryViewSet(ModelViewSet):
    model = Delivery
    icon = "resubmit"
    menu_label = "Delivery log"
    add_to_admin_menu = False
    index_view_class = DeliveryIndexView
    inspect_view_class = DeliveryInspectView
    copy_view_enabled = False
    inspect_view_enabled = True
    exclude_form_fields = ["payload"]
    inspect_view_fields = [
        "webhook_id",
        "endpoint",
        "event_type",
        "status",
        "attempt_count",
        "next_attempt_at",
        "created_at",
        "payload",
    ]
    list_filter = ["status", "event_type", "endpoint", "created_at"]
    list_display = [
        "webhook_id",
        "endpoint",
        "event_type",
        StatusTagColumn(
            "status", label="Status", primary=lambda d: d.status == "delivered"
        ),
        "attempt_count",
        "next_attempt_at",
        "created_at",
    ]
    ordering = ["-created_at", "-id"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("redeliver/<int:pk>/", redeliver_view, name="redeliver"),
        ]


class WebhooksGroup(ModelViewSetGroup):
    menu_label = "Webhooks"
    menu_icon = "link-external"
    menu_order = 900
    items = (
        EndpointViewSet("webhooks_endpoint"),
        DeliveryViewSet("webhooks_delivery"),
    )
