"""Editorial work through the Wagtail admin, driven with the test client as the people who do
it: a unit editor writes and submits pages in their unit's part of the tree only, department
staff approve them from the dashboard, scheduled publication and expiry happen when the
worker's minute task runs, and the unit editors' groups follow units, people and pages in
whatever order they come to exist (the demo's order included)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from ratusha.core.roles import Role
from ratusha.core.tests.factories import EmployeeFactory, UnitFactory, UserFactory
from ratusha.portal.editorial import TASK_NAME, UNIT_GROUP_PREFIX, WORKFLOW_NAME
from ratusha.portal.models import HomePage, SectionPage, UnitPage
from ratusha.portal.tasks import publish_scheduled_pages

ADMIN_DATETIME = "%d.%m.%Y %H:%M"  # WAGTAIL_DATETIME_FORMAT


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture(autouse=True)
def _dummy_tasks(settings):
    """Tasks enqueued by the code under test are kept in memory (the worker is not running)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def site_tree(db, unit, other_unit):
    """Home → «Структурні підрозділи» → a page for ``unit`` and one for ``other_unit``."""
    home = _publish(Page.get_first_root_node(), HomePage(title="Головна", slug="holovna"))
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    units = _publish(home, SectionPage(title="Структурні підрозділи", slug="pidrozdily"))
    own = _publish(units, UnitPage(title=unit.name, slug="finvviddil", unit=unit))
    foreign = _publish(units, UnitPage(title=other_unit.name, slug="osvita", unit=other_unit))
    return {"home": home, "units": units, "own": own, "foreign": foreign}


def _section_form(title: str, slug: str, **extra) -> dict:
    """What the page editor posts for a section page."""
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "intro": "",
            "content": streamfield([("paragraph", rich_text(f"<p>{title}: текст.</p>"))]),
            "seo_title": "",
            "search_description": "",
            "public_info_topic": "",
            "go_live_at": "",
            "expire_at": "",
            "comments": inline_formset([]),
            **extra,
        }
    )


def _unit_form(title: str, page: UnitPage, **extra) -> dict:
    """What the page editor posts for a structural unit's page."""
    return nested_form_data(
        {
            "title": title,
            "slug": page.slug,
            "unit": page.unit_id,
            "content": streamfield([]),
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            "comments": inline_formset([]),
            **extra,
        }
    )


def _add_url(parent: Page) -> str:
    return reverse("wagtailadmin_pages:add", args=("portal", "sectionpage", parent.pk))


def _edit_url(page: Page) -> str:
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime(ADMIN_DATETIME)


def _submitted(client, parent: Page, title: str, slug: str, **extra) -> SectionPage:
    response = client.post(
        _add_url(parent), _section_form(title, slug, **{"action-submit": "1", **extra})
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return SectionPage.objects.get(slug=slug)


def _approve(client, page: Page):
    state = page.current_workflow_task_state
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", state.pk))
    )


# The workflow and the unit editors' part of the tree -----------------------------------------


def test_migrate_leaves_the_approval_workflow_on_the_whole_tree(db):
    root = Page.get_first_root_node()
    workflow = root.get_workflow()
    assert workflow is not None and workflow.name == WORKFLOW_NAME and workflow.active
    task = workflow.tasks.get().specific
    assert task.name == TASK_NAME
    assert set(task.groups.values_list("name", flat=True)) == {
        "Працівники відділу",
        "Затверджувачі",
        "Адміністратори",
    }


def test_unit_editor_creates_a_page_under_their_unit_page_and_submits_it(
    client, site_tree, unit_editor
):
    # Given a unit editor in the finance department
    client.force_login(unit_editor)
    # When they write a page under their unit's page and submit it for moderation
    assert client.get(_add_url(site_tree["own"])).status_code == 200
    page = _submitted(client, site_tree["own"], "Бюджетні запити", "biudzhetni-zapyty")
    # Then it waits for approval as a draft, in the department's task
    assert not page.live and page.get_parent().pk == site_tree["own"].pk
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == TASK_NAME
    assert state.requested_by == unit_editor


