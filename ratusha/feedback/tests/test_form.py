"""The public form: a stored message with its reference and notice; every refusal clear and
in Ukrainian, and nothing stored by a refused post."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from ratusha.core.models import AuditEntry
from ratusha.feedback.choices import FeedbackStatus
from ratusha.feedback.models import TEXT_MAX, FeedbackMessage

from .conftest import VALID, uk

pytestmark = pytest.mark.django_db
URL = "/feedback/"


def _post(client, **changes):
    data = {**VALID, **changes}
    return client.post(URL, {k: v for k, v in data.items() if v is not None})


def test_form_page_has_every_field_and_a_hidden_trap(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("name", "email", "phone", "unit", "text", "consent", "csrfmiddlewaretoken"):
        assert f'name="{name}"' in html
    trap = re.search(r'<div class="feedback-form__trap" hidden>.*?</div>', html, re.S)
    assert trap and 'name="website"' in trap.group(0) and 'tabindex="-1"' in trap.group(0)
    assert "style=" not in html  # the CSP forbids inline styles


def test_the_site_links_to_the_form(client):
    assert f'href="{URL}"' in client.get("/search/").content.decode()


def test_a_message_is_stored_audited_and_the_unit_told(
    client, unit_with_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, unit=str(unit_with_mail.pk))
    assert response.status_code == 302
    message = FeedbackMessage.objects.get()
    assert re.fullmatch(r"ЗЗ-\d{4}-\d{5}", message.reference)
    assert message.unit == unit_with_mail and message.status == FeedbackStatus.NEW
    assert message.consent_at is not None
    entry = AuditEntry.objects.get(object_id=str(message.pk), content_type__model="feedbackmessage")
    assert entry.actor is None and entry.actor_repr == "відвідувач сайту"
    assert "text" not in entry.changes  # the audit keeps who and where, not the message
    (notice,) = mail.outbox
    assert notice.to == ["blago@example.org"] and notice.reply_to == [VALID["email"]]
    assert message.reference in notice.subject and VALID["text"] in notice.body
    # Post/redirect/get: the confirmation shows the number; reloading it posts nothing.
    page = client.get(response["Location"])
    assert page.status_code == 200 and message.reference in page.content.decode()
    assert client.get(response["Location"]).status_code == 200
    assert FeedbackMessage.objects.count() == 1
    assert VALID["email"] not in page.content.decode()


def test_without_a_unit_the_council_is_told(client, django_capture_on_commit_callbacks):
    from wagtail.models import Site

    from ratusha.core.models import HromadaSettings

    hromada = HromadaSettings.for_site(Site.objects.get(is_default_site=True))
    hromada.email = "rada@example.org"
    hromada.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client).status_code == 302
    assert [m.to for m in mail.outbox] == [["rada@example.org"]]


def test_the_notice_goes_through_the_outbox(
    client, unit_with_mail, settings, django_capture_on_commit_callbacks
):
    from ratusha.ops.models import OutgoingMessage

    settings.EMAIL_BACKEND = "ratusha.ops.mail.OutboxBackend"
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, unit=str(unit_with_mail.pk))
    stored = OutgoingMessage.objects.get()
    assert stored.recipients == ["blago@example.org"]


def test_a_forged_confirmation_address_is_not_found(client):
    assert client.get(reverse("feedback:sent", args=["ЗЗ-2026-00001"])).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field_msgid"),
    [
        ({"name": ""}, "Your name"),
        ({"email": "not-an-address"}, "E-mail for the answer"),
        ({"email": "a@b@c.ua"}, "E-mail for the answer"),
        ({"phone": "дзвоніть увечері"}, "Phone (optional)"),
        ({"text": "   "}, "Message"),
        ({"text": "щ" * (TEXT_MAX + 1)}, "Message"),
        ({"name": "Я" * 151}, "Your name"),
        ({"consent": None}, "I agree to the processing of my personal data to answer this message"),
        ({"unit": "99999"}, "To whom (optional)"),
    ],
    ids=[
        "no-name",
        "bad-email",
        "two-ats",
        "phone",
        "blank-text",
        "long-text",
        "long-name",
        "no-consent",
        "unknown-unit",
    ],
)
def test_bad_input_is_refused_naming_the_field_and_keeps_what_was_typed(
    client, changes, field_msgid
):
    response = _post(client, **changes)
    assert response.status_code == 400
    html = response.content.decode()
    assert FeedbackMessage.objects.count() == 0
    assert uk("The message has not been sent: please correct the form") in html
    field = uk(field_msgid)
    assert f"«{field}»" in unescape(html)  # the label may hold an apostrophe (&#x27;)
    assert 'aria-invalid="true"' in html
    kept = {**VALID, **changes}
    if field_msgid != "Message":
        assert kept["text"] in html  # nothing typed is lost


def test_too_long_text_message_says_the_limit(client):
    html = _post(client, text="щ" * (TEXT_MAX + 7)).content.decode()
    assert str(TEXT_MAX) in html and str(TEXT_MAX + 7) in html


def test_the_honeypot_refuses_and_stores_nothing(client):
    response = _post(client, website="http://spam.example")
    assert response.status_code == 400
    assert FeedbackMessage.objects.count() == 0
    assert VALID["text"] in response.content.decode()


def test_a_flood_from_one_address_is_stopped_in_ukrainian(client, settings):
    settings.FEEDBACK_RATE_LIMIT = 2
    assert _post(client).status_code == 302
    assert _post(client, text="Друге повідомлення").status_code == 302
    response = _post(client, text="Третє повідомлення, не має загубитися")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert uk("Too many messages from your address") in html
    assert "Третє повідомлення, не має загубитися" in html
    assert FeedbackMessage.objects.count() == 2
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert _post(other).status_code == 302


def test_behind_the_proxy_the_limit_counts_the_real_client(client, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    settings.RATUSHA_TRUSTED_PROXIES = 1
    first = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    second = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert _post(first).status_code == 302
    assert _post(first).status_code == 429
    assert _post(second).status_code == 302
    # A client cannot pick a new address by prepending to the header.
    spoof = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert _post(spoof).status_code == 429


def test_an_oversized_body_is_refused_before_it_is_read(client, settings):
    settings.FEEDBACK_MAX_BODY_BYTES = 16 * 1024
    response = _post(client, text="щ" * 20_000)
    assert response.status_code == 413
    assert FeedbackMessage.objects.count() == 0
    assert uk("The message is too large") in response.content.decode()


def test_a_post_without_the_csrf_token_is_refused():
    visitor = Client(enforce_csrf_checks=True)
    assert visitor.post(URL, VALID).status_code == 403
    assert FeedbackMessage.objects.count() == 0
    visitor.get(URL)
    token = visitor.cookies["csrftoken"].value
    assert visitor.post(URL, {**VALID, "csrfmiddlewaretoken": token}).status_code == 302


def test_an_inactive_unit_is_not_offered(client, unit_with_mail):
    unit_with_mail.is_active = False
    unit_with_mail.save()
    assert unit_with_mail.name not in client.get(URL).content.decode()
    assert _post(client, unit=str(unit_with_mail.pk)).status_code == 400


def test_control_characters_are_dropped_but_the_text_kept(client):
    _post(client, text="Рядок\x07 один\r\nРядок\x1b два")
    assert FeedbackMessage.objects.get().text == "Рядок один\r\nРядок два"
    assert _post(client, text="нуль\x00").status_code == 400  # Django refuses NUL outright
