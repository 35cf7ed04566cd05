"""Drafts to deputies: the e-mails (Django's outbox and a real SMTP server on localhost), retries
while the mail server is down, superseded revisions, the admin's delivery log and the deputy's
cabinet."""

from __future__ import annotations

import datetime as dt
import email
import hashlib
import socket
import threading
from email import policy
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from ratusha.acts import services as act_services
from ratusha.acts.choices import TextStatus
from ratusha.acts.documents import InspectedDocument
from ratusha.acts.models import ActKind
from ratusha.core.models import AuditEntry, HromadaSettings
from ratusha.core.permissions import SYSTEM
from ratusha.core.roles import Role
from ratusha.core.scheduling import DAILY_TASKS
from ratusha.core.tests.factories import UserFactory
from ratusha.council import mailing, services
from ratusha.council.choices import DeliveryStatus, MeetingStatus
from ratusha.council.models import Delivery, DraftMailing
from ratusha.council.tasks import resend_pending_deliveries, send_delivery

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
COUNCIL = "Вербівська селищна рада"


def pdf(name: str, content: bytes = PDF_BYTES) -> InspectedDocument:
    return InspectedDocument(
        name=name,
        content=content,
        file_format="pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        text="",
        text_status=TextStatus.NONE,
    )


# Fixtures --------------------------------------------------------------------------------------


@pytest.fixture
def backend(settings):
    """The dummy task backend: tasks are recorded (with ``run_after``) and run by the test."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    return default_task_backend


@pytest.fixture
def council_name(db):
    hromada = HromadaSettings.for_site(Site.objects.get(is_default_site=True))
    hromada.council_name = COUNCIL
    hromada.save()
    return COUNCIL


@pytest.fixture
def draft_with_file(db):
    """An unpublished draft with a PDF file."""
    return act_services.act_register(
        actor=SYSTEM,
        data={
            "kind": ActKind.objects.get(code="draft-council-decision"),
            "date": timezone.localdate() - dt.timedelta(days=21),
            "title": "Про місцевий бюджет на 2026 рік",
            "text": "Текст проєкту бюджету.",
        },
        documents=[pdf("Проєкт бюджету.pdf")],
    )


@pytest.fixture
def agenda(session, deputies, drafts, draft_with_file, council_name):
    """Three items: an unpublished draft with a file, a published draft, an item without one."""
    act_services.act_update(actor=SYSTEM, act=drafts[1], data={"consideration_date": session.date})
    act_services.act_publish(actor=SYSTEM, act=drafts[1])
    services.agenda_item_create(
        actor=SYSTEM,
        data={
            "meeting": session,
            "title": draft_with_file.title,
            "draft": draft_with_file,
            "rapporteur": "Петренко О. І.",
        },
    )
    services.agenda_item_create(
        actor=SYSTEM, data={"meeting": session, "title": drafts[1].title, "draft": drafts[1]}
    )
    services.agenda_item_create(actor=SYSTEM, data={"meeting": session, "title": "Різне"})
    return session


def approve(meeting, capture):
    with capture(execute=True):
        services.agenda_approve(actor=SYSTEM, meeting=meeting)
    meeting.refresh_from_db()
    return meeting.mailings.order_by("-pk").first()


def council_tasks(backend) -> list:
    """The council's tasks the backend holds (Wagtail enqueues its own there too)."""
    return [r for r in backend.results if r.task.module_path.startswith("ratusha.council.")]


def run_due_tasks(backend, now=None) -> list:
    """Run what the worker would run by ``now``, including what those tasks enqueue."""
    now = now or timezone.now()
    ran = []
    with mock.patch("django.utils.timezone.now", return_value=now):
        while True:
            due = [
                r
                for r in council_tasks(backend)
                if r.task.run_after is None or r.task.run_after <= now
            ]
            if not due:
                return ran
            for result in due:
                backend.results.remove(result)
                ran.append(result.task.call(*result.args, **result.kwargs))


