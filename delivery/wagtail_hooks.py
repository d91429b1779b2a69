"""The delivery app in the Wagtail admin: "Copy preview link" on articles."""

from __future__ import annotations

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets import Button

from cms.content.models import ArticlePage
from delivery.preview_link import preview_link


@hooks.register("register_admin_urls")
def register_preview_link_url():
    return [
        path(
            "pages/<int:page_id>/preview-link/",
            preview_link,
            name="delivery_preview_link",
        )
    ]


@hooks.register("register_page_header_buttons")
def preview_link_button(page, user, view_name, next_url=None):
    if (
        page.specific_class is ArticlePage
        and page.permissions_for_user(user).can_edit()
    ):
        yield Button(
            "Copy preview link",
            url=reverse("delivery_preview_link", args=[page.pk]),
            icon_name="link",
            priority=12,
        )
