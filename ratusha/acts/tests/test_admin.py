"""The acts admin: registration, the action page, the deadline dashboard and the digest."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ratusha.acts import services
from ratusha.acts.choices import ActStatus
from ratusha.acts.models import Act
from ratusha.acts.notifications import send_deadline_digest
from ratusha.core.workdays import add_working_days, subtract_working_days

pytestmark = pytest.mark.django_db


def _order(kinds, unit, **extra):
    data = {
        "kind": kinds["head-order"],
        "number": "5-од",
        "date": dt.date(2025, 2, 3),
        "title": "Про проведення наради",
        "unit": unit,
        **extra,
    }
    return services.act_register(actor=extra.pop("actor", None) or _system(), data=data)


def _system():
    from ratusha.core.permissions import SYSTEM

    return SYSTEM


def test_staff_registers_an_act_in_the_admin(client, kinds, unit, department_staff):
    client.force_login(department_staff)
    response = client.post(
        reverse("acts_admin:add"),
        {
            "kind": kinds["council-decision"].pk,
            "number": "№ 77-VIII",
            "date": "12.03.2025",
            "title": "Про затвердження Положення про старосту",
            "issuing_body": "council",
            "unit": unit.pk,
            "convocation": "VIII",
            "session": "",
            "text": "Текст рішення",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    act = Act.objects.get()
    assert act.number == "77-VIII"
    assert act.date == dt.date(2025, 3, 12)
    assert response["Location"] == reverse("acts_admin:actions", args=[act.pk])


def test_admin_shows_duplicate_number_in_ukrainian(client, kinds, unit, department_staff):
    _order(kinds, unit)
    client.force_login(department_staff)
    response = client.post(
        reverse("acts_admin:add"),
        {
            "kind": kinds["head-order"].pk,
            "number": "5-ОД",
            "date": "10.02.2025",
            "title": "Про інше",
            "issuing_body": "head",
            "unit": unit.pk,
        },
    )
    assert response.status_code == 200
    assert "5-ОД за 2025 рік уже зареєстровано" in response.content.decode()
    assert Act.objects.count() == 1


def test_action_page_publishes_and_corrects(client, kinds, unit, department_staff):
    act = _order(kinds, unit)
    client.force_login(department_staff)
    url = reverse("acts_admin:actions", args=[act.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "schedule", "schedule-publish_at": ""})
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.status == ActStatus.PUBLISHED
    response = client.post(
        url, {"action": "correct", "correct-reason": "описка", "correct-text": "Виправлений текст"}
    )
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.text == "Виправлений текст"
    assert act.versions.count() == 2


def test_action_page_refuses_withdrawal_without_reason(client, kinds, unit, department_staff):
    act = _order(kinds, unit)
    client.force_login(department_staff)
    url = reverse("acts_admin:actions", args=[act.pk])
    response = client.post(url, {"action": "withdraw", "withdraw-reason": ""})
    assert response.status_code == 200
    act.refresh_from_db()
    assert act.status == ActStatus.REGISTERED


def test_unit_editor_does_not_see_other_units_acts(client, kinds, unit, other_unit, unit_editor):
    mine = _order(kinds, unit, number="1")
    theirs = _order(kinds, other_unit, number="2", title="Про чуже")
    client.force_login(unit_editor)
    assert client.get(reverse("acts_admin:actions", args=[mine.pk])).status_code == 200
    assert client.get(reverse("acts_admin:actions", args=[theirs.pk])).status_code == 404
    listing = client.get(reverse("acts_admin:index")).content.decode()
    assert "Про проведення наради" in listing and "Про чуже" not in listing


def _draft_due(kinds, unit, due: dt.date, number: str):
    consideration = add_working_days(due, 10)
    return services.act_register(
        actor=_system(),
        data={
            "kind": kinds["draft-council-decision"],
            "number": number,
            "date": subtract_working_days(due, 3),
            "title": f"Про проєкт {number}",
            "unit": unit,
            "consideration_date": consideration,
        },
    )


def test_deadline_dashboard_shows_overdue_today_and_soon(client, kinds, unit, department_staff):
    today = timezone.localdate()
    overdue = _draft_due(kinds, unit, subtract_working_days(today, 2), "П-1")
    soon = _draft_due(kinds, unit, add_working_days(today, 2), "П-2")
    later = _draft_due(kinds, unit, add_working_days(today, 8), "П-3")
    assert overdue.publication_due < today < soon.publication_due
    client.force_login(department_staff)
    page = client.get(reverse("acts_deadlines")).content.decode()
    assert "Про проєкт П-1" in page and "Про проєкт П-2" in page
    assert "Про проєкт П-3" not in page
    assert later.publication_due > add_working_days(today, 3)


def test_digest_mails_staff_what_is_at_risk(kinds, unit, department_staff, unit_editor):
    department_staff.email = "staff@example.org"
    department_staff.save()
    today = dt.date(2025, 3, 10)
    _draft_due(kinds, unit, dt.date(2025, 3, 6), "П-9")
    sent = send_deadline_digest(today=today)
    assert sent == 2  # department staff and the unit's editor
    subjects = {m.subject for m in mail.outbox}
    assert subjects == {"Строки оприлюднення на 10.03.2025"}
    body = mail.outbox[0].body
    assert "Про проєкт П-9" in body and "Прострочено" in body


def test_no_digest_when_nothing_is_at_risk(department_staff):
    assert send_deadline_digest(today=dt.date(2025, 3, 10)) == 0
    assert mail.outbox == []


def _docx_bytes(lines):
    import io

    from docx import Document

    document = Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_register_from_a_file_proposes_number_date_and_title(
    client, kinds, unit, department_staff, settings, tmp_path
):
    from urllib.parse import parse_qs, urlparse

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.VAR_DIR = tmp_path
    content = _docx_bytes(
        [
            "ВЕРБІВСЬКА СЕЛИЩНА РАДА",
            "РІШЕННЯ",
            "від 12.03.2021 № 245-VIII",
            "Про затвердження Програми розвитку культури",
            "",
            "Відповідно до статті 26 ...",
        ]
    )
    client.force_login(department_staff)
    # Given the editor uploads the decision's DOCX
    response = client.post(
        reverse("acts_admin:from_file"),
        {
            "file": SimpleUploadedFile("rishennia-245.docx", content),
            "kind": kinds["council-decision"].pk,
        },
    )
    # Then the registration form opens with what the text proposes
    assert response.status_code == 302, response.content.decode()[:2000]
    query = {k: v[0] for k, v in parse_qs(urlparse(response["Location"]).query).items()}
    assert query["number"] == "245-VIII"
    assert query["date"] == "12.03.2021"
    assert query["title"].startswith("Про затвердження Програми розвитку культури")
    form_page = client.get(response["Location"]).content.decode()
    assert "245-VIII" in form_page
    # When the editor confirms
    response = client.post(
        reverse("acts_admin:add"),
        {
            "kind": kinds["council-decision"].pk,
            "number": query["number"],
            "date": query["date"],
            "title": query["title"],
            "issuing_body": "council",
            "unit": unit.pk,
            "pending": query["pending"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    act = Act.objects.get()
    # Then the act is registered with the uploaded file and its text
    stored = act.versions.get().files.get()
    assert stored.original_name == "rishennia-245.docx"
    assert "Відповідно до статті 26" in act.text
    # and the pending file is gone
    assert not any((tmp_path / "pending-uploads").iterdir())


def test_register_from_a_file_refuses_a_broken_file(client, department_staff, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.VAR_DIR = tmp_path
    client.force_login(department_staff)
    response = client.post(
        reverse("acts_admin:from_file"),
        {
            "file": SimpleUploadedFile("rishennia.docx", b"PK\x03\x04 not really a zip"),
        },
    )
    assert response.status_code == 200
    assert "rishennia.docx" in response.content.decode()
    assert Act.objects.count() == 0


def test_deputy_reads_drafts_but_cannot_change_them(client, kinds, unit):
    from ratusha.core.roles import Role
    from ratusha.core.tests.factories import UserFactory

    deputy = UserFactory(username="deputy", roles=[Role.DEPUTY])
    draft = _draft_due(kinds, unit, dt.date(2025, 3, 6), "П-5")
    order = _order(kinds, unit, number="8")
    client.force_login(deputy)
    page = client.get(reverse("acts_admin:actions", args=[draft.pk]))
    assert page.status_code == 200
    assert "Про проєкт П-5" in page.content.decode()
    assert 'name="action"' not in page.content.decode()  # no forms to change it
    assert client.get(reverse("acts_admin:actions", args=[order.pk])).status_code == 404
    response = client.post(
        reverse("acts_admin:actions", args=[draft.pk]),
        {"action": "withdraw", "withdraw-reason": "спроба"},
    )
    draft.refresh_from_db()
    assert draft.status != ActStatus.WITHDRAWN
    assert response.status_code in (200, 302, 403)
