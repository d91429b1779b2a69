"""What the delivery API will publish, shown to editors while they edit an article.

Below the related-posts chooser: the related posts readers will see, the editor's
picks and then the API's own suggestions (``delivery.related.related_ids``).
"""

from __future__ import annotations

from wagtail.admin.panels import Panel

from cms.content.models import ArticlePage
from cms.content.wagtail_hooks import add_article_panel, is_inline
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
