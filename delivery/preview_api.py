"""``POST /api/v1/publishing/articles/{id}/preview-token/``: a shareable preview link.

Bearer API tokens (Wagtail's ``APIToken``) act with their user's permissions: the
user must be able to edit the article. The rest of /api/v1/publishing/ belongs to
the publishing app; this router only adds this one route.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema, Status

from cms.api_contract import ApiError, ErrorOut, Timestamp
from cms.content.models import ArticlePage
from cms.content.preview import mint_preview_token
from delivery import ratelimit
from publishing.tokens import PREVIEW, TokenAuth

router = Router(tags=["publishing"], auth=TokenAuth(PREVIEW))
# The OpenAPI operationId is named, not derived from this module's path (see
# the delivery router).


class PreviewTokenOut(Schema):
    token: str
    url: str
    expires_at: Timestamp


@router.post(
    "articles/{article_id}/preview-token/",
    response={
        201: PreviewTokenOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        429: ErrorOut,
    },
    summary="Mint a preview link for the article's latest revision",
    operation_id="createPreviewToken",
)
def create_preview_token(request: HttpRequest, article_id: int):
    article = ArticlePage.objects.filter(pk=article_id).first()
    if article is None:
        raise ApiError("not_found", "No such article.", status=404)
    if not article.permissions_for_user(request.user).can_edit():
        raise ApiError("forbidden", "You may not edit this article.", status=403)
    limited = ratelimit.limit(
        "preview-mint", f"user:{request.user.pk}", settings.PREVIEW_RATE_LIMIT
    )
    if limited is not None:
        return limited
    preview = mint_preview_token(article, user_id=request.user.pk)
    return Status(
        201,
        {"token": preview.token, "url": preview.url, "expires_at": preview.expires_at},
    )
