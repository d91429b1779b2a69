"""Preview of drafts for a headless front end (CONTRACT.md section 3).

A preview token is signed with Django's signing under its own salt, bound to one
page and one revision, and expires after ``PREVIEW_TOKEN_TTL`` seconds. It keeps
showing that revision even after newer drafts. The admin's preview opens
``HEADLESS_PREVIEW_URL`` (with ``{token}`` in it) for the page's latest saved
revision, through :class:`HeadlessPreviewMixin` on the page model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.models import Page, Revision

from cms.api_contract import ApiError

SALT = "cms.content.preview"


@dataclass(frozen=True)
class PreviewToken:
    token: str
    url: str
    expires_at: datetime


def preview_url(token: str) -> str:
    template = settings.HEADLESS_PREVIEW_URL
    if not template:
        # The CMS's own reading view of the draft (delivery/reading.py).
        return f"/preview/?token={token}"
    return template.replace("{token}", token)


def mint_preview_token(
    page: Page, revision: Revision | None = None, user_id: int | None = None
) -> PreviewToken:
    """A token for ``revision`` (default: the page's latest revision) of ``page``.

    ``user_id`` names the editor it is minted for: reads with it count against
    that editor's preview rate limit (``PREVIEW_RATE_LIMIT``).
    """
    revision = revision or page.latest_revision
    if revision is None:
        revision = page.save_revision()
    payload = {"p": page.pk, "r": revision.pk}
    if user_id is not None:
        payload["u"] = user_id
    token = signing.dumps(payload, salt=SALT, compress=True)
    expires_at = timezone.now() + timedelta(seconds=settings.PREVIEW_TOKEN_TTL)
    return PreviewToken(token=token, url=preview_url(token), expires_at=expires_at)


def _unauthorised(message: str) -> ApiError:
    return ApiError("invalid_token", message, field=None, status=401)


@dataclass(frozen=True)
class PreviewGrant:
    """What a genuine, unexpired token says (no database read yet)."""

    page_id: int
    revision_id: int
    user_id: int | None  # the editor it was minted for, if it names one

    def revision(self) -> Revision:
        """The revision it shows; 401 if it or its page no longer exists."""
        revision = (
            Revision.objects.filter(pk=self.revision_id, object_id=str(self.page_id))
            .select_related("content_type")
            .first()
        )
        if revision is None or not Page.objects.filter(pk=self.page_id).exists():
            raise _unauthorised("The preview token is not valid for this page.")
        return revision


def read_preview_token(token: str) -> PreviewGrant:
    """The token's grant; 401 if tampered or expired. Reads no database."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=settings.PREVIEW_TOKEN_TTL)
    except signing.SignatureExpired as exc:
        raise _unauthorised("The preview token has expired.") from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise _unauthorised("The preview token is not valid.") from exc
    if not isinstance(payload, dict):
        raise _unauthorised("The preview token is not valid.")
    page_id, revision_id = payload.get("p"), payload.get("r")
    if not (isinstance(page_id, int) and isinstance(revision_id, int)):
        raise _unauthorised("The preview token is not valid for this page.")
    user_id = payload.get("u")
    return PreviewGrant(
        page_id, revision_id, user_id if isinstance(user_id, int) else None
    )


def preview_dates(
    article: Page, revision: Revision, now: datetime | None = None
) -> tuple[datetime, datetime]:
    """(published_at, updated_at) of a preview of ``revision`` (``article`` is the
    revision as an object): never null, as a live article's never are.

    ``published_at`` is the date the article would carry if it went live now: its
    first publication if it has had one (the page's, as the live article shows it),
    else the display date the editor set (midnight in the site's time zone), else
    ``now`` (the moment of the preview). ``updated_at`` is the revision's time.
    """
    published_at = (
        revision.content_object.first_published_at or article.first_published_at
    )
    if published_at is None and getattr(article, "display_date", None):
        published_at = datetime.combine(
            article.display_date, time.min, tzinfo=timezone.get_default_timezone()
        )
    return published_at or now or timezone.now(), revision.created_at


class HeadlessPreviewMixin:
    """Opens the headless front end's preview page from the Wagtail admin."""

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        if not settings.HEADLESS_PREVIEW_URL or self.pk is None:
            return super().serve_preview(request, mode_name)
        preview = mint_preview_token(self, user_id=request.user.pk)
        return TemplateResponse(
            request,
            "delivery/preview_redirect.html",
            {"preview_url": preview.url, "page": self},
        )
