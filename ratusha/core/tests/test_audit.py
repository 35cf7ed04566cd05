import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from ratusha.core import selectors, services
from ratusha.core.choices import AuditAction
from ratusha.core.models import AuditEntry, StructuralUnit
from ratusha.core.permissions import RecordPermissionDenied

pytestmark = pytest.mark.django_db


def test_change_writes_who_what_before_and_after(unit, unit_editor):
    # Given a unit with no phone
    # When its editor sets the phone
    services.unit_update(actor=unit_editor, unit=unit, data={"phone": "3-22-11"})
    # Then the audit log says who changed which record from what to what
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert entry.actor == unit_editor
    assert entry.actor_repr == "editor"
    assert entry.content_type == ContentType.objects.get_for_model(StructuralUnit)
    assert entry.object_id == str(unit.pk)
    assert entry.object_repr == "Фінансовий відділ"
    assert entry.changes == {"phone": ["", "3-22-11"]}


def test_create_and_delete_are_logged(department_staff):
    unit = services.unit_create(actor=department_staff, data={"name": "Відділ культури"})
    assert unit.slug == "viddil-kultury"
    services.unit_delete(actor=department_staff, unit=unit)
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == [AuditAction.CREATE, AuditAction.DELETE]
    deleted = AuditEntry.objects.get(action=AuditAction.DELETE)
    assert deleted.changes["name"] == ["Відділ культури", None]


def test_refused_change_writes_nothing(other_unit, unit_editor):
    with pytest.raises(RecordPermissionDenied):
        services.unit_update(actor=unit_editor, unit=other_unit, data={"phone": "1"})
    assert not AuditEntry.objects.exists()


def test_audit_entries_cannot_be_changed_or_deleted(unit, department_staff):
    services.unit_update(actor=department_staff, unit=unit, data={"phone": "1"})
    entry = AuditEntry.objects.get()
    entry.object_repr = "підробка"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.update(object_repr="підробка")
    assert AuditEntry.objects.get().object_repr == "Фінансовий відділ"


def test_admin_cannot_edit_or_delete_audit_entries(client, unit, administrator):
    services.unit_update(actor=administrator, unit=unit, data={"phone": "1"})
    entry = AuditEntry.objects.get()
    client.force_login(administrator)
    edit = client.post(reverse("core_audit:edit", args=[entry.pk]), {"reason": "x"})
    delete = client.post(reverse("core_audit:delete", args=[entry.pk]))
    assert edit.status_code in (302, 403)
    assert delete.status_code in (302, 403)
    assert AuditEntry.objects.filter(pk=entry.pk, reason="").exists()
    # and there is no "add" button on the list
    listing = client.get(reverse("core_audit:index"))
    assert listing.status_code == 200
    assert reverse("core_audit:add") not in listing.content.decode()


def test_administrator_filters_audit_by_record_user_and_date(
    client, unit, other_unit, administrator, department_staff
):
    services.unit_update(actor=department_staff, unit=unit, data={"phone": "1"})
    services.unit_update(actor=administrator, unit=other_unit, data={"phone": "2"})
    client.force_login(administrator)
    unit_type = ContentType.objects.get_for_model(StructuralUnit)
    today = dt.date.today().isoformat()
    response = client.get(
        reverse("core_audit:index"),
        {
            "content_type": unit_type.pk,
            "object_id": unit.pk,
            "actor": department_staff.pk,
            "at_after": today,
            "at_before": today,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Фінансовий відділ" in page
    assert "Відділ освіти" not in page
    # The selector gives the same answer as the admin filter
    assert [e.object_repr for e in selectors.audit_list(actor_id=department_staff.pk)] == [
        "Фінансовий відділ"
    ]


def test_non_administrator_cannot_read_audit_log(client, department_staff):
    client.force_login(department_staff)
    response = client.get(reverse("core_audit:index"))
    assert response.status_code in (302, 403)
