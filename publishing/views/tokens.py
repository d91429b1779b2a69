"""API tokens in the admin (Settings → API tokens): Wagtail's views, with the
token's scopes and expiry chosen at creation and shown in the list.

Wagtail registers its token viewset itself; ``PublishingConfig.ready`` hands it this
subclass instead, so that there is one token admin, not two.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.log_actions import log
from wagtail.users.utils import user_can_manage_token
from wagtail.users.views import api_tokens as wagtail_views

from publishing.tokens import SCOPES, create_token, grant_of, token_scopes


class ScopedTokenForm(wagtail_views.APITokenForm):
    scopes = forms.MultipleChoiceField(
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="What the token may do, within its user's permissions.",
    )
    expires_at = forms.DateTimeField(
        required=False,
        widget=AdminDateTimeInput,
        label="Expires",
        help_text="Empty: until revoked.",
    )

    def clean_expires_at(self):
        expires_at = self.cleaned_data.get("expires_at")
        if expires_at is not None and expires_at <= timezone.now():
            raise forms.ValidationError("The expiry is in the past.")
        return expires_at


class ScopedCreateView(wagtail_views.CreateView):
    def form_valid(self, form):
        owner = form.cleaned_data["user"]
        if not user_can_manage_token(
            self.request.user, owner, "wagtailcore.add_apitoken"
        ):
            raise PermissionDenied
        self.object, plaintext = create_token(
            user=owner,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.cleaned_data.get("expires_at"),
        )
        log(self.object, "wagtail.apitoken.create", user=self.request.user)
        # Shown once, on this page; never stored, never in a cookie or message.
        return TemplateResponse(
            self.request,
            "wagtailusers/api_tokens/created.html",
            self.get_created_context(plaintext),
        )


def _expiry(token) -> str:
    grant = grant_of(token)
    if grant is None or grant.expires_at is None:
        return "never"
    return timezone.localtime(grant.expires_at).strftime("%Y-%m-%d %H:%M")


class ScopedIndexView(wagtail_views.IndexView):
    @cached_property
    def columns(self):
        return [
            *super().columns,
            Column(
                "scopes",
                label="Scopes",
                accessor=lambda t: ", ".join(token_scopes(t)) or "none",
            ),
            Column("expires", label="Expires", accessor=_expiry),
        ]

    def get_queryset(self):
        return super().get_queryset().select_related("grant")


class ScopedTokenViewSet(wagtail_views.APITokenViewSet):
    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView

    def get_form_class(self, for_update=False):
        if for_update:
            return super().get_form_class(for_update=True)
        return ScopedTokenForm


def install() -> None:
    """Make Wagtail's admin hook register this viewset (it looks the class up on
    its module when the admin URLs load, after every app is ready)."""
    wagtail_views.APITokenViewSet = ScopedTokenViewSet
