import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_wagtail_admin_speaks_ukrainian(client, administrator):
    # Given an administrator whose browser asks for English
    client.force_login(administrator)
    response = client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="en")
    # Then the admin is in Ukrainian, the default language
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="uk"' in page
    assert "Перейти до основного вмісту" in page


def test_core_admin_menu_lists_units_staff_calendar_and_audit(client, administrator):
    client.force_login(administrator)
    for name in ("core_units:index", "core_staff:index", "core_calendar:index", "core_audit:index"):
        assert client.get(reverse(name)).status_code == 200, name


def test_calendar_exception_added_in_admin_goes_through_service(client, approver):
    from ratusha.core.models import AuditEntry, CalendarException

    client.force_login(approver)
    response = client.post(
        reverse("core_calendar:add"),
        {"date": "31.12.2025", "kind": "off", "reason": "Розпорядження голови № 1-од"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    day = CalendarException.objects.get()
    assert str(day.date) == "2025-12-31"
    assert AuditEntry.objects.filter(object_id=str(day.pk), actor=approver).exists()
