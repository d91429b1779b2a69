"""The one NinjaAPI for /api/v1/: it mounts each app's router."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.openapi.views import openapi_json
from pydantic.json_schema import models_json_schema

from cms.api_contract import JsonBodyParser, install_error_handlers
from delivery.api import router as delivery_router
from delivery.cache import cached_response
from delivery.preview_api import router as preview_token_router
from delivery.routes import router as routes_router
from delivery.sync import router as sync_router
from publishing.api import router as publishing_router
from publishing.event_schemas import EVENT_BODIES
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


def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


class ContractAPI(NinjaAPI):
    """Short, stable operation ids (``listArticles``: generated clients name their
    methods after them) where a route names none, from the handler's name and not
    its module; and the OpenAPI 3.1 ``webhooks`` section: each event's body."""

    def get_openapi_operation_id(self, operation) -> str:
        return camel_case(operation.view_func.__name__)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(
            path_prefix=path_prefix, path_params=path_params
        )
        refs, definitions = models_json_schema(
            [(body, "serialization") for body in EVENT_BODIES.values()],
            ref_template="#/components/schemas/{model}",
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, definition in definitions.get("$defs", {}).items():
            components.setdefault(name, definition)
        schema["webhooks"] = {
            event_type: {
                "post": {
                    "operationId": camel_case("on_" + event_type.replace(".", "_")),
                    "summary": f"The {event_type} event, signed per Standard Webhooks",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": refs[(body, "serialization")]
                            }
                        },
                    },
                    "responses": {"200": {"description": "any 2xx: delivered"}},
                }
            }
            for event_type, body in EVENT_BODIES.items()
        }
        return schema


api = ContractAPI(
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
api.add_router("/", routes_router)
api.add_router("/", sync_router)
api.add_router("/publishing/", preview_token_router)
api.add_router("/publishing/", publishing_router)
api.add_router("/publishing/webhooks/", webhooks_router)
