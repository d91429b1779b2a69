"""The moderation queue in the Wagtail admin: comments by status (pending first),
bulk approve / reject / mark as spam, and each article's comments opened or
closed. Thin doors onto comments.moderation; every view needs the
``comments.moderate_comment`` permission."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from cms.content.models import ArticlePage
from comments import moderation
from comments.models import Comment, CommentThread

PERMISSION = "comments.moderate_comment"
PER_PAGE = 50
TABS = [
    ("pending", "Pending"),
    ("approved", "Approved"),
    ("spam", "Spam"),
    ("removed", "Removed"),
]
DONE = {
    "approve": "approved",
    "reject": "rejected",
    "spam": "marked as spam",
    "ban": "marked as spam, their senders banned",
}


def can_moderate(user) -> bool:
    return user.is_active and user.has_perm(PERMISSION)


def _require(request: HttpRequest) -> None:
    if not can_moderate(request.user):
        raise PermissionDenied


class QueueView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "comments/queue.html"
    page_title = "Reader comments"
    header_icon = "comment"
    _show_breadcrumbs = True

    def dispatch(self, request, *args, **kwargs):
        _require(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def post(self, request: HttpRequest):
        action = request.POST.get("action")
        ids = [
            i for i in request.POST.getlist("comment") if i.isascii() and i.isdigit()
        ]
        if action not in moderation.ACTIONS:
            messages.error(request, "Choose approve, reject, spam or ban.")
        elif not ids:
            messages.error(request, "Select at least one comment.")
        else:
            changed = moderation.moderate(ids, action, user=request.user)
            messages.success(request, f"{changed} comment(s) {DONE[action]}.")
        back = request.POST.get("next") or ""
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
            back = reverse("comments_queue")
        return HttpResponseRedirect(back)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "pending")
        if status not in dict(TABS):
            status = "pending"
        comments = Comment.objects.filter(status=status).select_related("article")
        article_id = self.request.GET.get("article", "")
        article = None
        if article_id.isascii() and article_id.isdigit():
            article = ArticlePage.objects.filter(pk=article_id).first()
            comments = comments.filter(article_id=article_id)
        # Oldest first while waiting (first come, first served), else newest.
        comments = comments.order_by(
            *(("created_at", "id") if status == "pending" else ("-created_at", "-id"))
        )
        page = Paginator(comments, PER_PAGE).get_page(self.request.GET.get("p"))
        counts = dict(
            Comment.objects.order_by()
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        closed = set(
            CommentThread.objects.filter(
                article_id__in={c.article_id for c in page}, closed=True
            ).values_list("article_id", flat=True)
        )
        context.update(
            status=status,
            tabs=[(s, label, counts.get(s, 0)) for s, label in TABS],
            page=page,
            article=article,
            closed=closed,
            article_closed=article is not None
            and CommentThread.objects.filter(article=article, closed=True).exists(),
        )
        return context


@require_POST
def set_article_comments(request: HttpRequest, article_id: int, state: str):
    _require(request)
    if state not in ("open", "close"):
        raise Http404
    article = get_object_or_404(ArticlePage, pk=article_id)
    moderation.set_comments_open(article.pk, state == "open")
    now = "open" if state == "open" else "closed"
    messages.success(request, f"Comments on “{article.title}” are now {now}.")
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = reverse("comments_queue") + f"?article={article.pk}"
    return HttpResponseRedirect(back)
