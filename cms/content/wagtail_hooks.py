"""Article editing in the Wagtail admin: reading time, SEO, a one-transaction publish.

- The related-posts chooser is a page chooser limited to articles: Wagtail builds it
  from ``RelatedArticle.article`` (a foreign key to ``ArticlePage``). Below it, the
  delivery app adds the related posts readers will see (delivery/wagtail_hooks.py).
- The reading time (computed on save) is shown beside the intro, and the Promote tab
  shows the SEO title, description and canonical URL the API will publish.
- The preview opens the headless front end (``HEADLESS_PREVIEW_URL``) with a signed
  token: ``cms.content.preview.HeadlessPreviewMixin`` on the page model.
- "Publish" publishes the page the editor saved, in one transaction, rather than
  rebuilding it from its revision's JSON (``cms.content.edit_view``).

Panels are added to ``ArticlePage``'s panel lists with :func:`add_article_panel`, here
and by the apps above this one, where admin concerns live.
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


def is_field(name: str):
    return lambda panel: isinstance(panel, FieldPanel) and panel.field_name == name


def is_inline(name: str):
    return lambda panel: isinstance(panel, InlinePanel) and panel.relation_name == name


def add_article_panel(panel: Panel, after=None, promote: bool = False) -> None:
    """Add ``panel`` to the article's content (or promote) panels, after the first
    panel ``after`` matches (else at the end), once; then drop Wagtail's cached edit
    handler, which hooks loading after wagtail.admin's ready() may have built."""
    name = "promote_panels" if promote else "content_panels"
    panels = list(getattr(ArticlePage, name))
    if any(type(existing) is type(panel) for existing in panels):
        return
    if after is None:
        panels.append(panel)
    else:
        panels = _insert_after(panels, after, panel)
    setattr(ArticlePage, name, panels)
    get_edit_handler = getattr(ArticlePage, "get_edit_handler", None)
    if get_edit_handler is not None:
        get_edit_handler.cache_clear()


add_article_panel(ReadingTimePanel(heading="Reading time"), after=is_field("intro"))
add_article_panel(
    SeoSummaryPanel(heading="What search engines and sharing will show"),
    promote=True,
)


@hooks.register("register_admin_viewset")
def register_article_page_viewset():
    # The edit view whose "Publish" publishes the saved page itself (edit_view.py).
    return ArticlePageViewSet("article_pages")
