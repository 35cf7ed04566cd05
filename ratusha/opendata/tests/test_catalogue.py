"""The public catalogue: list with search and filters, fixed queries per page, the dataset's
page with passport, preview, versions and downloads, streamed in flat memory."""

import hashlib
import tracemalloc

import pytest
from django.core.files.base import ContentFile

from ratusha.core.permissions import SYSTEM
from ratusha.opendata import services
from ratusha.opendata.files import inspect_upload

from .conftest import SCHOOLS, csv_bytes, passport


def test_the_list_searches_and_filters(client, dataset, hromada, other_unit):
    services.dataset_create(
        actor=SYSTEM,
        data=passport(title="Бюджет громади", identifier="biudzhet", holder=other_unit),
        tags=["бюджет"],
        publish=True,
    )
    page = client.get("/opendata/").content.decode()
    assert "Перелік закладів освіти" in page and "Бюджет громади" in page
    page = client.get("/opendata/", {"q": "БЮДЖЕТ"}).content.decode()
    assert "Бюджет громади" in page and "Перелік закладів освіти" not in page
    page = client.get("/opendata/", {"format": "CSV"}).content.decode()
    assert "Перелік закладів освіти" in page and "Бюджет громади" not in page
    page = client.get("/opendata/", {"tag": "бюджет"}).content.decode()
    assert "Бюджет громади" in page and "Перелік закладів освіти" not in page
    page = client.get("/opendata/", {"holder": other_unit.slug}).content.decode()
    assert "Бюджет громади" in page and "Перелік закладів освіти" not in page
    page = client.get("/opendata/", {"frequency": "yearly"}).content.decode()
    assert "Бюджет громади" not in page
    assert client.get("/opendata/", {"frequency": "nonsense"}).status_code == 200


def test_the_list_takes_the_same_number_of_queries_whatever_its_length(
    client, dataset, hromada, django_assert_num_queries
):
    client.get("/opendata/")  # warm the site settings, the page tree and the frame (core.frame)
    with django_assert_num_queries(10) as first:
        client.get("/opendata/")
    for n in range(15):
        services.dataset_create(
            actor=SYSTEM,
            data=passport(title=f"Набір {n}", identifier=f"nabir-{n}"),
            tags=[f"тег {n}"],
            publish=True,
        )
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get("/opendata/")
    assert response.content.decode().count('class="od-item"') == 16


def test_the_dataset_page_shows_passport_preview_versions_and_checksums(client, dataset):
    resource = dataset.resources.get()
    services.resource_replace(
        actor=SYSTEM,
        resource=resource,
        inspected=inspect_upload("s.csv", csv_bytes([*SCHOOLS, ["Нова школа", "вул. Нова", "1"]])),
    )
    page = client.get("/opendata/zaklady-osvity/").content.decode()
    assert "Паспорт набору даних" in page or "Passport of the dataset" in page
    assert "Нова школа" in page  # the preview of the current version
    assert "Вербівський ліцей" in page
    resource.refresh_from_db()
    assert resource.current.sha256 in page
    assert page.count("/versions/") == 2
    assert "щомісяця" in page


def test_downloads_carry_the_checksum_and_keep_old_versions(client, dataset):
    resource = dataset.resources.get()
    url = f"/opendata/zaklady-osvity/resources/{resource.uuid}/download"
    response = client.get(url)
    body = b"".join(response.streaming_content)
    assert body == csv_bytes(SCHOOLS)
    assert response["ETag"] == f'"{hashlib.sha256(body).hexdigest()}"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert (
        client.get(
            f"/opendata/zaklady-osvity/resources/{resource.uuid}/versions/1/download"
        ).status_code
        == 200
    )
    assert (
        client.get(
            f"/opendata/zaklady-osvity/resources/{resource.uuid}/versions/9/download"
        ).status_code
        == 404
    )
    schema = client.get(f"/opendata/zaklady-osvity/resources/{resource.uuid}/schema.json").json()
    assert schema["fields"][2] == {"name": "pupils", "type": "integer"}
    package = client.get("/opendata/zaklady-osvity/datapackage.json").json()
    assert package["resources"][0]["hash"] == f"sha256:{resource.current.sha256}"


def test_a_large_download_streams_in_flat_memory(client, dataset):
    resource = dataset.resources.get()
    version = resource.current
    big = b"a,b\n" + b"1234567890,abcdefghij\n" * 1_000_000  # 22 MB
    version.file.save("big.csv", ContentFile(big), save=True)
    type(version).objects.filter(pk=version.pk).update(size=len(big))
    tracemalloc.start()
    response = client.get(f"/opendata/zaklady-osvity/resources/{resource.uuid}/download")
    total = 0
    for chunk in response.streaming_content:
        total += len(chunk)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert total == len(big)
    assert peak < 4 * 1024 * 1024


@pytest.mark.parametrize(
    "url",
    [
        "/opendata/nemaie/",
        "/opendata/zaklady-osvity/resources/00000000-0000-0000-0000-000000000000/download",
    ],
)
def test_unknown_datasets_and_files_are_404(client, dataset, url):
    assert client.get(url).status_code == 404
