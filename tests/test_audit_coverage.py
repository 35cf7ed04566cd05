"""Evidence (issue 8, point 5): every change of every public record leaves an audit entry.

One case per (record type, action): acts, council records (convocations, people, deputies'
mandates, bodies, memberships, meetings, agenda items, votes), open data (datasets,
resources), Wagtail pages (create, edit, publish, unpublish, move, delete) and the documents
and images uploaded for them. Each case does the change the way the system does it (the
service, or Wagtail's own page actions) and asserts one new entry naming the record, the action
and the actor — so removing a service's ``audit_record`` or the Wagtail receivers of
``core.wagtail_audit`` fails here. A final test checks that no public record has an admin
delete door that bypasses its audited service.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import LogContext
from wagtail.models import Page, Site

from ratusha.acts import services as acts
from ratusha.acts.models import ActKind
from ratusha.core.choices import AuditAction
from ratusha.core.models import AuditEntry
from ratusha.council import services as council
from ratusha.council.choices import MeetingKind, OrganizationKind
from ratusha.council.services.votes import MotionInput
from ratusha.opendata import services as opendata
from ratusha.opendata.files import inspect_upload
from ratusha.portal.models import HomePage, NewsIndexPage, NewsPage, SectionPage
from ratusha.security.tests.test_uploads import real_pdf


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OPENDATA_REGENERATE_DELAY = 0


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


class World:
    """The records the cases change, made through the services by ``actor``."""

    def __init__(self, actor, unit):
        self.actor = actor
        self.unit = unit

    # acts -----------------------------------------------------------------------------------
    def act(self, *, published=False):
        act = acts.act_register(
            actor=self.actor,
            data={
                "kind": ActKind.objects.get(code="draft-council-decision"),
                "date": timezone.localdate() - dt.timedelta(days=3),
                "title": "Про затвердження програми благоустрою",
                "text": "Текст проєкту рішення.",
                "unit": self.unit,
            },
        )
        if published:
            acts.act_publish(actor=self.actor, act=act)
        return act

    # council --------------------------------------------------------------------------------
    def convocation(self):
        return council.convocation_create(
            actor=self.actor,
            data={"number": 8, "start_date": dt.date(2020, 11, 20), "composition": 3},
        )

    def person(self, name="Бондаренко Олена Петрівна"):
        return council.person_create(actor=self.actor, data={"full_name": name})

    def deputies(self, convocation):
        return [
            council.deputy_create(
                actor=self.actor,
                data={
                    "person": self.person(name),
                    "convocation": convocation,
                    "district": f"Округ № {index}",
                    "voting_identifier": f"D0{index}",
                    "start_date": convocation.start_date,
                },
            )
            for index, name in enumerate(
                ["Бондаренко Олена", "Гнатюк Ігор", "Мельник Андрій"], start=1
            )
        ]

    def body(self, convocation):
        return council.organization_create(
            actor=self.actor,
            data={
                "kind": OrganizationKind.COMMISSION,
                "convocation": convocation,
                "name": "Постійна комісія з питань бюджету",
            },
        )

    def meeting(self, convocation, days=-1):
        return council.meeting_create(
            actor=self.actor,
            data={
                "kind": MeetingKind.SESSION,
                "convocation": convocation,
                "number": 6,
                "date": timezone.localdate() + dt.timedelta(days=days),
                "start_time": dt.time(10, 0),
                "place": "Сесійна зала",
            },
        )

    def vote(self, *, published=False):
        convocation = self.convocation()
        deputies = self.deputies(convocation)
        meeting = self.meeting(convocation)
        (event,) = council.vote_events_record(
            actor=self.actor,
            meeting=meeting,
            motions=[
                MotionInput(
                    number=1,
                    title="Про затвердження порядку денного",
                    voted_at=timezone.now() - dt.timedelta(hours=1),
                    choices={d.person_id: "for" for d in deputies},
                )
            ],
            publish=published,
        )
        return event, deputies

    # open data ------------------------------------------------------------------------------
    def dataset(self, *, published=True):
        return opendata.dataset_create(
            actor=self.actor,
            data={
                "title": "Перелік закладів освіти",
                "description": "Заклади загальної середньої освіти громади.",
                "update_frequency": "monthly",
                "maintainer_name": "Петренко Ольга Іванівна",
                "maintainer_email": "osvita@example.org",
                "purpose": "Оприлюднення переліку закладів освіти",
                "holder": self.unit,
                "identifier": "zaklady-osvity",
            },
            publish=published,
        )

    def resource(self):
        return opendata.resource_upload(
            actor=self.actor,
            dataset=self.dataset(),
            inspected=inspect_upload("schools.csv", b"name,pupils\nliceum,512\n"),
            title="Заклади освіти",
        )

    # Wagtail --------------------------------------------------------------------------------
    def home(self):
        home = Page.get_first_root_node().add_child(instance=HomePage(title="Головна", slug="h"))
        home.save_revision(user=self.actor).publish(user=self.actor)
        site = Site.objects.get(is_default_site=True)
        site.root_page = home
        site.save()
        return home

    def page(self, *, parent=None, published=True):
        parent = parent or self.home()
        page = parent.add_child(instance=SectionPage(title="Бюджет", slug="biudzhet"))
        revision = page.save_revision(user=self.actor, log_action=True)
        if published:
            revision.publish(user=self.actor)
        page.refresh_from_db()
        return page

    def document(self):
        return get_document_model().objects.create(
            title="Бюджет на 2026 рік",
            file=ContentFile(b"%PDF-1.4 budget", name="biudzhet.pdf"),
            uploaded_by_user=self.actor,
        )

    def image(self):
        return get_image_model().objects.create(
            title="Сесія",
            file=ImageFile(io.BytesIO(_png()), name="sesiia.png"),
            uploaded_by_user=self.actor,
        )


# Each case: (record type, action it must log, change(world) → the record changed).


def _act_create(w):
    return w.act()


def _act_update(w):
    act = w.act()
    return acts.act_update(actor=w.actor, act=act, data={"title": "Про зміни до програми"})


def _act_publish(w):
    return acts.act_publish(actor=w.actor, act=w.act())


def _act_correct(w):
    act = w.act(published=True)
    acts.act_correct(actor=w.actor, act=act, reason="описка", text="Виправлений текст.")
    return act


def _act_withdraw(w):
    act = w.act(published=True)
    acts.act_withdraw(actor=w.actor, act=act, reason="помилково оприлюднено")
    return act


def _convocation_update(w):
    c = w.convocation()
    return council.convocation_update(actor=w.actor, convocation=c, data={"composition": 26})


def _person_update(w):
    p = w.person()
    return council.person_update(actor=w.actor, person=p, data={"phone": "(0352) 1-23-45"})


def _deputy_create(w):
    return w.deputies(w.convocation())[0]


def _deputy_update(w):
    deputy = w.deputies(w.convocation())[0]
    return council.deputy_update(actor=w.actor, deputy=deputy, data={"district": "Округ № 9"})


def _body_create(w):
    return w.body(w.convocation())


def _body_update(w):
    body = w.body(w.convocation())
    return council.organization_update(
        actor=w.actor, organization=body, data={"name": "Комісія з питань бюджету і фінансів"}
    )


def _membership(w):
    convocation = w.convocation()
    deputy = w.deputies(convocation)[0]
    return council.membership_create(
        actor=w.actor,
        data={
            "person": deputy.person,
            "organization": w.body(convocation),
            "role": "member",
            "start_date": convocation.start_date,
        },
    )


def _membership_update(w):
    membership = _membership(w)
    return council.membership_update(actor=w.actor, membership=membership, data={"role": "chair"})


def _membership_delete(w):
    membership = _membership(w)
    pk = membership.pk
    council.membership_delete(actor=w.actor, membership=membership)
    membership.pk = pk
    return membership


def _meeting_create(w):
    return w.meeting(w.convocation())


def _meeting_update(w):
    meeting = w.meeting(w.convocation())
    return council.meeting_update(actor=w.actor, meeting=meeting, data={"place": "Мала зала"})


def _item(w, meeting=None):
    meeting = meeting or w.meeting(w.convocation(), days=7)
    draft = w.act()
    return council.agenda_item_create(
        actor=w.actor, data={"meeting": meeting, "title": draft.title, "draft": draft}
    )


def _item_update(w):
    item = _item(w)
    return council.agenda_item_update(
        actor=w.actor, item=item, data={"title": "Про програму благоустрою на 2026 рік"}
    )


def _item_delete(w):
    item = _item(w)
    pk = item.pk
    council.agenda_item_delete(actor=w.actor, item=item)
    item.pk = pk
    return item


def _agenda_approve(w):
    meeting = w.meeting(w.convocation(), days=7)
    _item(w, meeting)
    return council.agenda_approve(actor=w.actor, meeting=meeting)


def _vote_record(w):
    return w.vote()[0]


def _vote_publish(w):
    event, _deputies = w.vote()
    council.vote_events_publish(actor=w.actor, meeting=event.meeting, events=[event])
    return event


def _vote_correct(w):
    event, deputies = w.vote(published=True)
    return council.vote_event_correct(
        actor=w.actor,
        event=event,
        choices={deputies[0].person_id: "against"},
        reason="збій пульта",
    )


def _vote_delete(w):
    event, _deputies = w.vote()
    pk = event.pk
    council.vote_event_delete(actor=w.actor, event=event)
    event.pk = pk
    return event


def _dataset_create(w):
    return w.dataset(published=False)


def _dataset_update(w):
    dataset = w.dataset()
    return opendata.dataset_update(
        actor=w.actor, dataset=dataset, data={"title": "Заклади освіти громади"}
    )


def _dataset_publish(w):
    return opendata.dataset_publish(actor=w.actor, dataset=w.dataset(published=False))


def _dataset_withdraw(w):
    return opendata.dataset_withdraw(actor=w.actor, dataset=w.dataset(), reason="застарілі дані")


def _resource_upload(w):
    return w.resource()


def _resource_replace(w):
    resource = w.resource()
    opendata.resource_replace(
        actor=w.actor,
        resource=resource,
        inspected=inspect_upload("schools.csv", b"name,pupils\nliceum,515\n"),
    )
    return resource


def _resource_update(w):
    resource = w.resource()
    return opendata.resource_update(
        actor=w.actor, resource=resource, data={"description": "Станом на 1 вересня."}
    )


def _page_create(w):
    home = w.home()
    with LogContext(user=w.actor):  # as in every admin view
        return home.add_child(instance=SectionPage(title="Бюджет", slug="biudzhet"))


def _page_edit(w):
    page = w.page()
    page.title = "Бюджет громади"
    page.save_revision(user=w.actor, log_action=True)
    return page


def _page_publish(w):
    page = w.page(published=False)
    page.get_latest_revision().publish(user=w.actor)
    return page


def _page_unpublish(w):
    page = w.page()
    page.unpublish(user=w.actor)
    return page


def _page_move(w):
    home = w.home()
    page = w.page(parent=home)
    finance = home.add_child(instance=SectionPage(title="Фінанси", slug="finansy"))
    page.move(finance, pos="last-child", user=w.actor)
    return page


def _page_delete(w):
    page = w.page()
    pk = page.pk
    page.delete(user=w.actor)
    page.pk = pk
    return page


def _news_publish(w):
    home = w.home()
    news = home.add_child(instance=NewsIndexPage(title="Новини", slug="novyny"))
    item = news.add_child(
        instance=NewsPage(title="Сесія ради", slug="sesiia", date=timezone.localdate())
    )
    item.save_revision(user=w.actor).publish(user=w.actor)
    return item


def _document_upload(w):
    return w.document()


def _document_edit(w):
    document = w.document()
    with LogContext(user=w.actor):  # as in every admin view
        document.title = "Бюджет на 2026 рік (зі змінами)"
        document.save()
    return document


def _document_delete(w):
    document = w.document()
    pk = document.pk
    with LogContext(user=w.actor):
        document.delete()
    document.pk = pk
    return document


def _image_upload(w):
    return w.image()


def _image_edit(w):
    image = w.image()
    with LogContext(user=w.actor):  # as in every admin view
        image.title = "Сесія ради"
        image.save()
    return image


def _image_delete(w):
    image = w.image()
    pk = image.pk
    with LogContext(user=w.actor):
        image.delete()
    image.pk = pk
    return image


CASES = [
    ("act", AuditAction.CREATE, _act_create),
    ("act", AuditAction.UPDATE, _act_update),
    ("act", AuditAction.PUBLISH, _act_publish),
    ("act", AuditAction.UPDATE, _act_correct),
    ("act", AuditAction.WITHDRAW, _act_withdraw),
    ("convocation", AuditAction.UPDATE, _convocation_update),
    ("person", AuditAction.CREATE, lambda w: w.person()),
    ("person", AuditAction.UPDATE, _person_update),
    ("deputy", AuditAction.CREATE, _deputy_create),
    ("deputy", AuditAction.UPDATE, _deputy_update),
    ("body", AuditAction.CREATE, _body_create),
    ("body", AuditAction.UPDATE, _body_update),
    ("membership", AuditAction.CREATE, _membership),
    ("membership", AuditAction.UPDATE, _membership_update),
    ("membership", AuditAction.DELETE, _membership_delete),
    ("meeting", AuditAction.CREATE, _meeting_create),
    ("meeting", AuditAction.UPDATE, _meeting_update),
    ("meeting", AuditAction.UPDATE, _agenda_approve),
    ("agenda item", AuditAction.CREATE, _item),
    ("agenda item", AuditAction.UPDATE, _item_update),
    ("agenda item", AuditAction.DELETE, _item_delete),
    ("vote", AuditAction.CREATE, _vote_record),
    ("vote", AuditAction.PUBLISH, _vote_publish),
    ("vote", AuditAction.UPDATE, _vote_correct),
    ("vote", AuditAction.DELETE, _vote_delete),
    ("dataset", AuditAction.CREATE, _dataset_create),
    ("dataset", AuditAction.UPDATE, _dataset_update),
    ("dataset", AuditAction.PUBLISH, _dataset_publish),
    ("dataset", AuditAction.WITHDRAW, _dataset_withdraw),
    ("resource", AuditAction.CREATE, _resource_upload),
    ("resource", AuditAction.UPDATE, _resource_replace),
    ("resource", AuditAction.UPDATE, _resource_update),
    ("page", AuditAction.CREATE, _page_create),
    ("page", AuditAction.UPDATE, _page_edit),
    ("page", AuditAction.PUBLISH, _page_publish),
    ("page", AuditAction.UNPUBLISH, _page_unpublish),
    ("page", AuditAction.MOVE, _page_move),
    ("page", AuditAction.DELETE, _page_delete),
    ("news item", AuditAction.PUBLISH, _news_publish),
    ("document", AuditAction.CREATE, _document_upload),
    ("document", AuditAction.UPDATE, _document_edit),
    ("document", AuditAction.DELETE, _document_delete),
    ("image", AuditAction.CREATE, _image_upload),
    ("image", AuditAction.UPDATE, _image_edit),
    ("image", AuditAction.DELETE, _image_delete),
]


def _entries(record, action):
    content_type = ContentType.objects.get_for_model(record, for_concrete_model=False)
    return AuditEntry.objects.filter(
        content_type=content_type, object_id=str(record.pk), action=action
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "action", "change"),
    CASES,
    ids=[f"{kind}-{change.__name__.strip('_')}" for kind, _action, change in CASES],
)
def test_every_change_of_a_public_record_is_audited(
    kind, action, change, administrator, unit, django_capture_on_commit_callbacks
):
    world = World(administrator, unit)
    latest_before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with django_capture_on_commit_callbacks(execute=True):
        record = change(world)
    entries = _entries(record, action).filter(id__gt=latest_before)
    assert entries.exists(), f"no «{action}» audit entry for the {kind} {record!r}"
    entry = entries.order_by("-id").first()
    assert entry.actor == administrator
    assert entry.object_repr


@pytest.mark.django_db
def test_page_publish_by_the_worker_is_audited_as_the_system(administrator, unit):
    """Scheduled publishing (``publish_scheduled``, run by the worker) is audited without a
    user: the entry says «система»."""
    from django.core.management import call_command

    world = World(administrator, unit)
    page = world.page(published=False)
    revision = page.get_latest_revision()
    revision.approved_go_live_at = timezone.now() - dt.timedelta(minutes=1)
    revision.save()
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    entry = _entries(page, AuditAction.PUBLISH).get()
    assert entry.actor is None and entry.actor_repr == "система"


@pytest.mark.django_db
def test_page_audit_entries_record_what_changed(administrator, unit):
    world = World(administrator, unit)
    home = world.home()
    page = world.page(parent=home)
    finance = home.add_child(instance=SectionPage(title="Фінанси", slug="finansy"))
    page.move(finance, pos="last-child", user=administrator)
    moved = _entries(page, AuditAction.MOVE).get()
    assert moved.changes["parent"] == [home.pk, finance.pk]
    published = _entries(page, AuditAction.PUBLISH).get()
    assert published.changes["revision"][1] == page.live_revision_id


@pytest.mark.django_db
def test_admin_upload_of_a_document_is_audited_with_the_editor(client, administrator):
    """Wagtail's multiple-upload view writes no log entry of its own: the audit log still has
    the upload, with the editor who made it."""
    client.force_login(administrator)
    response = client.post(
        "/admin/documents/multiple/add/",
        {"files[]": ContentFile(real_pdf(), name="protokol.pdf")},
    )
    assert response.status_code == 200, response.content[:500]
    document = get_document_model().objects.get()
    entry = _entries(document, AuditAction.CREATE).get()
    assert entry.actor == administrator


def test_no_public_record_has_an_unaudited_admin_delete():
    """A Wagtail admin viewset of a public record either has no delete view or deletes through
    its audited service (``ServiceModelViewSet.delete_service``)."""
    from wagtail import hooks
    from wagtail.admin.viewsets.model import ModelViewSet

    from ratusha.core.admin_views import ServiceModelViewSet

    public_apps = {"acts", "council", "opendata"}
    checked = 0
    for hook in hooks.get_hooks("register_admin_viewset"):
        viewsets = hook()
        if not isinstance(viewsets, list | tuple):
            viewsets = [viewsets]
        for viewset in viewsets:
            found = getattr(viewset, "registerables", None) or [viewset]
            for item in found:
                if not isinstance(item, ModelViewSet):
                    continue
                if item.model._meta.app_label not in public_apps:
                    continue
                checked += 1
                if not getattr(item, "delete_view_enabled", True):
                    continue
                assert isinstance(item, ServiceModelViewSet), item
                assert item.delete_service is not None, item
    assert checked >= 5