def statuses(mailing_obj) -> set[str]:
    return set(mailing_obj.deliveries.values_list("status", flat=True))


# The outbox --------------------------------------------------------------------------------------


def test_approval_mails_every_deputy_the_agenda_with_drafts(
    agenda, deputies, drafts, draft_with_file, backend, django_capture_on_commit_callbacks
):
    sent_mailing = approve(agenda, django_capture_on_commit_callbacks)
    assert [r.task.name for r in council_tasks(backend)] == ["send_mailing"]
    assert council_tasks(backend)[0].task.run_after is None  # an approval goes at once
    run_due_tasks(backend)

    assert len(mail.outbox) == 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"{d.person.full_name} <{d.person.email}>" for d in deputies
    )
    message = mail.outbox[0]
    assert message.subject == "Порядок денний: 7 сесія VIII скликання (редакція 1)"
    assert COUNCIL in message.from_email
    body = message.body
    assert COUNCIL in body
    assert agenda.date.strftime("%d.%m.%Y") in body and "10:00" in body
    assert "Сесійна зала, вул. Соборна, 1" in body
    # The items in order
    positions = [body.index(t) for t in (draft_with_file.title, drafts[1].title, "Різне")]
    assert positions == sorted(positions)
    # An unpublished draft links to the cabinet, a published one to its public page.
    assert f"http://localhost/council/cabinet/#draft-{draft_with_file.pk}" in body
    assert f"http://localhost/acts/{drafts[1].pk}/" in body
    file = draft_with_file.versions.get().files.get()
    assert f"http://localhost/council/cabinet/drafts/{draft_with_file.pk}/files/{file.pk}/" in body
    # HTML alternative and the draft's file attached
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="http://localhost/acts/{drafts[1].pk}/"' in html
    assert message.attachments == [("Проєкт бюджету.pdf", PDF_BYTES, "application/pdf")]

    deliveries = list(sent_mailing.deliveries.all())
    assert {d.status for d in deliveries} == {DeliveryStatus.SENT}
    assert all(d.sent_at and d.attempts == 1 and not d.last_error for d in deliveries)
    # Running the mailing again sends nothing twice.
    assert mailing.send_mailing_now(sent_mailing.pk) == 0
    assert send_delivery.call(deliveries[0].pk) == DeliveryStatus.SENT
    assert len(mail.outbox) == 5


def test_large_files_are_linked_not_attached(
    agenda, draft_with_file, backend, settings, django_capture_on_commit_callbacks
):
    settings.COUNCIL_MAIL_ATTACHMENTS_MAX_BYTES = len(PDF_BYTES) - 1
    approve(agenda, django_capture_on_commit_callbacks)
    run_due_tasks(backend)
    assert len(mail.outbox) == 5
    message = mail.outbox[0]
    assert message.attachments == []
    assert "не додано до листа" in message.body
    assert f"/council/cabinet/drafts/{draft_with_file.pk}/files/" in message.body


def test_a_deputy_without_email_is_logged_as_no_address(
    agenda, deputies, backend, django_capture_on_commit_callbacks
):
    services.person_update(actor=SYSTEM, person=deputies[2].person, data={"email": ""})
    sent_mailing = approve(agenda, django_capture_on_commit_callbacks)
    run_due_tasks(backend)
    assert len(mail.outbox) == 4
    no_address = sent_mailing.deliveries.get(person=deputies[2].person)
    assert no_address.status == DeliveryStatus.NO_ADDRESS
    assert sent_mailing.deliveries.filter(status=DeliveryStatus.SENT).count() == 4


