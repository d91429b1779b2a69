""" "Copy preview link" in the article editor: the link the publishing API mints.

``POST /api/v1/publishing/articles/{id}/preview-token/`` gives an integration a
preview link; this admin page gives one to the editor, for the article's latest
saved revision, under the same rules: the editor must be able to edit the article,
the link expires (``PREVIEW_TOKEN_TTL``), and minting counts against the same
per-editor limit (``PREVIEW_RATE_LIMIT``). The link opens the front end's preview
page (``HEADLESS_PREVIEW_URL``), or else this CMS's reading view of the draft.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from cms.content.models import ArticlePage
from cms.content.preview import mint_preview_token
from delivery import ratelimit


def preview_link(request: HttpRequest, page_id: int) -> HttpResponse:
    article = get_object_or_404(ArticlePage, pk=page_id)
    if not article.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    context = {
        "page_title": "Preview link",
        "header_icon": "link",
        "article": article,
        "edit_url": reverse("wagtailadmin_pages:edit", args=[article.pk]),
    }
    limited = ratelimit.limit(
        "preview-mint", f"user:{request.user.pk}", settings.PREVIEW_RATE_LIMIT
    )
    if limited is not None:
        context["refused"] = "You have made many preview links in the last minute."
        return TemplateResponse(
            request, "delivery/preview_link.html", context, status=429
        )
    minted = mint_preview_token(article, user_id=request.user.pk)
    revision = article.latest_revision
    context.update(
        url=request.build_absolute_uri(minted.url),
        expires_at=minted.expires_at,
        minutes=round((minted.expires_at - timezone.now()).total_seconds() / 60),
        revision=revision,
        headless=bool(settings.HEADLESS_PREVIEW_URL),
    )
    return TemplateResponse(request, "delivery/preview_link.html", context)
