"""Preview of drafts for a headless front end (CONTRACT.md section 3).

A preview token is signed with Django's signing under its own salt, bound to one
page, one revision and the editor it was minted for, and expires after
``PREVIEW_TOKEN_TTL`` seconds (never more than :data:`MAX_TTL`, whatever the
setting). It keeps showing that revision even after newer drafts, and stops working
as soon as its editor is deactivated or may no longer edit the page. The admin's
preview opens ``HEADLESS_PREVIEW_URL`` (with ``{token}`` in it) for the page's latest
saved revision, through :class:`HeadlessPreviewMixin` on the page model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.models import Page, Revision

from cms.api_contract import ApiError

SALT = "cms.content.preview"
# CONTRACT section 3: a preview link never outlives a day, whatever the setting.
MAX_TTL = 24 * 3600


def token_ttl() -> int:
    return min(settings.PREVIEW_TOKEN_TTL, MAX_TTL)


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
    page: Page, revision: Revision | None = None, *, user_id: int
) -> PreviewToken:
    """A token for ``revision`` (default: the page's latest revision) of ``page``.

    ``user_id`` names the editor it is minted for: the token works only while that
    editor is active and may edit the page, and reads with it count against that
    editor's preview rate limit (``PREVIEW_RATE_LIMIT``).
    """
    if not isinstance(user_id, int):
        raise TypeError("a preview token is minted for an editor (user_id)")
    revision = revision or page.latest_revision
    if revision is None:
        revision = page.save_revision()
    payload = {"p": page.pk, "r": revision.pk, "u": user_id}
    token = signing.dumps(payload, salt=SALT, compress=True)
    expires_at = timezone.now() + timedelta(seconds=token_ttl())
    return PreviewToken(token=token, url=preview_url(token), expires_at=expires_at)


def _unauthorised(message: str) -> ApiError:
    return ApiError("invalid_token", message, field=None, status=401)


@dataclass(frozen=True)
class PreviewGrant:
    """What a genuine, unexpired token says (no database read yet)."""

    page_id: int
    revision_id: int
    user_id: int  # the editor it was minted for

    def revision(self) -> Revision:
        """The revision it shows; 401 if it or its page no longer exists, or if the
        editor is gone, deactivated or may no longer edit the page."""
        revision = (
            Revision.objects.filter(pk=self.revision_id, object_id=str(self.page_id))
            .select_related("content_type")
            .first()
        )
        page = Page.objects.filter(pk=self.page_id).first()
        if revision is None or page is None:
            raise _unauthorised("The preview token is not valid for this page.")
        editor = get_user_model().objects.filter(pk=self.user_id).first()
        if editor is None or not page.permissions_for_user(editor).can_edit():
            raise _unauthorised("The preview token's editor may no longer edit this.")
        return revision


def read_preview_token(token: str) -> PreviewGrant:
    """The token's grant; 401 if tampered or expired. Reads no database."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=token_ttl())
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
    if not isinstance(user_id, int):
        # Tokens that name no editor could never be revoked: refused.
        raise _unauthorised("The preview token is not valid.")
    return PreviewGrant(page_id, revision_id, user_id)


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
        user = getattr(request, "user", None)
        if (
            not settings.HEADLESS_PREVIEW_URL
            or self.pk is None
            or user is None
            or not user.is_authenticated
        ):
            # No editor to mint a token for: the CMS's own reading view.
            return super().serve_preview(request, mode_name)
        preview = mint_preview_token(self, user_id=user.pk)
        return TemplateResponse(
            request,
            "delivery/preview_redirect.html",
            {"preview_url": preview.url, "page": self},
        )
