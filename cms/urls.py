from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v3.urls import api as wagtail_api_v3
from wagtail.documents import urls as wagtaildocs_urls

from cms.api import api
from cms.health import healthz
from delivery import reading
from delivery.feeds import articles_feed
from delivery.sitemaps import sitemap
from publishing.tokens import tokens_only_urls

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", api.urls),
    # Token holders only (CONTRACT section 2): anonymous requests are a 401.
    path("api/v3-preview/", tokens_only_urls(wagtail_api_v3.urls)),
    path("feeds/articles/", articles_feed, name="articles-feed"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("preview/", reading.preview, name="reading_preview"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Every page URL is the reading view's (delivery/reading.py), in Wagtail's shape of
# page path; Wagtail's own patterns stay below it for reverse("wagtail_serve") and
# its _util/ views.
urlpatterns += [
    re_path(r"^(?!_util/)((?:[\w\-]+/)*)$", reading.serve, name="reading"),
    path("", include(wagtail_urls)),
]
handler404 = "delivery.reading.not_found"