def test_unit_editor_edits_their_unit_page_as_a_draft(client, site_tree, unit_editor):
    client.force_login(unit_editor)
    own = site_tree["own"]
    assert client.get(_edit_url(own)).status_code == 200
    response = client.post(_edit_url(own), _unit_form("Фінвідділ: нова назва", own))
    assert response.status_code == 302, response.content.decode()[:2000]
    own.refresh_from_db()
    assert own.title == site_tree["own"].title  # the live page is unchanged…
    assert own.has_unpublished_changes  # …the change waits as a draft
    assert own.get_latest_revision().content["title"] == "Фінвідділ: нова назва"


def test_unit_editor_cannot_publish(client, site_tree, unit_editor):
    client.force_login(unit_editor)
    response = client.post(
        _add_url(site_tree["own"]),
        _section_form("Спроба опублікувати", "sproba", **{"action-publish": "1"}),
    )
    assert response.status_code == 302
    page = SectionPage.objects.get(slug="sproba")
    assert not page.live  # kept as a draft
    assert not page.permissions_for_user(unit_editor).can_publish()
    assert not site_tree["own"].permissions_for_user(unit_editor).can_publish_subpage()


def test_unit_editor_cannot_touch_another_units_page(client, site_tree, unit_editor):
    client.force_login(unit_editor)
    foreign = site_tree["foreign"]
    assert client.get(_edit_url(foreign)).status_code == 302  # refused, back to the dashboard
    client.post(_edit_url(foreign), _unit_form("Чуже", foreign))
    foreign.refresh_from_db()
    assert foreign.title == "Відділ освіти" and not foreign.has_unpublished_changes
    response = client.post(_add_url(foreign), _section_form("Чужа сторінка", "chuzha"))
    assert response.status_code == 302
    assert not SectionPage.objects.filter(slug="chuzha").exists()


def test_unit_editor_cannot_edit_a_section_page_or_add_to_it(client, site_tree, unit_editor):
    client.force_login(unit_editor)
    section = site_tree["units"]
    assert client.get(_edit_url(section)).status_code == 302
    client.post(_edit_url(section), _section_form("Змінено", section.slug))
    section.refresh_from_db()
    assert section.title == "Структурні підрозділи" and not section.has_unpublished_changes
    client.post(_add_url(section), _section_form("Новий розділ", "novyi"))
    assert not SectionPage.objects.filter(slug="novyi").exists()
    assert not site_tree["home"].permissions_for_user(unit_editor).can_edit()


def test_staff_see_the_submitted_page_and_approve_it_live(
    client, site_tree, unit_editor, department_staff
):
    # Given a page a unit editor submitted
    client.force_login(unit_editor)
    page = _submitted(client, site_tree["own"], "Звіт про виконання бюджету", "zvit")
    # When department staff open the dashboard, the page waits for their review
    client.force_login(department_staff)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Звіт про виконання бюджету" in dashboard
    # and they approve it
    response = _approve(client, page)
    assert response.status_code == 302
    # Then it is live, on the site, and the workflow is done
    page.refresh_from_db()
    assert page.live and page.first_published_at is not None
    assert WorkflowState.objects.get(object_id=str(page.pk)).status == "approved"
    client.logout()
    assert client.get(page.url).status_code == 200


def test_an_approver_may_approve_but_a_unit_editor_may_not(
    client, site_tree, unit_editor, approver, unit
):
    client.force_login(unit_editor)
    page = _submitted(client, site_tree["own"], "Тарифи", "taryfy")
    colleague = UserFactory(username="colleague", roles=[Role.UNIT_EDITOR])
    EmployeeFactory(unit=unit, user=colleague)
    client.force_login(colleague)
    _approve(client, page)
    page.refresh_from_db()
    assert not page.live  # a unit editor cannot approve, not even a colleague's page
    client.force_login(approver)
    _approve(client, page)
    page.refresh_from_db()
    assert page.live


