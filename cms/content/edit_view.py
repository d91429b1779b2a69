"""The admin's edit view for articles: Wagtail's, with a cheaper "Publish".

Wagtail's publish saves a revision from the page the form built (validating it
first), then reads that revision back from its JSON to publish it: the whole article
is rebuilt from JSON, every foreign key it names is looked up again, and the result
is validated a second time, all of it in autocommit, one transaction per write.

Here the publish runs in one transaction, and the page the editor just saved and
validated is the one published (``ArticlePage.publish_from_memory``): the same row,
revision, log entries, signals and events, without the rebuild. A publish that
fails half-way leaves nothing half-done (not a live page without its log entry or
its outbox event), and the work queued for the workers once it commits (search and
reference index, cache purge, documents) leaves in one Celery message
(``cms.tasks_backend.one_message``) rather than one per savepoint and callback.

Registered for ``ArticlePage`` by ``ArticlePageViewSet`` (cms/content/wagtail_hooks.py).
"""

from __future__ import annotations

from django.db import transaction
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.viewsets.pages import PageViewSet

from cms.content.models import ArticlePage
from cms.tasks_backend import one_message


class ArticleEditView(EditView):
    def publish_action(self):
        page = self.page
        with one_message(), transaction.atomic():
            page.publish_from_memory = True
            try:
                return super().publish_action()
            finally:
                page.publish_from_memory = False


class ArticlePageViewSet(PageViewSet):
    model = ArticlePage
    edit_view_class = ArticleEditView
    # Only the edit view changes: a section's children stay in Wagtail's own
    # explorer listing, which a viewset otherwise takes over for its parent types.
    parent_models = ()
