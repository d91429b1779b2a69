"""The one NinjaAPI for /api/v1/: it mounts each app's router."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Wellbeing CMS API",
    version="1",
    urls_namespace="api_v1",
    docs_url="/docs/",
    openapi_url="/openapi.json",
)
