"""The delivery app in the Wagtail admin.

Below the related-posts chooser: the related posts readers will see, the editor's
picks and then the API's own suggestions (``delivery.related.related_ids``). And
"Copy preview link" on articles.
"""

from __future__ import annotations

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.panels import Panel
from wagtail.admin.widgets import Button

from cms.content.models import ArticlePage
from cms.content.wagtail_hooks import add_article_panel, is_inline
from delivery.preview_link import preview_link
from delivery.related import related_ids


class RelatedSuggestionsPanel(Panel):
    """What the API's ``related`` would hold: the picks, then automatic suggestions."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtailadmin/panels/related_suggestions_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            article = self.instance
            picks = {link.article_id for link in article.related_links.all()}
            ids = related_ids(article, draft=True)
            titles = dict(
                ArticlePage.objects.filter(pk__in=ids).values_list("pk", "title")
            )
            context["related"] = [
                {"id": i, "title": titles.get(i, ""), "picked": i in picks}
                for i in ids
                if i in titles
            ]
            return context


add_article_panel(
    RelatedSuggestionsPanel(heading="Related posts readers will see"),
    after=is_inline("related_links"),
)


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
