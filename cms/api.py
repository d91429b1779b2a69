"""The one NinjaAPI for /api/v1/: it mounts each app's router."""

from ninja import NinjaAPI

from cms.api_contract import install_error_handlers
from delivery.api import router as delivery_router
from delivery.preview_api import router as preview_token_router
from publishing.api import router as publishing_router
from publishing.webhooks.api import router as webhooks_router

api = NinjaAPI(
    title="Wellbeing CMS API",
    version="1",
    urls_namespace="api_v1",
    docs_url="/docs/",
    openapi_url="/openapi.json",
)
# The contract's one error shape for every router (cms/api_contract.py).
install_error_handlers(api)

api.add_router("/", delivery_router)
api.add_router("/publishing/", preview_token_router)
api.add_router("/publishing/", publishing_router)
api.add_router("/publishing/webhooks/", webhooks_router)
