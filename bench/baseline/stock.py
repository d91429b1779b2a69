"""What the product adds to Wagtail's own behaviour, taken back out of the baseline.

The baseline project loads our apps (the same models, the same rows), so without
this it would also run two things stock Wagtail does not have:

- the product's admin edit view for articles (``cms.content.edit_view``: "Publish"
  in one transaction, from the saved page): stock publishes through Wagtail's own
  ``EditView``;
- the stored delivery documents' render after each publish
  (``delivery.document_signals``), which the baseline's immediate tasks backend
  would run inside the editor's request.

Imported by ``bench/baseline/urls.py`` before Wagtail's admin URLs, which is when
Wagtail registers the admin viewsets.
"""

from wagtail import hooks
from wagtail.signals import page_published, page_unpublished

from cms.content.models import ArticlePage
from cms.content.wagtail_hooks import register_article_page_viewset
from delivery import document_signals


def use_stock_behaviour() -> None:
    hooks.search_for_hooks()
    registered = hooks._hooks.get("register_admin_viewset", [])
    ours = register_article_page_viewset
    registered[:] = [(fn, order) for fn, order in registered if fn is not ours]
    for signal in (page_published, page_unpublished):
        signal.disconnect(
            document_signals.article_changed,
            sender=ArticlePage,
            dispatch_uid="documents",
        )


use_stock_behaviour()
