"""The CKAN Action API: shapes, errors and search as CKAN answers them."""

import json

import pytest

from ratusha.core.permissions import SYSTEM
from ratusha.opendata import services
from ratusha.opendata.files import inspect_upload

from .conftest import SCHOOLS, csv_bytes, passport


@pytest.fixture
def catalogue(dataset, hromada, other_unit):
    """Three public datasets (two units and the council) and an unpublished one."""
    budget = services.dataset_create(
        actor=SYSTEM,
        data=passport(title="Бюджет громади", identifier="biudzhet", holder=other_unit),
        tags=["бюджет"],
        publish=True,
    )
    services.resource_upload(
        actor=SYSTEM, dataset=budget, inspected=inspect_upload("b.json", b'[{"a": 1}]')
    )
    council = services.dataset_create(
        actor=SYSTEM, data=passport(title="Депутати", identifier="deputaty"), publish=True
    )
    services.dataset_create(actor=SYSTEM, data=passport(title="Чернетка", identifier="chernetka"))
    return {"schools": dataset, "budget": budget, "council": council}


def _call(client, name, **params):
    response = client.get(f"/api/3/action/{name}", params)
    return response.status_code, response.json()


def test_package_show_has_ckan_shape_and_the_passport_at_the_top_level(client, catalogue):
    status, body = _call(client, "package_show", id="zaklady-osvity")
    assert status == 200 and body["success"] is True
    assert body["help"].endswith("/api/3/action/help_show?name=package_show")
    package = body["result"]
    assert package["name"] == "zaklady-osvity"
    assert package["id"] == str(catalogue["schools"].uuid)
    for key in ("title", "notes", "metadata_created", "metadata_modified", "license_id", "tags"):
        assert key in package
    assert package["license_id"] == "cc-by-4.0"
    assert package["organization"]["name"] == catalogue["schools"].holder.slug
    assert package["update_frequency"] == "щомісяця"
    assert package["language"] == "Українська"
    assert package["purpose_of_collecting_information"] == "Оприлюднення переліку закладів освіти"
    assert package["tag_string"] == "освіта,школи"
    assert package["link_to_structure"].endswith("/opendata/zaklady-osvity/datapackage.json")
    resource = package["resources"][0]
    assert resource["format"] == "CSV" and resource["hash"].startswith("sha256:")
    assert resource["url"].startswith("http://testserver/opendata/zaklady-osvity/resources/")
    # By id too, and through the other route and POST with a JSON body
    assert _call(client, "package_show", id=package["id"])[1]["result"]["name"] == "zaklady-osvity"
    posted = client.post(
        "/api/action/package_show", json.dumps({"id": "zaklady-osvity"}), "application/json"
    )
    assert posted.status_code == 200 and posted.json()["result"]["name"] == "zaklady-osvity"


def test_errors_have_ckans_shapes_and_codes(client, catalogue):
    unknown = client.get("/api/3/action/package_create")
    assert unknown.status_code == 400
    assert unknown.json() == "Bad request - Action name not known: package_create"
    status, body = _call(client, "package_show", id="chernetka")
    assert status == 404
    assert body["success"] is False
    assert body["error"] == {"__type": "Not Found Error", "message": "Not found"}
    status, body = _call(client, "package_show")
    assert status == 409 and body["error"]["__type"] == "Validation Error"
    assert body["error"]["name_or_id"] == ["Missing value"]
    status, body = _call(client, "package_search", rows="-1")
    assert status == 409 and body["error"]["rows"] == ["Must be a natural number"]
    status, body = _call(client, "package_search", bogus="1")
    assert status == 409 and body["error"]["__type"] == "Search Error"
    status, body = _call(client, "package_search", fq="nosuchfield:1")
    assert status == 400 and body["error"]["__type"] == "Search Query Error"
    status, body = _call(client, "resource_show", id="00000000-0000-0000-0000-000000000000")
    assert status == 404 and "Resource was not found" in body["error"]["message"]
    broken = client.post("/api/3/action/package_search", "{nope", "application/json")
    assert broken.status_code == 400 and broken.json().startswith("Bad request - JSON Error")


def test_rows_over_1000_are_cut_to_1000_as_ckan_does(client, catalogue):
    status, body = _call(client, "package_search", rows="100000")
    assert status == 200
    assert body["result"]["count"] == 3
    assert len(body["result"]["results"]) == 3