def test_a_change_is_sent_again_after_a_pause_and_supersedes_the_unsent(
    agenda, drafts, backend, settings, django_capture_on_commit_callbacks
):
    settings.COUNCIL_MAIL_CHANGE_DELAY_SECONDS = 120
    first = approve(agenda, django_capture_on_commit_callbacks)  # enqueued, not yet run
    item = agenda.items.get(position=3)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_item_update(actor=SYSTEM, item=item, data={"title": "Різне (звіти)"})
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_item_update(actor=SYSTEM, item=item, data={"title": "Різне (питання)"})
    agenda.refresh_from_db()
    assert agenda.agenda_revision == 3
    second, third = agenda.mailings.order_by("pk")[1:]
    # The older revisions, not yet sent, are superseded: nobody gets stale agendas.
    assert statuses(first) == {DeliveryStatus.SUPERSEDED}
    assert statuses(second) == {DeliveryStatus.SUPERSEDED}
    assert statuses(third) == {DeliveryStatus.QUEUED}
    # A change-triggered mailing waits, so a burst of changes goes out as one e-mail.
    delayed = [r for r in council_tasks(backend) if r.task.run_after is not None]
    assert len(delayed) == 2
    assert all(r.task.run_after >= before + dt.timedelta(seconds=120) for r in delayed)

    run_due_tasks(backend)
    assert mail.outbox == []
    run_due_tasks(backend, now=timezone.now() + dt.timedelta(minutes=3))
    assert len(mail.outbox) == 5
    assert {m.subject for m in mail.outbox} == {
        "Порядок денний: 7 сесія VIII скликання (редакція 3)"
    }
    assert "Різне (питання)" in mail.outbox[0].body
    assert "Змінено питання 3" in mail.outbox[0].body  # the reason
    assert statuses(third) == {DeliveryStatus.SENT}

    # A later change does not touch what was already sent.
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_item_update(actor=SYSTEM, item=item, data={"rapporteur": "Іваненко"})
    assert statuses(third) == {DeliveryStatus.SENT}
    run_due_tasks(backend, now=timezone.now() + dt.timedelta(minutes=3))
    assert len(mail.outbox) == 10


