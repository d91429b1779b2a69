"""Preview of drafts for a headless front end (CONTRACT.md section 3).

A preview token is signed with Django's signing under its own salt, bound to one
page and one revision, and expires after ``PREVIEW_TOKEN_TTL`` seconds. It keeps
showing that revision even after newer drafts. The admin's preview opens
``HEADLESS_PREVIEW_URL`` (with ``{token}`` in it) for the page's latest saved
revision, through :class:`HeadlessPreviewMixin` on the page model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.models import Page, Revision

from cms.api_errors import ApiError

SALT = "cms.content.preview"


@dataclass(frozen=True)
class PreviewToken:
    token: str
    url: str
    expires_at: datetime


def preview_url(token: str) -> str:
    template = settings.HEADLESS_PREVIEW_URL
    if not template:
        return f"/api/v1/preview/?token={token}"
    return template.replace("{token}", token)


def mint_preview_token(page: Page, revision: Revision | None = None) -> PreviewToken:
    """A token for ``revision`` (default: the page's latest revision) of ``page``."""
    revision = revision or page.latest_revision
    if revision is None:
        revision = page.save_revision()
    token = signing.dumps({"p": page.pk, "r": revision.pk}, salt=SALT, compress=True)
    expires_at = timezone.now() + timedelta(seconds=settings.PREVIEW_TOKEN_TTL)
    return PreviewToken(token=token, url=preview_url(token), expires_at=expires_at)


def _unauthorised(message: str) -> ApiError:
    return ApiError("invalid_token", message, field=None, status=401)


def read_preview_token(token: str) -> Revision:
    """The revision a token shows; 401 if tampered, expired or not for its page."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=settings.PREVIEW_TOKEN_TTL)
    except signing.SignatureExpired as exc:
        raise _unauthorised("The preview token has expired.") from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise _unauthorised("The preview token is not valid.") from exc
    if not isinstance(payload, dict):
        raise _unauthorised("The preview token is not valid.")
    page_id, revision_id = payload.get("p"), payload.get("r")
    revision = (
        Revision.objects.filter(pk=revision_id, object_id=str(page_id))
        .select_related("content_type")
        .first()
        if isinstance(page_id, int) and isinstance(revision_id, int)
        else None
    )
    if revision is None or not Page.objects.filter(pk=page_id).exists():
        raise _unauthorised("The preview token is not valid for this page.")
    return revision


class HeadlessPreviewMixin:
    """Opens the headless front end's preview page from the Wagtail admin."""

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        if not settings.HEADLESS_PREVIEW_URL or self.pk is None:
            return super().serve_preview(request, mode_name)
        preview = mint_preview_token(self)
        return TemplateResponse(
            request,
            "delivery/preview_redirect.html",
            {"preview_url": preview.url, "page": self},
        )
