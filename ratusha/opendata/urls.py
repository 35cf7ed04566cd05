"""Public URLs of open data under ``/opendata/``; the CKAN API (``/api/3/action/<name>``,
``/api/action/<name>``) and the DCAT catalogue (``/catalog.ttl`` …) are routed from
``ratusha/urls.py`` with ``api_urlpatterns`` and ``catalog_urlpatterns``."""

from django.urls import path, re_path

from . import api, views

app_name = "opendata"

IDENTIFIER = r"(?P<identifier>[a-z0-9][a-z0-9_-]{1,99})"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    re_path(rf"^{IDENTIFIER}\.(?P<fmt>ttl|jsonld|rdf)$", views.dataset_rdf, name="dataset_rdf"),
    re_path(rf"^{IDENTIFIER}/$", views.dataset, name="dataset"),
    re_path(rf"^{IDENTIFIER}/datapackage\.json$", views.datapackage, name="datapackage"),
    re_path(
        rf"^{IDENTIFIER}/resources/(?P<resource>[0-9a-f-]{{36}})/download$",
        views.download,
        name="download",
    ),
    re_path(
        rf"^{IDENTIFIER}/resources/(?P<resource>[0-9a-f-]{{36}})/versions/(?P<number>[0-9]{{1,9}})/download$",
        views.download,
        name="download_version",
    ),
    re_path(
        rf"^{IDENTIFIER}/resources/(?P<resource>[0-9a-f-]{{36}})/schema\.json$",
        views.schema,
        name="schema",
    ),
]

api_urlpatterns = [
    re_path(r"^api/3/action/(?P<name>[A-Za-z0-9_]{1,100})$", api.action, name="ckan_action"),
    re_path(r"^api/action/(?P<name>[A-Za-z0-9_]{1,100})$", api.action, name="ckan_action_v"),
]

catalog_urlpatterns = [
    re_path(r"^catalog\.(?P<fmt>ttl|jsonld|rdf)$", views.catalog_rdf, name="dcat_catalog"),
]
