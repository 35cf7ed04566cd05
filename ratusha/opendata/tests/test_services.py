"""Datasets and resources through the services: passport rules, rights, versions, audit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ratusha.core.models import AuditEntry
from ratusha.core.permissions import SYSTEM, RecordPermissionDenied
from ratusha.opendata import services
from ratusha.opendata.choices import UpdateFrequency, next_due
from ratusha.opendata.files import inspect_upload
from ratusha.opendata.models import Dataset, ResourceVersion

from .conftest import SCHOOLS, csv_bytes, passport


def test_a_name_over_254_characters_is_refused_in_ukrainian_naming_the_limit(hromada, unit):
    with pytest.raises(ValidationError) as refused:
        services.dataset_create(actor=SYSTEM, data=passport(title="Н" * 255, holder=unit))
    assert "254" in refused.value.message_dict["title"][0]
    assert "255" in refused.value.message_dict["title"][0]
    assert not Dataset.objects.exists()


def test_a_description_over_4000_characters_is_refused(hromada):
    with pytest.raises(ValidationError) as refused:
        services.dataset_create(actor=SYSTEM, data=passport(description="о" * 4001))
    assert "4000" in refused.value.message_dict["description"][0]


def test_a_unit_editor_manages_only_their_units_datasets(unit_editor, unit, other_unit, hromada):
    own = services.dataset_create(actor=unit_editor, data=passport(holder=unit))
    assert own.holder == unit
    with pytest.raises(RecordPermissionDenied):
        services.dataset_create(actor=unit_editor, data=passport(holder=other_unit))
    foreign = services.dataset_create(actor=SYSTEM, data=passport(holder=other_unit))
    with pytest.raises(RecordPermissionDenied):
        services.dataset_update(actor=unit_editor, dataset=foreign, data={"title": "Інше"})
    with pytest.raises(RecordPermissionDenied):
        services.resource_upload(
            actor=unit_editor,
            dataset=foreign,
            inspected=inspect_upload("a.csv", csv_bytes(SCHOOLS)),
        )


def test_an_update_keeps_the_previous_file_as_a_version(dataset):
    resource = dataset.resources.get()
    first = resource.current
    newer = [*SCHOOLS, ["Степова гімназія", "с. Степове", "90"]]
    version = services.resource_replace(
        actor=SYSTEM,
        resource=resource,
        inspected=inspect_upload("schools-2025.csv", csv_bytes(newer)),
        note="Додано гімназію",
    )
    resource.refresh_from_db()
    assert resource.current == version
    assert version.number == 2
    assert list(resource.versions.values_list("number", flat=True)) == [2, 1]
    first.refresh_from_db()
    assert first.file.storage.exists(first.file.name)
    assert first.file.name != version.file.name


def test_the_same_file_again_is_not_a_new_version(dataset):
    resource = dataset.resources.get()
    with pytest.raises(ValidationError):
        services.resource_replace(
            actor=SYSTEM,
            resource=resource,
            inspected=inspect_upload("schools.csv", csv_bytes(SCHOOLS)),
        )
    assert ResourceVersion.objects.count() == 1


def test_an_upload_sets_the_next_due_date_from_the_frequency(dataset):
    assert dataset.update_frequency == UpdateFrequency.MONTHLY
    updated = dataset.data_modified_at
    from django.utils import timezone

    assert dataset.next_due == next_due(UpdateFrequency.MONTHLY, timezone.localdate(updated))


def test_next_due_follows_each_frequency():
    day = dt.date(2025, 1, 31)
    assert next_due(UpdateFrequency.MONTHLY, day) == dt.date(2025, 2, 28)
    assert next_due(UpdateFrequency.QUARTERLY, day) == dt.date(2025, 4, 30)
    assert next_due(UpdateFrequency.YEARLY, day) == dt.date(2026, 1, 31)
    assert next_due(UpdateFrequency.WEEKLY, day) == dt.date(2025, 2, 7)
    assert next_due(UpdateFrequency.ON_CHANGE, day) is None
    assert next_due(UpdateFrequency.NO_LONGER, day) is None


def test_every_change_is_audited(dataset):
    kinds = set(AuditEntry.objects.values_list("content_type__model", "action"))
    assert ("dataset", "create") in kinds
    assert ("resource", "create") in kinds


def test_a_withdrawn_dataset_leaves_the_catalogue_but_keeps_its_files(dataset, client):
    with pytest.raises(ValidationError):
        services.dataset_withdraw(actor=SYSTEM, dataset=dataset, reason=" ")
    services.dataset_withdraw(actor=SYSTEM, dataset=dataset, reason="Дані передано іншому органу")
    assert client.get(dataset.get_absolute_url()).status_code == 404
    assert ResourceVersion.objects.filter(resource__dataset=dataset).count() == 1


def test_an_unpublished_dataset_is_not_public_until_published(hromada, client):
    item = services.dataset_create(actor=SYSTEM, data=passport(identifier="chernetka"))
    assert client.get("/opendata/chernetka/").status_code == 404
    services.dataset_publish(actor=SYSTEM, dataset=item)
    assert client.get("/opendata/chernetka/").status_code == 200
