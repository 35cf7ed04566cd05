"""Setting the council up in the admin: convocations, people (with a photo chosen from the
image library), deputies, bodies, memberships, sittings and import profiles are created and
edited through the services — each write audited under the staff member's name — and a
refusal of the service shows on the form. Then «Done when» end to end: a convocation set up,
a session run from its agenda to published votes, the drafts mailed, the votes downloaded."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model

from ratusha.acts.models import Act, ActKind
from ratusha.core.models import AuditEntry
from ratusha.core.permissions import SYSTEM
from ratusha.council import services
from ratusha.council.choices import (
    DeliveryStatus,
    MeetingKind,
    MembershipRole,
    OrganizationKind,
    VoteResult,
)
from ratusha.council.models import (
    Convocation,
    Deputy,
    Meeting,
    Membership,
    Organization,
    Person,
    Sitting,
    VoteEvent,
    VotingImportProfile,
)

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    from PIL import Image as PillowImage

    buffer = io.BytesIO()
    PillowImage.new("RGB", (48, 60), "#0057b8").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def photo(db):
    return get_image_model().objects.create(
        title="Фото депутата", file=ImageFile(io.BytesIO(_png()), name="deputy.png")
    )


@pytest.fixture
def person(db):
    return services.person_create(actor=SYSTEM, data={"full_name": "Гнатюк Ігор Васильович"})


@pytest.fixture
def body(convocation):
    return services.organization_create(
        actor=SYSTEM,
        data={
            "kind": OrganizationKind.COMMISSION,
            "convocation": convocation,
            "name": "Постійна комісія з питань освіти",
        },
    )


def _audited(model, instance, staff, action):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(instance.pk),
        action=action,
        actor=staff,
    ).latest("pk")


PROFILE_COLUMNS = {
    "column_motion_number": "A",
    "column_motion_title": "B",
    "column_voted_at": "C",
    "column_agenda_item": "",
    "column_voter_id": "D",
    "column_voter_name": "E",
    "column_choice": "F",
    "column_total_for": "",
    "column_total_against": "",
    "column_total_abstain": "",
    "column_total_not_voting": "",
    "column_total_absent": "",
}


# name, model, how to make the add form's data, the field an edit changes and its new value
SETUPS = [
    (
        "council_convocations",
        Convocation,
        lambda f: {
            "number": "9",
            "start_date": "20.11.2025",
            "end_date": "",
            "composition": "27",
            "default_vote_rule": "composition",
        },
        ("composition", "28", 28),
    ),
    (
        "council_people",
        Person,
        lambda f: {
            "full_name": "Ковальчук Марія Іванівна",
            "photo": f["photo"].pk,
            "biography": "Вчителька історії.",
            "email": "kovalchuk@example.org",
            "phone": "(04599) 2-17-40",
            "reception_hours": "Пн 9:00–12:00",
            "user": "",
        },
        ("phone", "(04599) 2-17-41", "(04599) 2-17-41"),
    ),
    (
        "council_deputies",
        Deputy,
        lambda f: {
            "person": f["person"].pk,
            "convocation": f["convocation"].pk,
            "district": "Виборчий округ № 3",
            "nominated_by": "самовисування",
            "voting_identifier": "D17",
            "start_date": "20.11.2020",
            "end_date": "",
            "end_reason": "",
        },
        ("district", "Виборчий округ № 4", "Виборчий округ № 4"),
    ),
    (
        "council_bodies",
        Organization,
        lambda f: {
            "kind": OrganizationKind.FACTION,
            "convocation": f["convocation"].pk,
            "name": "Депутатська фракція «Рідний край»",
            "short_name": "«Рідний край»",
            "description": "",
            "start_date": "01.12.2020",
            "end_date": "",
            "sort_order": "1",
        },
        ("short_name", "Фракція «Рідний край»", "Фракція «Рідний край»"),
    ),
    (
        "council_memberships",
        Membership,
        lambda f: {
            "person": f["person"].pk,
            "organization": f["body"].pk,
            "role": MembershipRole.SECRETARY,
            "label": "",
            "start_date": "01.12.2020",
            "end_date": "",
        },
        ("end_date", "30.06.2024", dt.date(2024, 6, 30)),
    ),
    (
        "council_sittings",
        Sitting,
        lambda f: {
            "meeting": f["session"].pk,
            "number": "2",
            "date": (f["session"].date + dt.timedelta(days=1)).strftime("%d.%m.%Y"),
            "start_time": "10:00",
            "place": "Сесійна зала",
            "status": "planned",
            "video_url": "",
        },
        ("place", "Мала зала", "Мала зала"),
    ),
    (
        "council_import_profiles",
        VotingImportProfile,
        lambda f: {
            "name": "Система «Рада-Голос»",
            "delimiter": ";",
            "encoding": "cp1251",
            **PROFILE_COLUMNS,
            "choice_values": '{"1": "for", "0": "against"}',
        },
        ("name", "Система «Рада-Голос» 2", "Система «Рада-Голос» 2"),
    ),
]


@pytest.mark.parametrize(("name", "model", "make", "change"), SETUPS, ids=[s[0] for s in SETUPS])
def test_staff_set_up_the_council_in_the_admin_through_the_services(
    client, department_staff, convocation, person, body, session, photo, name, model, make, change
):
    fixtures = {
        "convocation": convocation,
        "person": person,
        "body": body,
        "session": session,
        "photo": photo,
    }
    existing = set(model.objects.values_list("pk", flat=True))
    client.force_login(department_staff)

    # When staff fill in the add form
    form = client.get(reverse(f"{name}:add"))
    assert form.status_code == 200
    response = client.post(reverse(f"{name}:add"), make(fixtures))

    # Then the record is made through the service: audited under their name
    assert response.status_code == 302, response.content.decode()[:3000]
    (created,) = model.objects.exclude(pk__in=existing)
    assert _audited(model, created, department_staff, "create")

    # And when they edit it, the change goes the same way
    field, typed, stored = change
    edit_url = reverse(f"{name}:edit", args=[created.pk])
    assert client.get(edit_url).status_code == 200
    response = client.post(edit_url, {**make(fixtures), field: typed})
    assert response.status_code == 302, response.content.decode()[:3000]
    created.refresh_from_db()
    assert getattr(created, field) == stored
    entry = _audited(model, created, department_staff, "update")
    assert any(key in entry.changes for key in (field, f"{field}_id"))


def test_a_persons_photo_is_chosen_from_the_image_library(client, department_staff, person):
    client.force_login(department_staff)
    form = client.get(reverse("council_people:edit", args=[person.pk])).content.decode()
    assert 'id="id_photo-chooser"' in form
    assert reverse("wagtailimages_chooser:choose") in form


def test_the_admin_shows_the_services_refusal_and_saves_nothing(
    client, department_staff, convocation, person, deputies
):
    client.force_login(department_staff)
    response = client.post(
        reverse("council_deputies:add"),
        {
            "person": person.pk,
            "convocation": convocation.pk,
            "voting_identifier": deputies[0].voting_identifier,  # taken
            "start_date": "20.11.2020",
        },
    )
    assert response.status_code == 200
    assert deputies[0].person.full_name in response.content.decode()
    assert not Deputy.objects.filter(person=person).exists()


def test_a_unit_editor_cannot_set_up_the_council(client, unit_editor, convocation):
    client.force_login(unit_editor)
    response = client.post(
        reverse("council_convocations:edit", args=[convocation.pk]),
        {"number": "8", "start_date": "20.11.2020", "composition": "99"},
    )
    assert response.status_code in (302, 403)
    convocation.refresh_from_db()
    assert convocation.composition == 5


# «Done when», end to end ---------------------------------------------------------------------

DEPUTIES = [
    ("Бондаренко Олена Петрівна", "D1"),
    ("Гнатюк Ігор Васильович", "D2"),
    ("Шевчук Тарас Миколайович", "D3"),
]


@pytest.fixture
def immediate_tasks(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.VAR_DIR = tmp_path  # the import keeps the uploaded file there until confirmed


def _post(client, url, data, *, expect=302):
    response = client.post(url, data)
    if response.status_code != expect:  # say what the form refused
        form = (response.context or {}).get("form")
        pytest.fail(f"{url}: {response.status_code} {form.errors if form else ''}")
    return response


def test_a_session_from_setting_up_the_council_to_its_votes_as_open_data(
    client, department_staff, immediate_tasks, django_capture_on_commit_callbacks
):
    client.force_login(department_staff)
    today = timezone.localdate()

    # Staff set up the IX convocation of three deputies…
    _post(
        client,
        reverse("council_convocations:add"),
        {
            "number": "9",
            "start_date": "01.01.2025",
            "composition": "3",
            "default_vote_rule": "composition",
        },
    )
    convocation = Convocation.objects.get(number=9)
    for index, (name, voting_id) in enumerate(DEPUTIES, start=1):
        _post(
            client,
            reverse("council_people:add"),
            {"full_name": name, "email": f"deputy{index}@example.org"},
        )
        _post(
            client,
            reverse("council_deputies:add"),
            {
                "person": Person.objects.get(full_name=name).pk,
                "convocation": convocation.pk,
                "voting_identifier": voting_id,
                "start_date": "01.01.2025",
            },
        )
    # …register and publish a draft decision…
    _post(
        client,
        reverse("acts_admin:add"),
        {
            "kind": ActKind.objects.get(code="draft-council-decision").pk,
            "number": "45",
            "date": (today - dt.timedelta(days=20)).strftime("%d.%m.%Y"),
            "title": "Про затвердження Програми розвитку культури",
            "issuing_body": "council",
            "convocation": "IX",
            "text": "Затвердити Програму розвитку культури.",
        },
    )
    draft = Act.objects.get(title="Про затвердження Програми розвитку культури")
    _post(client, reverse("acts_admin:actions", args=[draft.pk]), {"action": "schedule"})
    # …register today's session and put the draft on its agenda
    _post(
        client,
        reverse("council_meetings:add"),
        {
            "kind": MeetingKind.SESSION,
            "convocation": convocation.pk,
            "number": "1",
            "date": today.strftime("%d.%m.%Y"),
            "start_time": "00:00",
            "place": "Сесійна зала",
            "status": "planned",
        },
    )
    session = Meeting.objects.get(convocation=convocation)
    _post(
        client,
        reverse("council_items:add"),
        {"meeting": session.pk, "title": draft.title, "draft": draft.pk, "result": "pending"},
    )

    # Approving the agenda mails each deputy the agenda with a link to the draft
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, reverse("council_meetings:manage", args=[session.pk]), {"action": "approve"})
    assert sorted(message.to[0].split("<")[1].rstrip(">") for message in mail.outbox) == [
        f"deputy{n}@example.org" for n in (1, 2, 3)
    ]
    assert all(f"/acts/{draft.pk}/" in message.body for message in mail.outbox)
    assert set(session.mailings.get().deliveries.values_list("status", flat=True)) == {
        DeliveryStatus.SENT
    }

    # The hall's voting file is imported: previewed, then confirmed
    voted = timezone.localtime(
        max(timezone.now() - dt.timedelta(minutes=1), session_start(session))
    )
    rows = io.StringIO()
    writer = csv.writer(rows, delimiter=";")
    writer.writerow(["№ голосування", "Назва", "Час", "Ідентифікатор", "Депутат", "Рішення"])
    for (name, voting_id), choice in zip(DEPUTIES, ["за", "за", "проти"], strict=True):
        writer.writerow([1, draft.title, voted.strftime("%d.%m.%Y %H:%M"), voting_id, name, choice])
    preview = _post(
        client,
        reverse("council_import:upload"),
        {
            "meeting": session.pk,
            "profile": "",
            "file": SimpleUploadedFile("golos.csv", rows.getvalue().encode()),
        },
        expect=200,
    )
    _post(
        client,
        reverse("council_import:confirm"),
        {
            "token": preview.context["confirm_form"]["token"].value(),
            "meeting": session.pk,
            "profile": "",
        },
    )
    event = VoteEvent.objects.get(meeting=session)
    assert (event.votes_for, event.votes_against, event.result) == (2, 1, VoteResult.ADOPTED)
    assert event.published_at is None

    # and published from the meeting's page, on the day of the vote
    _post(client, reverse("council_meetings:manage", args=[session.pk]), {"action": "publish"})
    event.refresh_from_db()
    assert event.published_at is not None and not event.published_late

    # Anyone finds the session's votes on its page and downloads them in the open format
    client.logout()
    page = client.get(session.get_absolute_url()).content.decode()
    motions_url = reverse(
        "council:opendata_meeting", kwargs={"pk": session.pk, "table": "motions", "fmt": "csv"}
    )
    votings_url = reverse(
        "council:opendata_meeting", kwargs={"pk": session.pk, "table": "votings", "fmt": "csv"}
    )
    assert f'href="{motions_url}"' in page and f'href="{votings_url}"' in page

    def table(url):
        response = client.get(url)
        assert response.status_code == 200
        return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    (motion,) = table(motions_url)
    assert motion["uid"] == str(event.uid)
    assert (motion["num"], motion["title"], motion["projectNum"]) == ("1", draft.title, "45")
    assert (motion["votingFor"], motion["votingAgainst"], motion["absent"]) == ("2", "1", "0")
    assert motion["votingResult"] == "Прийнято"
    assert motion["textUrl"].endswith(f"/acts/{draft.pk}/")
    votings = table(votings_url)
    assert [(v["voterId"], v["voterName"], v["result"]) for v in votings] == [
        ("D1", "Бондаренко Олена Петрівна", "За"),
        ("D2", "Гнатюк Ігор Васильович", "За"),
        ("D3", "Шевчук Тарас Миколайович", "Проти"),
    ]
    assert {v["motionUid"] for v in votings} == {str(event.uid)}


def session_start(session) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(session.date, dt.time()))
