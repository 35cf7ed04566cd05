"""DCAT: the catalogue and each dataset in Turtle, JSON-LD and RDF/XML, parsed by rdflib,
paged as ckanext-dcat pages it."""

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from ratusha.core.permissions import SYSTEM
from ratusha.opendata import dcat, services

from .conftest import passport

HYDRA = "http://www.w3.org/ns/hydra/core#"


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"), [("ttl", "turtle"), ("jsonld", "json-ld"), ("rdf", "xml")]
)
def test_the_catalogue_parses_with_rdflib_in_every_format(client, dataset, fmt, rdflib_format):
    response = client.get(f"/catalog.{fmt}")
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=rdflib_format)
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert datasets == [URIRef("http://testserver/opendata/zaklady-osvity/")]
    node = datasets[0]
    assert str(graph.value(node, DCTERMS.identifier)) == "zaklady-osvity"
    assert graph.value(node, DCTERMS.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/MONTHLY"
    )
    distribution = graph.value(node, DCAT.distribution)
    assert str(graph.value(distribution, DCAT.downloadURL)).startswith(
        "http://testserver/opendata/"
    )
    assert graph.value(distribution, DCTERMS.format) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/CSV"
    )
    assert (None, RDF.type, DCAT.Catalog) in graph


def test_the_catalogue_is_paged_with_hydra(client, hromada, monkeypatch):
    monkeypatch.setattr(dcat, "DATASETS_PER_PAGE", 2)
    for n in range(5):
        services.dataset_create(
            actor=SYSTEM, data=passport(title=f"Набір {n}", identifier=f"nabir-{n}"), publish=True
        )
    seen = set()
    for page in (1, 2, 3):
        graph = Graph().parse(data=client.get(f"/catalog.ttl?page={page}").content, format="turtle")
        seen |= set(graph.subjects(RDF.type, DCAT.Dataset))
        paging = next(graph.subjects(RDF.type, URIRef(HYDRA + "PagedCollection")))
        assert int(graph.value(paging, URIRef(HYDRA + "totalItems"))) == 5
        assert str(graph.value(paging, URIRef(HYDRA + "lastPage"))).endswith("page=3")
        has_next = graph.value(paging, URIRef(HYDRA + "nextPage")) is not None
        assert has_next == (page < 3)
    assert len(seen) == 5
    assert client.get("/catalog.ttl?page=4").status_code == 404
    assert client.get("/catalog.ttl?page=x").status_code == 400


def test_a_dataset_in_dcat(client, dataset):
    response = client.get("/opendata/zaklady-osvity.jsonld")
    graph = Graph().parse(data=response.content, format="json-ld")
    assert len(list(graph.subjects(RDF.type, DCAT.Distribution))) == 1
    assert client.get("/opendata/nemaie.ttl").status_code == 404