# Scheduled publication and expiry: the worker's minute task ----------------------------------


def test_a_page_approved_with_a_go_live_time_goes_live_when_the_task_runs(
    client, site_tree, unit_editor, department_staff
):
    go_live = (timezone.now() + dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    client.force_login(unit_editor)
    page = _submitted(
        client, site_tree["own"], "Прийом громадян", "pryiom", go_live_at=_local(go_live)
    )
    client.force_login(department_staff)
    _approve(client, page)
    page.refresh_from_db()
    # Approved, but scheduled: not live before its time
    assert not page.live
    revision = page.get_latest_revision()
    assert revision.approved_go_live_at == go_live
    assert "No objects to go live" not in publish_scheduled_pages.call()
    page.refresh_from_db()
    assert not page.live
    # When the task runs after the time has come, the page goes live
    with mock.patch("django.utils.timezone.now", return_value=go_live + dt.timedelta(seconds=5)):
        publish_scheduled_pages.call()
    page.refresh_from_db()
    assert page.live and page.go_live_at == go_live


def test_staff_schedule_a_page_which_goes_live_when_the_task_runs(
    client, site_tree, department_staff
):
    go_live = (timezone.now() + dt.timedelta(days=1)).replace(second=0, microsecond=0)
    client.force_login(department_staff)
    response = client.post(
        _add_url(site_tree["units"]),
        _section_form(
            "Графік відключень", "hrafik", go_live_at=_local(go_live), **{"action-publish": "1"}
        ),
    )
    assert response.status_code == 302
    page = SectionPage.objects.get(slug="hrafik")
    assert not page.live
    with mock.patch("django.utils.timezone.now", return_value=go_live - dt.timedelta(minutes=1)):
        publish_scheduled_pages.call()
    page.refresh_from_db()
    assert not page.live
    with mock.patch("django.utils.timezone.now", return_value=go_live + dt.timedelta(minutes=1)):
        publish_scheduled_pages.call()
    page.refresh_from_db()
    assert page.live


def test_an_expired_page_is_unpublished_when_the_task_runs(client, site_tree, department_staff):
    # Given a live page published with an expiry time
    expire = (timezone.now() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    client.force_login(department_staff)
    client.post(
        _add_url(site_tree["units"]),
        _section_form("Оголошення про конкурс", "konkurs", expire_at=_local(expire))
        | {"action-publish": "1"},
    )
    page = SectionPage.objects.get(slug="konkurs")
    assert page.live and page.expire_at == expire
    # When the task runs before the expiry nothing changes; after it, the page is unpublished
    publish_scheduled_pages.call()
    page.refresh_from_db()
    assert page.live
    with mock.patch("django.utils.timezone.now", return_value=expire + dt.timedelta(minutes=1)):
        publish_scheduled_pages.call()
    page.refresh_from_db()
    assert not page.live and page.expired
    client.logout()
    assert client.get("/pidrozdily/konkurs/").status_code == 404


# The unit editors' groups ---------------------------------------------------------------------


def _group_of(page: Page) -> Group:
    groups = Group.objects.filter(name__startswith=UNIT_GROUP_PREFIX, page_permissions__page=page)
    return groups.distinct().get()


def test_a_unit_page_created_after_its_editors_gets_their_group(site_tree, db):
    # Given a unit whose editor (login, group, employee) exists before any page of it — the
    # order of the demo
    unit = UnitFactory(name="Архівний відділ", short_name="Архів")
    editor = UserFactory(username="arkhiv", roles=[Role.UNIT_EDITOR])
    EmployeeFactory(unit=unit, user=editor)
    # When the unit's page is created afterwards
    page = _publish(site_tree["units"], UnitPage(title=unit.name, slug="arkhiv", unit=unit))
    # Then the page has its group with the editor in it, and the editor may edit the page
    group = _group_of(page)
    assert group.name == f"{UNIT_GROUP_PREFIX}Архів"
    assert list(group.user_set.all()) == [editor]
    assert page.permissions_for_user(editor).can_edit()
    assert page.permissions_for_user(editor).can_add_subpage()


def test_a_unit_page_created_in_the_admin_gets_its_group(client, site_tree, department_staff):
    unit = UnitFactory(name="Юридичний відділ", short_name="Юрвідділ")
    editor = UserFactory(username="yurist", roles=[Role.UNIT_EDITOR])
    EmployeeFactory(unit=unit, user=editor)
    client.force_login(department_staff)
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("portal", "unitpage", site_tree["units"].pk)),
        _unit_form(unit.name, UnitPage(slug="yurviddil", unit=unit), **{"action-publish": "1"}),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = UnitPage.objects.get(slug="yurviddil")
    assert list(_group_of(page).user_set.all()) == [editor]
    assert page.permissions_for_user(editor).can_edit()


def test_groups_follow_a_renamed_unit_a_moved_employee_and_a_deleted_page(
    site_tree, unit, other_unit, unit_editor, django_capture_on_commit_callbacks
):
    own, foreign = site_tree["own"], site_tree["foreign"]
    assert list(_group_of(own).user_set.all()) == [unit_editor]
    # a unit renamed: its group too
    unit.short_name = "Фінуправління"
    unit.save()
    assert _group_of(own).name == f"{UNIT_GROUP_PREFIX}Фінуправління"
    # the editor moves to another unit: they leave one group and join the other
    employee = unit_editor.employee
    employee.unit = other_unit
    employee.save()
    assert not _group_of(own).user_set.exists()
    assert list(_group_of(foreign).user_set.all()) == [unit_editor]
    # a unit page deleted: its group goes after the commit
    group_pk = _group_of(foreign).pk
    with django_capture_on_commit_callbacks(execute=True):
        foreign.delete()
    assert not Group.objects.filter(pk=group_pk).exists()


def test_only_unit_editors_join_the_group(site_tree, unit):
    clerk = UserFactory(username="clerk", roles=[])
    EmployeeFactory(unit=unit, user=clerk)
    assert not _group_of(site_tree["own"]).user_set.filter(pk=clerk.pk).exists()
    clerk.groups.add(Group.objects.get(name="Редактори підрозділів"))
    assert _group_of(site_tree["own"]).user_set.filter(pk=clerk.pk).exists()


def test_sync_unit_editors_command_repairs_emptied_groups(site_tree, unit_editor, capsys):
    group = _group_of(site_tree["own"])
    group.user_set.clear()
    group.page_permissions.all().delete()
    call_command("sync_unit_editors")
    group = _group_of(site_tree["own"])
    assert list(group.user_set.all()) == [unit_editor]
    assert set(group.page_permissions.values_list("permission__codename", flat=True)) == {
        "add_page",
        "change_page",
    }
    out = capsys.readouterr().out
    assert WORKFLOW_NAME in out and "editor" in out


def test_demo_editor_may_edit_the_finance_department_page_only(client, db):
    # The audit found the demo's unit groups empty: the demo makes units, staff and logins
    # first and the unit pages afterwards.
    call_command("demo_hromada", scale="small", seed=7, today="2026-11-21")
    editor = Group.objects.get(name="Редактори підрозділів").user_set.get(username="editor")
    finance = UnitPage.objects.get(unit__short_name="Фінвідділ")
    education = UnitPage.objects.get(unit__short_name="Відділ освіти")
    assert finance.permissions_for_user(editor).can_edit()
    assert not finance.permissions_for_user(editor).can_publish()
    client.force_login(editor)
    assert client.get(_edit_url(finance)).status_code == 200
    assert client.get(_edit_url(education)).status_code == 302
