"""The catalogue in DCAT (DCAT-AP shaped) with rdflib: ``/catalog.ttl``, ``/catalog.jsonld``,
``/catalog.rdf`` and each dataset at ``/opendata/<identifier>.ttl|.jsonld|.rdf``.

The catalogue is paged as ckanext-dcat pages it: ``?page=N`` (``DATASETS_PER_PAGE`` a page),
``?modified_since=<ISO date-time>``, and a ``hydra:PagedCollection`` node with
``hydra:totalItems``, ``hydra:itemsPerPage`` and the first, last, previous and next pages.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.utils import timezone
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from . import selectors
from .api import Context, council_org
from .choices import FREQUENCY_EU, LICENSE_URLS, MEDIA_TYPES

DATASETS_PER_PAGE = 100
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA = "http://www.iana.org/assignments/media-types/"
LANGUAGES = {"uk": "UKR", "en": "ENG"}

SERIALISATIONS = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json; charset=utf-8"),
    "rdf": ("pretty-xml", "application/rdf+xml; charset=utf-8"),
}


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("spdx", SPDX),
        ("hydra", HYDRA),
        ("adms", ADMS),
    ):
        graph.bind(prefix, namespace)
    return graph


def _time(moment) -> Literal:
    return Literal(timezone.localtime(moment).isoformat(timespec="seconds"), datatype=XSD.dateTime)


def _utc(text: str | None) -> Literal:
    return Literal(f"{text[:19]}+00:00" if text else "", datatype=XSD.dateTime)


def _agent(graph: Graph, org: dict) -> BNode:
    node = BNode()
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, FOAF.name, Literal(org["title"], lang="uk")))
    if org.get("email"):
        graph.add((node, FOAF.mbox, URIRef(f"mailto:{org['email']}")))
    return node


def add_dataset(graph: Graph, row: dict, context: Context) -> URIRef:
    """The triples of one dataset (a row of ``selectors.package_data``) and its
    distributions."""
    urls = context.urls
    identifier = row["identifier"]
    node = URIRef(urls.dataset(identifier))
    lang = row["language"] or "uk"
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(identifier)))
    graph.add((node, DCTERMS.title, Literal(row["title"], lang=lang)))
    graph.add((node, DCTERMS.description, Literal(row["description"], lang=lang)))
    graph.add((node, DCAT.landingPage, URIRef(urls.dataset(identifier))))
    graph.add((node, DCTERMS.conformsTo, URIRef(urls.datapackage(identifier))))
    graph.add((node, DCTERMS.language, URIRef(EU_LANGUAGE + LANGUAGES.get(lang, "UKR"))))
    graph.add((node, DCAT.theme, URIRef(EU_THEME + row["theme"].upper())))
    graph.add(
        (
            node,
            DCTERMS.accrualPeriodicity,
            URIRef(EU_FREQUENCY + FREQUENCY_EU[row["update_frequency"]]),
        )
    )
    if row["published_at"]:
        graph.add((node, DCTERMS.issued, _time(row["published_at"])))
    graph.add((node, DCTERMS.modified, _time(row["metadata_modified_at"])))
    if row["actuality_date"]:
        graph.add((node, DCTERMS.temporal, Literal(row["actuality_date"], datatype=XSD.date)))
    for tag in row["tags"]:
        graph.add((node, DCAT.keyword, Literal(tag, lang=lang)))
    org = context.organization(row["holder"])
    graph.add((node, DCTERMS.publisher, _agent(graph, org)))
    contact = BNode()
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(row["maintainer_name"])))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{row['maintainer_email']}")))
    graph.add((node, DCAT.contactPoint, contact))
    if row["purpose"]:
        graph.add((node, DCTERMS.provenance, Literal(row["purpose"], lang=lang)))
    license_url = URIRef(LICENSE_URLS.get(row["license"], row["license"]))
    for resource in row["resources"]:
        download = URIRef(urls.download(identifier, resource["uuid"]))
        distribution = URIRef(f"{urls.dataset(identifier)}#resource-{resource['uuid']}")
        graph.add((node, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.identifier, Literal(str(resource["uuid"]))))
        graph.add((distribution, DCTERMS.title, Literal(resource["title"], lang=lang)))
        if resource["description"]:
            graph.add(
                (distribution, DCTERMS.description, Literal(resource["description"], lang=lang))
            )
        graph.add((distribution, DCAT.accessURL, download))
        graph.add((distribution, DCAT.downloadURL, download))
        graph.add((distribution, DCTERMS.format, URIRef(EU_FILE_TYPE + resource["format"])))
        media_type = resource["current__media_type"] or MEDIA_TYPES.get(resource["format"], "")
        if media_type:
            graph.add((distribution, DCAT.mediaType, URIRef(IANA + media_type)))
        graph.add((distribution, DCTERMS.license, license_url))
        graph.add((distribution, DCTERMS.issued, _utc(resource["created"])))
        graph.add((distribution, DCTERMS.modified, _utc(resource["modified"])))
        graph.add(
            (
                distribution,
                DCTERMS.conformsTo,
                URIRef(urls.schema(identifier, resource["uuid"])),
            )
        )
        if resource["current__size"] is not None:
            graph.add(
                (
                    distribution,
                    DCAT.byteSize,
                    Literal(resource["current__size"], datatype=XSD.decimal),
                )
            )
        if resource["current__sha256"]:
            checksum = BNode()
            graph.add((checksum, RDF.type, SPDX.Checksum))
            graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            graph.add(
                (
                    checksum,
                    SPDX.checksumValue,
                    Literal(resource["current__sha256"], datatype=XSD.hexBinary),
                )
            )
            graph.add((distribution, SPDX.checksum, checksum))
    return node


class PageOutOfRange(Exception):
    pass


def catalog_graph(request, *, page: int = 1, modified_since=None, fmt: str = "ttl") -> Graph:
    """One page of the catalogue: the catalogue node, its datasets and the paging node."""
    context = Context(request)
    datasets = selectors.public_datasets()
    if modified_since is not None:
        datasets = datasets.filter(metadata_modified_at__gte=modified_since)
    total = datasets.count()
    last = max(1, -(-total // DATASETS_PER_PAGE))
    if page < 1 or page > last:
        raise PageOutOfRange
    offset = (page - 1) * DATASETS_PER_PAGE
    ids = list(
        datasets.order_by("-metadata_modified_at", "-id").values_list("id", flat=True)[
            offset : offset + DATASETS_PER_PAGE
        ]
    )
    graph = new_graph()
    root = context.urls.root
    catalog = URIRef(f"{root}/catalog")
    council = council_org()
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(f"Відкриті дані: {council['title']}", lang="uk")))
    graph.add(
        (
            catalog,
            DCTERMS.description,
            Literal("Набори даних громади у формі відкритих даних", lang="uk"),
        )
    )
    graph.add((catalog, FOAF.homepage, URIRef(f"{root}/opendata/")))
    graph.add((catalog, DCTERMS.language, URIRef(EU_LANGUAGE + "UKR")))
    graph.add((catalog, DCTERMS.publisher, _agent(graph, council)))
    latest = selectors.latest_modified()
    if latest:
        graph.add((catalog, DCTERMS.modified, _time(latest)))
    for row in selectors.package_data(ids):
        graph.add((catalog, DCAT.dataset, add_dataset(graph, row, context)))
    _paging(graph, request, fmt, page=page, last=last, total=total, modified_since=modified_since)
    return graph


def _paging(graph: Graph, request, fmt: str, *, page, last, total, modified_since) -> None:
    base = request.build_absolute_uri(request.path)

    def page_url(number: int) -> Literal:
        query = {"page": number}
        if modified_since is not None:
            query["modified_since"] = modified_since.isoformat()
        return Literal(f"{base}?{urlencode(query)}")

    node = URIRef(str(page_url(page)))
    graph.add((node, RDF.type, HYDRA.PagedCollection))
    graph.add((node, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    graph.add((node, HYDRA.itemsPerPage, Literal(DATASETS_PER_PAGE, datatype=XSD.integer)))
    graph.add((node, HYDRA.firstPage, page_url(1)))
    graph.add((node, HYDRA.lastPage, page_url(last)))
    if page > 1:
        graph.add((node, HYDRA.previousPage, page_url(page - 1)))
    if page < last:
        graph.add((node, HYDRA.nextPage, page_url(page + 1)))


def dataset_graph(request, dataset_id: int) -> Graph:
    graph = new_graph()
    context = Context(request)
    for row in selectors.package_data([dataset_id]):
        add_dataset(graph, row, context)
    return graph


def serialise(graph: Graph, fmt: str) -> tuple[bytes, str]:
    rdflib_format, content_type = SERIALISATIONS[fmt]
    data = graph.serialize(format=rdflib_format, encoding="utf-8")
    return data, content_type
