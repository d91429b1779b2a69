"""What the product adds to Wagtail's own behaviour, taken back out of the baseline.

The baseline project loads our apps (the same models, the same rows), so without
this it would also run two things stock Wagtail does not have:

- the product's admin edit view for articles (``cms.content.edit_view``: "Publish"
  in one transaction, from the saved page): stock publishes through Wagtail's own
  ``EditView``;
- the stored delivery documents' render after each publish
  (``delivery.signal_handlers``), which the baseline's immediate tasks backend
  would run inside the editor's request.

Imported by ``bench/baseline/urls.py`` before Wagtail's admin URLs, which is when
Wagtail registers the admin viewsets.
"""

from wagtail import hooks

from cms.content.wagtail_hooks import register_article_page_viewset
from delivery import signal_handlers
from publishing.signals import articles_published, articles_unpublished


def use_stock_behaviour() -> None:
    hooks.search_for_hooks()
    registered = hooks._hooks.get("register_admin_viewset", [])
    ours = register_article_page_viewset
    registered[:] = [(fn, order) for fn, order in registered if fn is not ours]
    for signal in (articles_published, articles_unpublished):
        signal.disconnect(
            signal_handlers.render_article_documents, dispatch_uid="documents"
        )


use_stock_behaviour()
