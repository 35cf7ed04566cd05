from django.conf import settings
from django.contrib import admin
from django.urls import include, path, reverse_lazy
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from ratusha.acts.sitemaps import ActSitemap
from ratusha.core import sitemaps
from ratusha.core.views import robots_txt
from ratusha.council.sitemaps import CouncilSitemap, VoteSitemap
from ratusha.opendata import urls as opendata_urls
from ratusha.opendata.sitemaps import OpenDataSitemap
from ratusha.ops import views as ops_views
from ratusha.portal.sitemaps import PageSitemap

# The sections of /sitemap.xml: each app gives its own; this is the one place that knows them all.
SITEMAPS = {
    "pages": PageSitemap,
    "acts": ActSitemap,
    "council": CouncilSitemap,
    "votes": VoteSitemap,
    "opendata": OpenDataSitemap,
}

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", ops_views.healthz, name="healthz"),
    path(
        "robots.txt",
        robots_txt,
        {
            "disallow": [
                "/admin/",
                "/django-admin/",
                reverse_lazy("council:cabinet"),
                reverse_lazy("core:low_vision"),
                "/i18n/",
            ]
        },
        name="robots_txt",
    ),
    path("sitemap.xml", sitemaps.index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        sitemaps.section,
        {"sitemaps": SITEMAPS},
        name=sitemaps.SECTION_URL_NAME,
    ),
    path("", include("ratusha.core.urls")),
    path("acts/", include("ratusha.acts.urls")),
    path("council/", include("ratusha.council.urls")),
    path("opendata/", include("ratusha.opendata.urls")),
    *opendata_urls.api_urlpatterns,
    *opendata_urls.catalog_urlpatterns,
    path("search/", include("ratusha.search.urls")),
    path("feedback/", include("ratusha.feedback.urls")),
    path("api/v1/", include("ratusha.search.api_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "ratusha.core.views.page_not_found"
handler500 = "ratusha.ops.views.server_error"
