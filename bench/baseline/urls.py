from bench.baseline import stock  # noqa: F401, I001  (before Wagtail's admin URLs)
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.v3.urls import api as wagtail_api_v3
from wagtail.images.api.v2.views import ImagesAPIViewSet

from bench.baseline.floor import floor_detail, floor_list

api_v2 = WagtailAPIRouter("wagtailapi")
api_v2.register_endpoint("pages", PagesAPIViewSet)
api_v2.register_endpoint("images", ImagesAPIViewSet)

urlpatterns = [
    path("floor/list/", floor_list),
    path("floor/detail/", floor_detail),
    path("admin/", include(wagtailadmin_urls)),
    path("api/v2/", api_v2.urls),
    path("api/v3/", wagtail_api_v3.urls),
    path("", include(wagtail_urls)),
]
