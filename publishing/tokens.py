"""Bearer API tokens at every door that takes them (CONTRACT section 2).

Tokens are Wagtail's ``APIToken`` (stored hashed, ``manage.py api_tokens``) and act
with their user's page permissions. :class:`TokenAuth` is the one authentication of
the publishing API, the webhooks API and the preview-link endpoint;
:func:`tokens_only` puts Wagtail's own API v3 behind the same check, so that none of
them answers an anonymous caller (401 in the contract's error shape).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from wagtail.api.v3.auth import BearerTokenAuth

from cms.api_contract import error_response


class TokenAuth(BearerTokenAuth):
    """Wagtail's bearer-token authentication: the token's user, or 401."""


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


def authenticate(request: HttpRequest):
    """The request's valid API token (and ``request.user`` set to its user), or None.

    A session cookie is never enough: ``request.user`` is reset to anonymous when
    the token is missing or invalid.
    """
    from django.contrib.auth.models import AnonymousUser

    token = bearer_token(request)
    if token is None:
        request.user = AnonymousUser()
        return None
    return TokenAuth().authenticate(request, token)


def tokens_only(view: Callable) -> Callable:
    """Wrap a view so that only a request with a valid API token reaches it."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs):
        if authenticate(request) is None:
            return unauthorised()
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
