"""The one NinjaAPI for /api/v1/: it mounts each app's router."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.openapi.views import openapi_json

from cms.api_contract import JsonBodyParser, install_error_handlers
from delivery.api import router as delivery_router
from delivery.cache import cached_response
from delivery.preview_api import router as preview_token_router
from publishing.api import router as publishing_router
from publishing.webhooks.api import router as webhooks_router


def cached_document(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The OpenAPI document through the delivery API's cache, like every JSON 200 of
    the API (ETag, Cache-Control, 304). Ninja passes the HTML docs page through the
    same decorator: that one is left as it is."""
    if getattr(view, "func", None) is not openapi_json:
        return view

    def document(request: HttpRequest, **kwargs) -> HttpResponse:
        return cached_response(
            request,
            lambda: (view(request, **kwargs).content, None),
            vary_on_query=False,
        )

    return document


api = NinjaAPI(
    title="Wellbeing CMS API",
    version="1",
    urls_namespace="api_v1",
    docs_url="/docs/",
    openapi_url="/openapi.json",
    docs_decorator=cached_document,
    parser=JsonBodyParser(),
)
# The contract's one error shape for every router (cms/api_contract.py).
install_error_handlers(api)

api.add_router("/", delivery_router)
api.add_router("/publishing/", preview_token_router)
api.add_router("/publishing/", publishing_router)
api.add_router("/publishing/webhooks/", webhooks_router)
