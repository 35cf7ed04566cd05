"""Mail while the mail server is down: queued in the outbox, sent when it is back."""

from __future__ import annotations

import datetime as dt
import email
import socket
import threading
from email import policy

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from django.utils import timezone

from ratusha.ops import mail as outbox
from ratusha.ops.choices import OutgoingStatus
from ratusha.ops.models import OutgoingMessage

pytestmark = pytest.mark.django_db


class Collector:
    def __init__(self):
        self.envelopes = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        with self.lock:
            self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def outbox_settings(settings):
    settings.EMAIL_BACKEND = "ratusha.ops.mail.OutboxBackend"
    settings.EMAIL_TRANSPORT_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _free_port()  # nothing listens there yet: the server is "down"
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return settings


@pytest.fixture
def smtp_server(outbox_settings):
    from aiosmtpd.controller import Controller

    controllers = []

    def start():
        handler = Collector()
        controller = Controller(handler, hostname="127.0.0.1", port=outbox_settings.EMAIL_PORT)
        controller.start()
        controllers.append(controller)
        return handler

    yield start
    for controller in controllers:
        controller.stop()


def _come_due():
    OutgoingMessage.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


def test_mail_waits_while_the_server_is_down_and_goes_out_later(
    smtp_server, django_capture_on_commit_callbacks
):
    # Given an e-mail sent while the mail server is down
    attachment = "Звіт;3\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        message = django_mail.EmailMessage(
            "Строки оприлюднення", "Текст листа", to=["head@example.org"], bcc=["arch@example.org"]
        )
        message.attach("zvit.csv", attachment, "text/csv")
        assert message.send() == 1
    stored = OutgoingMessage.objects.get()
    assert stored.status == OutgoingStatus.QUEUED
    # When the worker tries
    assert outbox.send_due() == 0
    # Then it is kept for a retry, with the reason
    stored.refresh_from_db()
    assert stored.status == OutgoingStatus.RETRYING
    assert stored.attempts == 1
    assert "Error" in stored.last_error or "refused" in stored.last_error.lower()
    assert stored.next_attempt_at > timezone.now()
    assert outbox.send_due() == 0  # not due yet: no second attempt at once
    # And once the server is back and the retry is due, it goes out whole
    server = smtp_server()
    _come_due()
    assert outbox.send_due() == 1
    stored.refresh_from_db()
    assert stored.status == OutgoingStatus.SENT
    assert stored.sent_at is not None
    (envelope,) = server.envelopes
    assert sorted(envelope.rcpt_tos) == ["arch@example.org", "head@example.org"]
    received = email.message_from_bytes(envelope.content, policy=policy.default)
    assert received["Subject"] == "Строки оприлюднення"
    assert "Bcc" not in received
    parts = {part.get_filename(): part for part in received.iter_attachments()}
    # (text travels with CRLF line ends over SMTP, as when sent directly)
    assert parts["zvit.csv"].get_content().replace("\r\n", "\n").encode() == attachment
    # and is never sent twice
    _come_due()
    assert outbox.send_due() == 0


def test_the_heartbeat_sends_what_is_due(outbox_settings, smtp_server):
    from ratusha.ops.tasks import heartbeat

    django_mail.send_mail("Тема", "Текст", None, ["x@example.org"])
    server = smtp_server()
    heartbeat.call()
    assert len(server.envelopes) == 1


def test_password_reset_mail_goes_through_the_outbox(client, outbox_settings, department_staff):
    response = client.post(reverse("wagtailadmin_password_reset"), {"email": "staff@example.org"})
    assert response.status_code == 302
    queued = OutgoingMessage.objects.get()
    assert queued.recipients == ["staff@example.org"]


def test_a_message_that_keeps_failing_is_given_up_after_the_last_attempt(outbox_settings):
    django_mail.send_mail("Тема", "Текст", None, ["x@example.org"])
    OutgoingMessage.objects.update(attempts=outbox.MAX_ATTEMPTS - 1)
    assert outbox.send_due() == 0
    failed = OutgoingMessage.objects.get()
    assert failed.status == OutgoingStatus.FAILED
    assert failed.next_attempt_at is None


def test_council_mailing_talks_to_the_transport_directly(outbox_settings):
    from ratusha.core.mail import transport_backend

    assert transport_backend() == "django.core.mail.backends.smtp.EmailBackend"


def test_administrator_sees_the_outbox_and_others_do_not(
    client, outbox_settings, administrator, department_staff
):
    django_mail.send_mail("Тема листа", "Текст", None, ["x@example.org"])
    client.force_login(administrator)
    response = client.get(reverse("ops_outbox:index"))
    assert response.status_code == 200
    assert "Тема листа" in response.content.decode()
    client.force_login(department_staff)
    assert client.get(reverse("ops_outbox:index")).status_code in (302, 403)