def test_a_delivery_is_superseded_when_sent_after_a_newer_one_exists(
    agenda, deputies, backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        services.agenda_approve(actor=SYSTEM, meeting=agenda)
        agenda.refresh_from_db()
        services.agenda_resend(actor=SYSTEM, meeting=agenda, reason="Новий файл")
    old, new = agenda.mailings.order_by("pk")
    # Simulate an old delivery still waiting (e.g. restored by hand).
    Delivery.objects.filter(mailing=old).update(status=DeliveryStatus.RETRYING)
    target = old.deliveries.get(person=deputies[0].person)
    assert mailing.send_delivery_now(target.pk) == DeliveryStatus.SUPERSEDED
    assert mail.outbox == []
    assert mailing.send_mailing_now(new.pk) == 5


def test_backoff_and_giving_up():
    minutes = [mailing.backoff(n).total_seconds() / 60 for n in range(1, 8)]
    assert minutes == [1, 5, 15, 60, 60, 60, 60]
    assert mailing.MAX_ATTEMPTS == 24


# A real SMTP server ------------------------------------------------------------------------------


class Collector:
    def __init__(self):
        self.envelopes = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self):
        with self.lock:
            return [
                (list(e.rcpt_tos), email.message_from_bytes(e.content, policy=policy.default))
                for e in self.envelopes
            ]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_settings(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    return settings


@pytest.fixture
def smtp_server(smtp_settings):
    """Start an SMTP server on the configured port (call it); stopped after the test."""
    from aiosmtpd.controller import Controller

    started = []

    def start():
        handler = Collector()
        controller = Controller(handler, hostname="127.0.0.1", port=smtp_settings.EMAIL_PORT)
        controller.start()
        started.append(controller)
        return handler

    yield start
    for controller in started:
        controller.stop()


def test_deputies_receive_the_drafts_from_a_real_smtp_server(
    agenda, deputies, draft_with_file, smtp_server, backend, django_capture_on_commit_callbacks
):
    server = smtp_server()
    sent_mailing = approve(agenda, django_capture_on_commit_callbacks)
    run_due_tasks(backend)
    received = server.messages()
    assert len(received) == 5
    assert sorted(rcpt[0] for rcpt, _ in received) == sorted(d.person.email for d in deputies)
    rcpts, message = received[0]
    assert len(rcpts) == 1
    # Django folds the encoded subject onto the next line; mail readers drop the fold.
    assert message["Subject"].strip() == "Порядок денний: 7 сесія VIII скликання (редакція 1)"
    assert message["To"].addresses[0].addr_spec == rcpts[0]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert draft_with_file.title in text and draft_with_file.title in html
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["Проєкт бюджету.pdf"]
    assert attachments[0].get_content() == PDF_BYTES
    assert statuses(sent_mailing) == {DeliveryStatus.SENT}


def test_mail_server_down_then_back_nothing_lost_nothing_doubled(
    agenda, deputies, smtp_server, backend, django_capture_on_commit_callbacks
):
    sent_mailing = approve(agenda, django_capture_on_commit_callbacks)
    start = timezone.now()
    run_due_tasks(backend)  # nobody listens on the port
    deliveries = list(sent_mailing.deliveries.all())
    assert {d.status for d in deliveries} == {DeliveryStatus.RETRYING}
    for delivery in deliveries:
        assert delivery.attempts == 1 and delivery.sent_at is None
        assert "refused" in delivery.last_error.lower() or "errno" in delivery.last_error.lower()
        wait = delivery.next_attempt_at - start
        assert dt.timedelta(seconds=50) < wait < dt.timedelta(minutes=2)
    # A retry for each is enqueued for the worker, after the backoff.
    retries = council_tasks(backend)
    assert sorted(r.args[0] for r in retries) == sorted(d.pk for d in deliveries)
    assert all(r.task.name == "send_delivery" and r.task.run_after for r in retries)

    server = smtp_server()  # the mail server is back
    later = timezone.now() + dt.timedelta(minutes=2)
    run_due_tasks(backend, now=later)
    assert statuses(sent_mailing) == {DeliveryStatus.SENT}
    assert sent_mailing.deliveries.filter(attempts=2).count() == 5
    received = server.messages()
    assert sorted(r[0] for r, _ in received) == sorted(d.person.email for d in deputies)

    # The safety net and a second run find nothing to send.
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert mailing.enqueue_due_deliveries() == 0
        assert mailing.send_mailing_now(sent_mailing.pk) == 0
        for delivery in deliveries:
            assert send_delivery.call(delivery.pk) == DeliveryStatus.SENT
    assert len(server.messages()) == 5


def test_a_delivery_fails_for_good_after_24_attempts(
    agenda, deputies, smtp_settings, backend, django_capture_on_commit_callbacks
):
    sent_mailing = approve(agenda, django_capture_on_commit_callbacks)
    backend.clear()
    target = sent_mailing.deliveries.get(person=deputies[0].person)
    Delivery.objects.filter(pk=target.pk).update(status=DeliveryStatus.RETRYING, attempts=23)
    assert mailing.send_delivery_now(target.pk) == DeliveryStatus.FAILED
    target.refresh_from_db()
    assert target.attempts == 24 and target.next_attempt_at is None and target.last_error
    assert council_tasks(backend) == []  # no more retries


def test_the_safety_net_sends_what_was_lost(agenda, backend, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the task is lost
        services.agenda_approve(actor=SYSTEM, meeting=agenda)
    assert council_tasks(backend) == []
    assert resend_pending_deliveries.call() == 5
    names = sorted(r.task.name for r in council_tasks(backend))
    assert names == ["resend_pending_deliveries"] + ["send_delivery"] * 5  # and tomorrow's run
    run_due_tasks(backend)
    assert len(mail.outbox) == 5
    assert "ratusha.council.tasks:resend_pending_deliveries" in DAILY_TASKS


def test_the_command_sends_pending_deliveries(
    agenda, backend, django_capture_on_commit_callbacks, capsys
):
    with django_capture_on_commit_callbacks(execute=False):
        services.agenda_approve(actor=SYSTEM, meeting=agenda)
    call_command("send_pending_deliveries")
    assert "5" in capsys.readouterr().out
    assert len(council_tasks(backend)) == 5 and mail.outbox == []
    call_command("send_pending_deliveries", "--now")
    assert len(mail.outbox) == 5
    call_command("send_pending_deliveries", "--now")
    assert len(mail.outbox) == 5


# The admin's delivery log ------------------------------------------------------------------------


def log_url(meeting) -> str:
    return reverse("council_mailings:mailings", kwargs={"meeting_id": meeting.pk})


def test_the_delivery_log_and_send_again(
    client, agenda, deputies, department_staff, backend, django_capture_on_commit_callbacks
):
    services.person_update(actor=SYSTEM, person=deputies[4].person, data={"email": ""})
    approve(agenda, django_capture_on_commit_callbacks)
    run_due_tasks(backend)
    client.force_login(department_staff)
    page = client.get(log_url(agenda))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Порядок денний затверджено" in html
    for deputy in deputies:
        assert deputy.person.full_name in html
    assert html.count('data-status="sent"') == 4
    assert html.count('data-status="no_address"') == 1
    assert "csrfmiddlewaretoken" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(log_url(agenda), {"action": "resend", "reason": "Додано файл"})
    assert response.status_code == 302 and response["Location"] == log_url(agenda)
    newest = agenda.mailings.order_by("-pk").first()
    assert newest.reason == "Додано файл" and newest.created_by == department_staff
    run_due_tasks(backend)
    assert len(mail.outbox) == 8
    assert "Додано файл" in client.get(log_url(agenda)).content.decode()


def test_retry_failed_now(
    client, agenda, deputies, department_staff, backend, django_capture_on_commit_callbacks
):
    sent_mailing = approve(agenda, django_capture_on_commit_callbacks)
    backend.clear()  # as if the mail server refused every one for a day
    sent_mailing.deliveries.update(
        status=DeliveryStatus.FAILED, attempts=24, last_error="SMTPServerDisconnected: down"
    )
    client.force_login(department_staff)
    html = client.get(log_url(agenda)).content.decode()
    assert "SMTPServerDisconnected: down" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(log_url(agenda), {"action": "retry"})
    assert response.status_code == 302
    assert len(council_tasks(backend)) == 5
    run_due_tasks(backend)
    assert statuses(sent_mailing) == {DeliveryStatus.SENT}
    assert len(mail.outbox) == 5
    assert AuditEntry.objects.filter(reason__contains="Повторно надіслано").exists()


def test_the_log_is_for_council_staff_only(
    client, agenda, unit_editor, backend, django_capture_on_commit_callbacks
):
    approve(agenda, django_capture_on_commit_callbacks)
    response = client.get(log_url(agenda))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(unit_editor)

    def refused(response):
        # Wagtail turns a refusal in its admin into a redirect to the dashboard with a message.
        return response.status_code == 403 or (
            response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
        )

    assert refused(client.get(log_url(agenda)))
    assert refused(client.post(log_url(agenda), {"action": "resend"}))
    assert refused(client.post(log_url(agenda), {"action": "retry"}))
    assert DraftMailing.objects.filter(meeting=agenda).count() == 1


# The deputy's cabinet ----------------------------------------------------------------------------


@pytest.fixture
def deputy_user(deputies):
    user = UserFactory(username="deputy1", roles=[Role.DEPUTY])
    services.person_update(actor=SYSTEM, person=deputies[0].person, data={"user": user})
    return user


def cabinet_file_url(act, file) -> str:
    return reverse("council:cabinet_file", kwargs={"act_id": act.pk, "file_id": file.pk})


def test_a_deputy_sees_unpublished_drafts_in_the_cabinet(
    client, agenda, draft_with_file, deputy_user, backend, django_capture_on_commit_callbacks
):
    file = draft_with_file.versions.get().files.get()
    client.force_login(deputy_user)
    # Before approval: no agenda yet, no file.
    assert draft_with_file.title not in client.get(reverse("council:cabinet")).content.decode()
    assert client.get(cabinet_file_url(draft_with_file, file)).status_code == 404

    approve(agenda, django_capture_on_commit_callbacks)
    page = client.get(reverse("council:cabinet"))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("council:cabinet") == "/council/cabinet/"
    assert "Бондаренко Олена Петрівна" in html
    assert draft_with_file.title in html and "Текст проєкту бюджету." in html
    assert f'id="draft-{draft_with_file.pk}"' in html
    assert "no-store" in page["Cache-Control"]

    download = client.get(cabinet_file_url(draft_with_file, file))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_the_cabinet_is_closed_to_others(
    client,
    agenda,
    draft_with_file,
    deputies,
    unit_editor,
    backend,
    django_capture_on_commit_callbacks,
):
    approve(agenda, django_capture_on_commit_callbacks)
    file = draft_with_file.versions.get().files.get()
    url = reverse("council:cabinet")

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"{reverse('wagtailadmin_login')}?next={url}"
    assert client.get(cabinet_file_url(draft_with_file, file)).status_code == 302

    client.force_login(unit_editor)  # logged in, but no mandate
    assert client.get(url).status_code == 403
    assert client.get(cabinet_file_url(draft_with_file, file)).status_code in (403, 404)

    # A former deputy (mandate ended) is refused too.
    services.person_update(actor=SYSTEM, person=deputies[1].person, data={"user": unit_editor})
    services.deputy_update(
        actor=SYSTEM,
        deputy=deputies[1],
        data={"end_date": timezone.localdate() - dt.timedelta(days=1), "end_reason": "Склав"},
    )
    assert client.get(url).status_code == 403


def test_the_cabinet_serves_only_drafts_on_an_upcoming_approved_agenda(
    client,
    agenda,
    drafts,
    deputy_user,
    staff_user_files,
    backend,
    django_capture_on_commit_callbacks,
):
    approve(agenda, django_capture_on_commit_callbacks)
    client.force_login(deputy_user)
    stray, stray_file = staff_user_files  # a draft on no agenda
    assert client.get(cabinet_file_url(stray, stray_file)).status_code == 404
    # A file id of another act under this act's id
    on_agenda = agenda.items.get(position=1).draft
    assert client.get(cabinet_file_url(on_agenda, stray_file)).status_code == 404
    # A cancelled meeting's agenda closes its drafts.
    file = on_agenda.versions.get().files.get()
    assert client.get(cabinet_file_url(on_agenda, file)).status_code == 200
    services.meeting_update(actor=SYSTEM, meeting=agenda, data={"status": MeetingStatus.CANCELLED})
    assert client.get(cabinet_file_url(on_agenda, file)).status_code == 404
    assert on_agenda.title not in client.get(reverse("council:cabinet")).content.decode()


@pytest.fixture
def staff_user_files(db):
    act = act_services.act_register(
        actor=SYSTEM,
        data={
            "kind": ActKind.objects.get(code="draft-council-decision"),
            "date": timezone.localdate() - dt.timedelta(days=3),
            "title": "Про щось інше",
        },
        documents=[pdf("Інше.pdf", PDF_BYTES + b"%other")],
    )
    return act, act.versions.get().files.get()


def test_council_staff_see_the_cabinet(
    client, agenda, department_staff, backend, django_capture_on_commit_callbacks
):
    approve(agenda, django_capture_on_commit_callbacks)
    client.force_login(department_staff)
    response = client.get(reverse("council:cabinet"))
    assert response.status_code == 200
    assert "7 сесія VIII скликання" in response.content.decode()


def test_with_the_immediate_backend_changes_go_at_once(
    agenda, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    approve(agenda, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 5
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_item_update(
            actor=SYSTEM, item=agenda.items.get(position=3), data={"title": "Інше"}
        )
    assert len(mail.outbox) == 10
    assert {m.subject for m in mail.outbox[5:]} == {
        "Порядок денний: 7 сесія VIII скликання (редакція 2)"
    }
