import pytest
from django.urls import reverse

from ratusha.core import services
from ratusha.core.models import Employee, StructuralUnit
from ratusha.core.permissions import RecordPermissionDenied, can_change_unit_records
from ratusha.core.tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_unit_editor_changes_own_unit(unit, unit_editor):
    # Given an editor of the finance unit
    # When they change their unit's phone through the service
    updated = services.unit_update(actor=unit_editor, unit=unit, data={"phone": "3-22-11"})
    # Then the change is stored
    assert StructuralUnit.objects.get(pk=unit.pk).phone == "3-22-11"
    assert updated.phone == "3-22-11"


def test_unit_editor_refused_on_another_units_record(unit, other_unit, unit_editor):
    # Given an editor of the finance unit and the education unit's card
    # When they try to change the education unit
    with pytest.raises(RecordPermissionDenied) as refusal:
        services.unit_update(actor=unit_editor, unit=other_unit, data={"phone": "0-00-00"})
    # Then they are refused in Ukrainian and nothing changed
    assert "лише записи свого структурного підрозділу" in str(refusal.value)
    assert StructuralUnit.objects.get(pk=other_unit.pk).phone == ""


def test_unit_editor_cannot_move_staff_into_another_unit(unit, other_unit, unit_editor):
    person = EmployeeFactory(unit=unit)
    with pytest.raises(RecordPermissionDenied):
        services.employee_update(actor=unit_editor, employee=person, data={"unit": other_unit})
    assert Employee.objects.get(pk=person.pk).unit_id == unit.pk


def test_unit_editor_refused_on_another_units_staff(other_unit, unit_editor):
    with pytest.raises(RecordPermissionDenied):
        services.employee_create(
            actor=unit_editor,
            data={"unit": other_unit, "full_name": "Іваненко Іван", "position": "спеціаліст"},
        )
    assert not Employee.objects.filter(unit=other_unit).exists()


def test_department_staff_changes_every_unit(unit, other_unit, department_staff):
    assert can_change_unit_records(department_staff, unit.pk)
    services.unit_update(actor=department_staff, unit=other_unit, data={"phone": "1-11-11"})
    assert StructuralUnit.objects.get(pk=other_unit.pk).phone == "1-11-11"


def test_user_without_role_changes_nothing(unit):
    nobody = UserFactory()
    with pytest.raises(RecordPermissionDenied):
        services.unit_update(actor=nobody, unit=unit, data={"phone": "1"})


def test_only_administrators_and_staff_register_units(unit_editor):
    with pytest.raises(RecordPermissionDenied):
        services.unit_create(actor=unit_editor, data={"name": "Новий відділ"})


def test_admin_form_refuses_unit_editor_on_another_unit(client, unit, other_unit, unit_editor):
    # Given the editor is logged in to the Wagtail admin
    client.force_login(unit_editor)
    # When they post the edit form of another unit by guessing its URL
    url = reverse("core_units:edit", args=[other_unit.pk])
    response = client.post(
        url,
        {
            "name": other_unit.name,
            "slug": other_unit.slug,
            "phone": "9-99-99",
            "sort_order": 0,
            "is_active": "on",
        },
    )
    # Then the same rule as in the service refuses it on the form, and nothing changed
    assert response.status_code == 200
    assert "лише записи свого структурного підрозділу" in response.content.decode()
    assert StructuralUnit.objects.get(pk=other_unit.pk).phone == ""


def test_admin_form_saves_through_service_for_own_unit(client, unit, unit_editor):
    client.force_login(unit_editor)
    url = reverse("core_units:edit", args=[unit.pk])
    response = client.post(
        url,
        {
            "name": unit.name,
            "slug": unit.slug,
            "phone": "5-55-55",
            "sort_order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert StructuralUnit.objects.get(pk=unit.pk).phone == "5-55-55"


def test_admin_unit_list_shows_editor_only_own_unit(client, unit, other_unit, unit_editor):
    client.force_login(unit_editor)
    response = client.get(reverse("core_units:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert unit.name in page
    assert other_unit.name not in page
