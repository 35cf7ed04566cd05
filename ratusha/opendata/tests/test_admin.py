"""The open data admin: datasets through the services; a unit editor sees and changes only
their unit's datasets; uploads refused with the reason on the page, nothing lost."""

from django.core.files.uploadedfile import SimpleUploadedFile

from ratusha.core.permissions import SYSTEM
from ratusha.opendata import services
from ratusha.opendata.models import Dataset, ResourceVersion

from .conftest import SCHOOLS, csv_bytes, passport


def test_staff_create_a_dataset_with_keywords_in_the_admin(client, department_staff, hromada, unit):
    client.force_login(department_staff)
    response = client.post(
        "/admin/opendata/new/",
        {
            **passport(holder=unit.pk, identifier="zemli"),
            "theme": "gove",
            "language": "uk",
            "license": "cc-by-4.0",
            "tag_names": "земля, оренда",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    dataset = Dataset.objects.get(identifier="zemli")
    assert sorted(dataset.tags.values_list("name", flat=True)) == ["земля", "оренда"]


def test_a_unit_editor_sees_only_their_units_datasets(client, unit_editor, dataset, other_unit):
    foreign = services.dataset_create(
        actor=SYSTEM, data=passport(title="Чужий набір", holder=other_unit), publish=True
    )
    client.force_login(unit_editor)
    page = client.get("/admin/opendata/").content.decode()
    assert "Перелік закладів освіти" in page and "Чужий набір" not in page
    assert client.get(f"/admin/opendata/{foreign.pk}/actions/").status_code == 404
    assert client.get(f"/admin/opendata/{dataset.pk}/actions/").status_code == 200


def test_a_new_version_is_uploaded_on_the_action_page(client, unit_editor, dataset):
    client.force_login(unit_editor)
    resource = dataset.resources.get()
    newer = csv_bytes([*SCHOOLS, ["Нова школа", "вул. Нова", "10"]])
    response = client.post(
        f"/admin/opendata/{dataset.pk}/actions/",
        {
            "action": "replace",
            "replace-resource": resource.pk,
            "replace-file": SimpleUploadedFile("schools.csv", newer),
            "replace-note": "Нова школа",
        },
    )
    assert response.status_code == 302
    assert ResourceVersion.objects.filter(resource=resource).count() == 2


def test_a_broken_upload_is_refused_on_the_page_and_nothing_is_lost(client, unit_editor, dataset):
    client.force_login(unit_editor)
    ragged = csv_bytes([*SCHOOLS, ["лише", "два"]])
    response = client.post(
        f"/admin/opendata/{dataset.pk}/actions/",
        {"action": "upload", "upload-file": SimpleUploadedFile("ragged.csv", ragged)},
    )
    assert response.status_code == 200
    assert "ragged.csv" in response.content.decode()
    assert dataset.resources.count() == 1
