"""Bearer API tokens at every door that takes them (CONTRACT section 2, R18).

Tokens are Wagtail's ``APIToken`` (stored hashed, shown once) and act with their
user's page permissions, narrowed by a :class:`~publishing.models.TokenGrant`: its
scopes (:data:`SCOPES`) and an optional expiry. No token, a bad, revoked or expired
one: 401; a token without the scope an operation needs: 403. A token without a
grant (made by Wagtail's own form, say) has no scope at all: 403 everywhere.

:class:`TokenAuth` is the one authentication of the publishing API, the webhooks API
and the preview-link endpoint; :func:`tokens_only_urls` puts Wagtail's own API v3
behind the same check. Tokens are made with :func:`create_token` (``manage.py
api_tokens create --scope …``, or the admin's Settings → API tokens).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.models import APIToken

from cms.api_contract import ApiError, error_response

PUBLISHING_READ = "publishing:read"
PUBLISHING_WRITE = "publishing:write"
WEBHOOKS = "webhooks"
PREVIEW = "preview"
SCOPES = {
    PUBLISHING_READ: "Read the calendar, releases, status (and API v3 pages)",
    PUBLISHING_WRITE: "Schedule, unschedule, create releases (and API v3 writes)",
    WEBHOOKS: "Manage webhook endpoints and read their delivery log",
    PREVIEW: "Mint preview links for drafts",
}
# Safe methods read; anything else writes.
READ_METHODS = ("GET", "HEAD", "OPTIONS")
PUBLISHING = {"read": PUBLISHING_READ, "write": PUBLISHING_WRITE}


def create_token(
    *, user, name: str, scopes: Iterable[str], expires_at: datetime | None = None
) -> tuple[APIToken, str]:
    """A new token with its grant: ``(token, plaintext)``; the plaintext is shown
    once and stored nowhere."""
    scopes = sorted(set(scopes))
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise ValueError(
            f"scopes must be some of {', '.join(SCOPES)}; got {', '.join(unknown)}"
        )
    from publishing.models import TokenGrant

    with transaction.atomic():
        token, plaintext = APIToken.create_token(user=user, name=name)
        TokenGrant.objects.create(token=token, scopes=scopes, expires_at=expires_at)
    return token, plaintext


def required_scope(scope: str | dict, method: str) -> str:
    if isinstance(scope, str):
        return scope
    return scope["read" if method.upper() in READ_METHODS else "write"]


class TokenAuth(BearerTokenAuth):
    """The token's user (``request.user``) if the token is valid, unexpired and has
    ``scope`` (a scope, or ``{"read": …, "write": …}`` by method); else 401 / 403."""

    def __init__(self, scope: str | dict) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str):
        api_token = valid_token(request, token)
        if api_token is None:
            return None
        scope = required_scope(self.scope, request.method)
        if scope not in token_scopes(api_token):
            raise ApiError(
                "insufficient_scope",
                f"This token lacks the {scope!r} scope.",
                status=403,
            )
        return api_token


def valid_token(request: HttpRequest, token: str) -> APIToken | None:
    """The token if it exists, is not revoked or expired, has a grant and an active
    user; ``request.user`` becomes its user, or anonymous (a session cookie never
    counts). One query."""
    request.user = AnonymousUser()
    if not APIToken.validate_token_format(token):
        return None
    api_token = (
        APIToken.objects.select_related("user", "grant")
        .filter(
            key_hash__in=APIToken.candidate_key_hashes(token),
            revoked_at__isnull=True,
        )
        .first()
    )
    if api_token is None or not api_token.user.is_active:
        return None
    grant = grant_of(api_token)
    if grant is not None and grant.expired():
        return None
    request.user = api_token.user
    touch_last_used(api_token)
    return api_token


def grant_of(api_token: APIToken):
    from publishing.models import TokenGrant

    try:
        return api_token.grant
    except TokenGrant.DoesNotExist:
        return None


def token_scopes(api_token: APIToken) -> list[str]:
    """The token's scopes; none for a token made without a grant."""
    grant = grant_of(api_token)
    return list(grant.scopes) if grant is not None else []


def touch_last_used(api_token: APIToken) -> None:
    """Wagtail's "last used" stamp, written at most once a minute per token."""
    interval = getattr(settings, "WAGTAILAPI_TOKEN_LAST_USED_INTERVAL", 60)
    if interval is None:
        return
    now = timezone.now()
    if api_token.last_used_at is None or (
        (now - api_token.last_used_at).total_seconds() >= interval
    ):
        APIToken.objects.filter(pk=api_token.pk).update(last_used_at=now)


def bearer_token(request: HttpRequest) -> str | None:
    scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        return None
    return credential.strip()


def unauthorised() -> HttpResponse:
    response = error_response(
        401, "unauthorized", "A valid API token is required (Authorization: Bearer)."
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


def tokens_only(view: Callable, scope: str | dict = PUBLISHING) -> Callable:
    """Wrap a view so that only a request with a valid token holding ``scope``
    reaches it: 401 without one, 403 without the scope."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs):
        token = bearer_token(request)
        api_token = valid_token(request, token) if token else None
        if api_token is None:
            request.user = AnonymousUser()
            return unauthorised()
        needed = required_scope(scope, request.method)
        if needed not in token_scopes(api_token):
            return error_response(
                403, "insufficient_scope", f"This token lacks the {needed!r} scope."
            )
        return view(request, *args, **kwargs)

    guarded.csrf_exempt = getattr(view, "csrf_exempt", False)
    return guarded


def tokens_only_urls(urls: tuple) -> tuple:
    """An ``include()``-able ``(patterns, app_name, namespace)`` with every view
    wrapped in :func:`tokens_only` (Wagtail's API v3 mounts this way)."""
    patterns, app_name, namespace = urls

    def wrap(items: list) -> list:
        wrapped = []
        for item in items:
            if isinstance(item, URLResolver):
                item.url_patterns[:] = wrap(list(item.url_patterns))
            elif isinstance(item, URLPattern):
                item.callback = tokens_only(item.callback)
            wrapped.append(item)
        return wrapped

    return wrap(list(patterns)), app_name, namespace