def test_package_search_filters_sorts_pages_and_counts_facets(client, catalogue):
    result = _call(client, "package_search", q="бюджет")[1]["result"]
    assert [p["name"] for p in result["results"]] == ["biudzhet"]
    result = _call(client, "package_search", fq="res_format:CSV")[1]["result"]
    assert [p["name"] for p in result["results"]] == ["zaklady-osvity"]
    result = _call(client, "package_search", fq="tags:освіта")[1]["result"]
    assert result["count"] == 1
    org = catalogue["budget"].holder.slug
    result = _call(client, "package_search", fq=f"organization:{org}")[1]["result"]
    assert [p["name"] for p in result["results"]] == ["biudzhet"]
    result = _call(client, "package_search", fq="metadata_modified:[2000-01-01T00:00:00Z TO *]")
    assert result[1]["result"]["count"] == 3
    result = _call(client, "package_search", fq="metadata_modified:[NOW+1DAY TO *]")
    assert result[1]["result"]["count"] == 0
    names = [
        p["name"]
        for p in _call(client, "package_search", sort="name asc", rows=2, start=1)[1]["result"][
            "results"
        ]
    ]
    assert names == ["deputaty", "zaklady-osvity"]
    result = _call(
        client, "package_search", **{"facet.field": '["res_format", "tags", "organization"]'}
    )[1]["result"]
    assert result["facets"]["res_format"] == {"CSV": 1, "JSON": 1}
    assert result["search_facets"]["tags"]["items"][0]["count"] == 1


def test_harvest_paging_by_id_visits_every_dataset_once(client, catalogue):
    seen = []
    start = 0
    while True:
        page = _call(client, "package_search", rows=1, start=start, sort="id asc")[1]["result"]
        if not page["results"]:
            break
        seen.extend(p["id"] for p in page["results"])
        start += 1
    assert len(seen) == 3 == len(set(seen))
    assert seen == sorted(seen, key=lambda value: value.replace("-", ""))


def test_lists_organizations_groups_tags_licences_and_status(client, catalogue):
    assert _call(client, "package_list")[1]["result"] == ["biudzhet", "deputaty", "zaklady-osvity"]
    orgs = _call(client, "organization_list", all_fields="true")[1]["result"]
    assert {o["package_count"] for o in orgs} == {1}
    assert len(orgs) == 3
    council = [o for o in orgs if o["title"] == "Вербівська селищна рада"][0]
    shown = _call(client, "organization_show", id=council["name"], include_datasets="true")
    assert [p["name"] for p in shown[1]["result"]["packages"]] == ["deputaty"]
    assert _call(client, "group_list")[1]["result"] == ["gove"]
    assert _call(client, "tag_list")[1]["result"] == ["бюджет", "освіта", "школи"]
    licences = _call(client, "license_list")[1]["result"]
    assert "cc-by-4.0" in [item["id"] for item in licences]
    assert _call(client, "status_show")[1]["result"]["site_title"] == "Вербівська селищна рада"
    assert _call(client, "site_read")[1]["result"] is True
    everything = _call(client, "current_package_list_with_resources", limit=10)[1]["result"]
    assert len(everything) == 3


def test_package_search_takes_a_fixed_number_of_queries(
    client, catalogue, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        client.get("/api/3/action/package_search", {"rows": 100})
    for n in range(5):
        services.dataset_create(
            actor=SYSTEM,
            data=passport(title=f"Набір {n}", identifier=f"nabir-{n}"),
            tags=[f"тег {n}"],
            publish=True,
        )
    with django_assert_max_num_queries(12):
        response = client.get("/api/3/action/package_search", {"rows": 100})
    assert response.json()["result"]["count"] == 8


def test_resource_show_returns_the_resource(client, catalogue):
    resource = catalogue["schools"].resources.get()
    status, body = _call(client, "resource_show", id=str(resource.uuid))
    assert status == 200
    assert body["result"]["name"] == "Заклади освіти"
    assert body["result"]["size"] == len(csv_bytes(SCHOOLS))


# What schemathesis found (tests/test_api_fuzz.py): each was a 500 before.


def test_a_number_beyond_the_database_is_a_validation_error(client, catalogue):
    status, body = _call(
        client, "current_package_list_with_resources", offset="33341109481611622088704"
    )
    assert status == 409
    assert body["error"]["offset"] == ["Must be at most 2147483647"]
    status, body = _call(client, "package_search", **{"facet.mincount": "656859177170411392"})
    assert status == 409


@pytest.mark.parametrize("name", ["organization_list", "group_list"])
def test_a_sort_that_is_not_text_is_a_validation_error(client, catalogue, name):
    response = client.post(
        f"/api/3/action/{name}", json.dumps({"sort": [None, None]}), "application/json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["sort"] == ["Must be a string"]


def test_a_multipart_body_without_its_boundary_is_a_bad_request(client, catalogue):
    response = client.generic(
        "POST", "/api/3/action/package_list", b"x", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "Could not read the form" in response.json()


def test_a_nul_character_is_a_bad_request(client, catalogue):
    response = client.post(
        "/api/3/action/tag_list", json.dumps({"query": "осв\x00іта"}), "application/json"
    )
    assert response.status_code == 400
    assert "NUL" in response.json()
    assert client.get("/api/3/action/package_search", {"q": "a\x00"}).status_code == 400
