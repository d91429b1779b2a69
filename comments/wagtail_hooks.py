"""Reader comments in the Wagtail admin: the moderation queue (comments/views.py),
its menu item with the pending count, a dashboard panel, the moderation
permission in group settings, and a "Comments" button on each article."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button

from cms.content.models import ArticlePage
from comments import moderation, views


class CommentsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return views.can_moderate(request.user)


class PendingCommentsPanel(Component):
    name = "reader_comments"
    template_name = "comments/dashboard_panel.html"
    order = 90

    def get_context_data(self, parent_context=None):
        return {"pending": moderation.pending_count()}


@hooks.register("register_admin_urls")
def register_comment_urls():
    return [
        path("comments/", views.QueueView.as_view(), name="comments_queue"),
        path(
            "comments/articles/<int:article_id>/<str:state>/",
            views.set_article_comments,
            name="comments_article",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_comments_menu():
    return CommentsMenuItem(
        "Comments",
        reverse("comments_queue"),
        name="reader-comments",
        icon_name="comment",
        order=260,
    )


@hooks.register("construct_homepage_panels")
def add_pending_comments_panel(request, panels):
    if views.can_moderate(request.user):
        panels.append(PendingCommentsPanel())


@hooks.register("register_permissions")
def register_moderation_permission():
    return Permission.objects.filter(
        content_type__app_label="comments", codename="moderate_comment"
    )


@hooks.register("register_page_header_buttons")
def article_comments_button(page, user, view_name=None, next_url=None):
    if page.specific_class is ArticlePage and views.can_moderate(user):
        yield Button(
            "Reader comments",
            url=reverse("comments_queue") + f"?article={page.pk}",
            icon_name="comment",
            priority=14,
        )
