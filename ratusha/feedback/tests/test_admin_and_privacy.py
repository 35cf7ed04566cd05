"""Staff handle messages in the admin, each seeing only what their role allows; the applicants'
personal data never reaches a public page, feed, API, sitemap or the search index."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ratusha.core.models import AuditEntry
from ratusha.core.permissions import RecordPermissionDenied
from ratusha.core.roles import Role
from ratusha.core.tests.factories import UserFactory
from ratusha.feedback import selectors, services
from ratusha.feedback.choices import FeedbackStatus
from ratusha.feedback.models import FeedbackMessage

pytestmark = pytest.mark.django_db


def _message(unit=None, **extra):
    data = {
        "name": "Григорій Приватенко",
        "email": "pryvatenko.secret@example.org",
        "phone": "+380 99 765 43 21",
        "unit": unit,
        "text": "Прошу перевірити <script>alert('x')</script> тариф Зеленоградський-унікум.",
        **extra,
    }
    return services.message_submit(data=data, consent=True)


@pytest.fixture
def own_message(unit):
    return _message(unit)


@pytest.fixture
def other_message(other_unit):
    return _message(other_unit, name="Інший Заявник")


def _edit(pk):
    return reverse("feedback_messages:edit", args=[pk])


def _inspect(pk):
    return reverse("feedback_messages:inspect", args=[pk])


def test_department_staff_see_every_message(client, department_staff, own_message, other_message):
    client.force_login(department_staff)
    html = client.get(reverse("feedback_messages:index")).content.decode()
    assert own_message.reference in html and other_message.reference in html


def test_a_unit_editor_sees_only_their_units_messages(
    client, unit_editor, own_message, other_message
):
    client.force_login(unit_editor)
    html = client.get(reverse("feedback_messages:index")).content.decode()
    assert own_message.reference in html and other_message.reference not in html
    assert client.get(_edit(own_message.pk)).status_code == 200
    for url in (
        _edit(other_message.pk),
        _inspect(other_message.pk),
        reverse("feedback_messages:history", args=[other_message.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(_edit(other_message.pk), {"status": "answered", "staff_note": "x"})
    assert response.status_code == 404
    other_message.refresh_from_db()
    assert other_message.status == FeedbackStatus.NEW


def test_a_deputy_has_no_access(client, own_message):
    deputy = UserFactory(roles=[Role.DEPUTY])
    client.force_login(deputy)
    assert client.get(reverse("feedback_messages:index")).status_code in (302, 403)
    assert client.get(_edit(own_message.pk)).status_code in (302, 403, 404)


def test_nobody_adds_or_deletes_messages_in_the_admin(client, administrator, own_message):
    client.force_login(administrator)
    from django.urls import NoReverseMatch

    try:
        add = reverse("feedback_messages:add")
    except NoReverseMatch:
        add = None
    if add:
        assert client.get(add).status_code in (302, 403)
    response = client.post(reverse("feedback_messages:delete", args=[own_message.pk]))
    assert response.status_code in (302, 403)
    assert FeedbackMessage.objects.filter(pk=own_message.pk).exists()


def test_staff_mark_a_message_answered_through_the_service(client, unit_editor, own_message):
    client.force_login(unit_editor)
    response = client.post(
        _edit(own_message.pk),
        {"status": FeedbackStatus.ANSWERED, "staff_note": "Відповіли листом 01.12."},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    own_message.refresh_from_db()
    assert own_message.status == FeedbackStatus.ANSWERED
    assert own_message.handled_by == unit_editor
    assert own_message.name == "Григорій Приватенко"  # read-only fields untouched
    entry = AuditEntry.objects.filter(object_id=str(own_message.pk), action="update").get()
    assert entry.changes["status"] == ["new", "answered"]


def test_the_admin_shows_the_text_escaped(client, department_staff, own_message):
    client.force_login(department_staff)
    for url in (_edit(own_message.pk), _inspect(own_message.pk)):
        html = client.get(url).content.decode()
        assert "<script>alert('x')</script>" not in html
        assert "&lt;script&gt;" in html


def test_the_service_refuses_another_units_editor(unit_editor, other_message):
    with pytest.raises(RecordPermissionDenied):
        services.message_process(
            actor=unit_editor, message=other_message, data={"status": FeedbackStatus.ANSWERED}
        )


def test_the_service_needs_consent_and_an_active_unit(unit):
    with pytest.raises(ValidationError):
        services.message_submit(
            data={"name": "А", "email": "a@example.org", "text": "т"}, consent=False
        )
    unit.is_active = False
    unit.save()
    with pytest.raises(ValidationError):
        _message(unit)
    assert FeedbackMessage.objects.count() == 0


def test_selectors_by_role(unit_editor, department_staff, own_message, other_message):
    assert set(selectors.messages_visible_to(department_staff)) == {own_message, other_message}
    assert list(selectors.messages_visible_to(unit_editor)) == [own_message]
    assert not selectors.messages_visible_to(UserFactory(roles=[Role.DEPUTY])).exists()


SECRETS = ("Приватенко", "pryvatenko.secret", "765 43 21", "Зеленоградський-унікум")


def test_personal_data_never_reaches_a_public_address(client, own_message):
    """Every kind of public output, with a message stored and the search index rebuilt."""
    from ratusha.search import indexing

    indexing.rebuild()
    urls = [
        "/",
        "/feedback/",
        "/sitemap.xml",
        "/robots.txt",
        "/acts/",
        "/acts/?format=json",
        "/council/",
        "/opendata/",
        "/catalog.ttl",
        "/api/3/action/package_search?q=Приватенко",
        "/api/3/action/package_list",
    ]
    echoes = {}
    for word in ("Приватенко", "Зеленоградський-унікум", "pryvatenko"):
        for url in (f"/search/?q={word}", f"/api/v1/search?q={word}"):
            urls.append(url)
            echoes[url] = word  # the search page repeats the query itself
        assert client.get(f"/api/v1/search?q={word}").json()["total"] == 0
        suggest = client.get(f"/api/v1/search/suggest?q={word[:5]}").content.decode()
        assert word not in suggest
    index = client.get("/sitemap.xml").content.decode()
    urls += [re.sub(r"^https?://[^/]+", "", u) for u in re.findall(r"<loc>([^<]+)</loc>", index)]
    seen = 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or response.streaming:
            continue
        seen += 1
        body = response.content.decode()
        if url in echoes:
            body = body.replace(echoes[url], "")
        for secret in SECRETS:
            assert secret not in body, (url, secret)
    assert seen >= 10
    from ratusha.search.models import SearchDocument

    assert not SearchDocument.objects.filter(title__icontains="Приватенко").exists()
    assert not SearchDocument.objects.filter(text__icontains="Зеленоградський").exists()
