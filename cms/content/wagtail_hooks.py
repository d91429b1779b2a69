"""Article editing in the Wagtail admin: reading time, related suggestions, SEO.

- The related-posts chooser is a page chooser limited to articles: Wagtail builds it
  from ``RelatedArticle.article`` (a foreign key to ``ArticlePage``).
- Below it, the editor sees the automatic related articles the delivery API adds
  after their picks (``delivery.serializers.related_ids``, the API's own logic).
- The reading time (computed on save) is shown beside the intro, and the Promote tab
  shows the SEO title, description and canonical URL the API will publish.
- The preview opens the headless front end (``HEADLESS_PREVIEW_URL``) with a signed
  token: ``cms.content.preview.HeadlessPreviewMixin`` on the page model.
- "Publish" publishes the page the editor saved, in one transaction, rather than
  rebuilding it from its revision's JSON (``cms.content.edit_view``).

The panels are added to ``ArticlePage``'s panel lists here, where admin concerns live,
and Wagtail's cached edit handler is rebuilt.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.html import strip_tags
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, Panel

from cms.content.edit_view import ArticlePageViewSet
from cms.content.models import ArticlePage


class ReadingTimePanel(Panel):
    """The stored reading time, read-only: it is computed from the text on save."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtailadmin/panels/reading_time_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["minutes"] = (
                self.instance.reading_time_minutes if self.instance.pk else None
            )
            return context


class RelatedSuggestionsPanel(Panel):
    """What the API's ``related`` would hold: the picks, then automatic suggestions."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtailadmin/panels/related_suggestions_panel.html"

        def get_context_data(self, parent_context=None):
            from delivery.serializers import related_ids

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


class SeoSummaryPanel(Panel):
    """The SEO block the API publishes, with its fallbacks spelled out."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtailadmin/panels/seo_summary_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            article = self.instance
            url = None
            if article.pk and article.url_path:
                parts = article.get_url_parts()
                url = parts[2] if parts else None
            context.update(
                title=article.seo_title or article.title,
                title_is_fallback=not article.seo_title,
                description=article.search_description or strip_tags(article.intro),
                description_is_fallback=not article.search_description,
                canonical_url=(
                    settings.FRONTEND_BASE_URL.rstrip("/") + url if url else None
                ),
                headless_preview=bool(settings.HEADLESS_PREVIEW_URL),
            )
            return context


def _insert_after(panels: list, wanted, new_panel) -> list:
    out = []
    for panel in panels:
        out.append(panel)
        if wanted(panel):
            out.append(new_panel)
    if new_panel not in out:
        out.append(new_panel)
    return out


def _is_field(name: str):
    return lambda panel: isinstance(panel, FieldPanel) and panel.field_name == name


def _is_inline(name: str):
    return lambda panel: isinstance(panel, InlinePanel) and panel.relation_name == name


def install_article_panels() -> None:
    """Add the panels once, then rebuild Wagtail's cached edit handler."""
    if getattr(ArticlePage, "_editing_panels_installed", False):
        return
    content = _insert_after(
        list(ArticlePage.content_panels),
        _is_field("intro"),
        ReadingTimePanel(heading="Reading time"),
    )
    content = _insert_after(
        content,
        _is_inline("related_links"),
        RelatedSuggestionsPanel(heading="Related posts readers will see"),
    )
    ArticlePage.content_panels = content
    ArticlePage.promote_panels = [
        *ArticlePage.promote_panels,
        SeoSummaryPanel(heading="What search engines and sharing will show"),
    ]
    ArticlePage._editing_panels_installed = True
    # Hooks usually load before wagtail.admin's ready() attaches get_edit_handler;
    # if they load later, drop the handler Wagtail may have built already.
    get_edit_handler = getattr(ArticlePage, "get_edit_handler", None)
    if get_edit_handler is not None:
        get_edit_handler.cache_clear()


install_article_panels()


@hooks.register("register_admin_viewset")
def register_article_page_viewset():
    # The edit view whose "Publish" publishes the saved page itself (edit_view.py).
    return ArticlePageViewSet("article_pages")
