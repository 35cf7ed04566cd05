"""The life of an act through services: draft → published for review → adopted → published →
corrected → amended/cancelled/withdrawn, with deadlines and the audit log."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from ratusha.acts import services
from ratusha.acts.choices import ActStatus, ConsiderationResult
from ratusha.acts.models import Act, ActVersion
from ratusha.core.choices import AuditAction
from ratusha.core.models import AuditEntry
from ratusha.core.permissions import RecordPermissionDenied

pytestmark = pytest.mark.django_db
KYIV = ZoneInfo("Europe/Kyiv")


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=KYIV)


def test_draft_gets_deadline_10_working_days_before_consideration(draft_data, unit_editor):
    # Given a draft to be considered on Thursday 20.03.2025
    draft = services.act_register(actor=unit_editor, data=draft_data)
    # Then it must be on the site by 06.03.2025 (10 working days before)
    assert draft.publication_due == dt.date(2025, 3, 6)
    assert draft.status == ActStatus.REGISTERED
    assert draft.versions.get().number == 1


def test_draft_published_late_is_flagged(draft_data, unit_editor):
    draft = services.act_register(actor=unit_editor, data=draft_data)
    # When it goes up on 10.03.2025, after its deadline of 06.03.2025
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=at(dt.date(2025, 3, 10))):
        services.act_publish(actor=unit_editor, act=draft)
    draft.refresh_from_db()
    # Then it is published, and flagged late
    assert draft.status == ActStatus.PUBLISHED
    assert draft.published_late is True


def test_draft_published_on_time_is_not_flagged(draft_data, unit_editor):
    from unittest import mock

    draft = services.act_register(actor=unit_editor, data=draft_data)
    with mock.patch("django.utils.timezone.now", return_value=at(dt.date(2025, 3, 6), 17)):
        services.act_publish(actor=unit_editor, act=draft)
    draft.refresh_from_db()
    assert draft.published_late is False


def test_draft_without_consideration_date_publishes_without_deadline(draft_data, unit_editor):
    draft = services.act_register(
        actor=unit_editor, data={**draft_data, "consideration_date": None}
    )
    assert draft.publication_due is None
    services.act_publish(actor=unit_editor, act=draft)
    draft.refresh_from_db()
    assert draft.published_at is not None and draft.published_late is False


def test_adoption_registers_the_decision_linked_to_the_draft(draft_data, unit_editor, kinds):
    draft = services.act_register(actor=unit_editor, data=draft_data)
    services.act_publish(actor=unit_editor, act=draft)
    # When the council adopts it as № 245-VIII on 20.03.2025
    decision = services.draft_consider(
        actor=unit_editor,
        draft=draft,
        result=ConsiderationResult.ADOPTED,
        adopted={"number": "№ 245-VIII", "date": dt.date(2025, 3, 20)},
    )
    draft.refresh_from_db()
    # Then the decision exists, with the adopted kind and a 5-working-day deadline
    assert decision.kind == kinds["council-decision"]
    assert decision.number == "245-VIII"
    assert decision.number_key == "245-VIII"
    assert decision.publication_due == dt.date(2025, 3, 27)
    assert draft.status == ActStatus.ADOPTED
    assert draft.adopted_as == decision
    assert decision.text == draft.text


def test_rejected_and_returned_drafts(draft_data, unit_editor):
    draft = services.act_register(actor=unit_editor, data=draft_data)
    services.draft_consider(
        actor=unit_editor,
        draft=draft,
        result=ConsiderationResult.RETURNED,
        reason="на доопрацювання",
    )
    draft.refresh_from_db()
    assert draft.status == ActStatus.RETURNED
    services.draft_consider(actor=unit_editor, draft=draft, result=ConsiderationResult.REJECTED)
    draft.refresh_from_db()
    assert draft.status == ActStatus.REJECTED
    with pytest.raises(ValidationError):
        services.draft_consider(actor=unit_editor, draft=draft, result=ConsiderationResult.ADOPTED)


def test_correction_is_a_new_version_and_the_old_one_stays(kinds, unit, unit_editor):
    decision = services.act_register(
        actor=unit_editor,
        data={
            "kind": kinds["council-decision"],
            "number": "12-VIII",
            "date": dt.date(2024, 5, 8),
            "title": "Про бюджет громади",
            "unit": unit,
            "text": "Перша редакція.",
        },
    )
    services.act_publish(actor=unit_editor, act=decision)
    # When a typo is corrected
    version = services.act_correct(
        actor=unit_editor,
        act=decision,
        text="Друга редакція.",
        reason="виправлено технічну помилку",
    )
    decision.refresh_from_db()
    # Then the act shows the new text, both versions are kept, the update date is set
    assert version.number == 2
    assert decision.text == "Друга редакція."
    assert list(decision.versions.order_by("number").values_list("text", flat=True)) == [
        "Перша редакція.",
        "Друга редакція.",
    ]
    assert decision.updated_at_public >= decision.published_at
    assert version.published_at is not None


def test_published_act_text_cannot_be_overwritten(kinds, unit, unit_editor):
    decision = services.act_register(
        actor=unit_editor,
        data={
            "kind": kinds["head-order"],
            "number": "45-од",
            "date": dt.date(2024, 1, 10),
            "title": "Про відпустку",
            "unit": unit,
        },
    )
    services.act_publish(actor=unit_editor, act=decision)
    with pytest.raises(ValidationError):
        services.act_update(actor=unit_editor, act=decision, data={"title": "Інше"})
    # card fields may still change
    services.act_update(actor=unit_editor, act=decision, data={"is_regulatory": True})
    assert Act.objects.get(pk=decision.pk).title == "Про відпустку"


def test_correction_needs_a_reason(kinds, unit, unit_editor):
    act = services.act_register(
        actor=unit_editor,
        data={
            "kind": kinds["head-order"],
            "number": "1",
            "date": dt.date(2024, 1, 10),
            "title": "Про щось",
            "unit": unit,
        },
    )
    with pytest.raises(ValidationError):
        services.act_correct(actor=unit_editor, act=act, text="x", reason=" ")
    assert ActVersion.objects.filter(act=act).count() == 1


def test_amend_and_cancel_change_the_targets_status(kinds, unit, department_staff):
    def decision(number, title):
        return services.act_register(
            actor=department_staff,
            data={
                "kind": kinds["council-decision"],
                "number": number,
                "date": dt.date(2024, 6, 1),
                "title": title,
                "unit": unit,
            },
        )

    old, older, new = (
        decision("1-VIII", "Про програму"),
        decision("2-VIII", "Про план"),
        decision("3-VIII", "Про зміни"),
    )
    services.act_link(actor=department_staff, act=new, amends=[old], cancels=[older])
    old.refresh_from_db()
    older.refresh_from_db()
    assert old.status == ActStatus.AMENDED
    assert older.status == ActStatus.CANCELLED
    assert list(old.amended_by.all()) == [new]
    assert list(older.cancelled_by.all()) == [new]


def test_withdrawal_keeps_the_record_with_the_reason(kinds, unit, department_staff):
    act = services.act_register(
        actor=department_staff,
        data={
            "kind": kinds["head-order"],
            "number": "7-р",
            "date": dt.date(2024, 2, 1),
            "title": "Про нараду",
            "unit": unit,
        },
    )
    services.act_publish(actor=department_staff, act=act)
    with pytest.raises(ValidationError):
        services.act_withdraw(actor=department_staff, act=act, reason="")
    services.act_withdraw(actor=department_staff, act=act, reason="оприлюднено помилково")
    act.refresh_from_db()
    assert act.status == ActStatus.WITHDRAWN
    assert act.status_reason == "оприлюднено помилково"
    assert act.published_at is not None
    assert AuditEntry.objects.filter(action=AuditAction.WITHDRAW, object_id=str(act.pk)).exists()


def test_duplicate_number_in_kind_and_year_is_refused(kinds, unit, department_staff):
    data = {
        "kind": kinds["council-decision"],
        "number": "№ 245-VIII",
        "date": dt.date(2021, 3, 12),
        "title": "Про перше",
        "unit": unit,
    }
    services.act_register(actor=department_staff, data=data)
    with pytest.raises(ValidationError) as refusal:
        services.act_register(
            actor=department_staff, data={**data, "number": "245-viii", "title": "Про друге"}
        )
    assert "245-viii" in str(refusal.value) or "245-VIII" in str(refusal.value)
    # the same number next year, or of another kind, is fine
    services.act_register(
        actor=department_staff, data={**data, "date": dt.date(2022, 1, 5), "title": "Про третє"}
    )
    services.act_register(
        actor=department_staff, data={**data, "kind": kinds["executive-decision"], "title": "Про 4"}
    )
    assert Act.objects.count() == 3


def test_internal_act_has_no_deadline_and_is_not_published(kinds, unit, department_staff):
    act = services.act_register(
        actor=department_staff,
        data={
            "kind": kinds["head-order"],
            "number": "3-к",
            "date": dt.date(2024, 2, 1),
            "title": "Про відрядження",
            "unit": unit,
            "is_internal": True,
        },
    )
    assert act.publication_due is None
    with pytest.raises(ValidationError):
        services.act_publish(actor=department_staff, act=act)


def test_unit_editor_cannot_register_or_publish_for_another_unit(
    kinds, other_unit, unit_editor, department_staff
):
    data = {
        "kind": kinds["head-order"],
        "number": "9",
        "date": dt.date(2024, 2, 1),
        "title": "Про чуже",
        "unit": other_unit,
    }
    with pytest.raises(RecordPermissionDenied):
        services.act_register(actor=unit_editor, data=data)
    act = services.act_register(actor=department_staff, data=data)
    with pytest.raises(RecordPermissionDenied):
        services.act_publish(actor=unit_editor, act=act)
    assert Act.objects.get(pk=act.pk).published_at is None


def test_scheduled_publication_runs_through_the_worker(kinds, unit, department_staff, settings):
    from django.utils import timezone

    from ratusha.acts.tasks import publish_due_acts

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    act = services.act_register(
        actor=department_staff,
        data={
            "kind": kinds["head-order"],
            "number": "11",
            "date": dt.date(2024, 2, 1),
            "title": "Про графік",
            "unit": unit,
        },
    )
    when = timezone.now() + dt.timedelta(hours=2)
    services.act_publish(actor=department_staff, act=act, at=when)
    act.refresh_from_db()
    assert act.published_at is None and act.publish_at == when
    # Not yet due: nothing happens
    assert publish_due_acts.call() == 0
    # When the time has come, the worker's task publishes it
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=when + dt.timedelta(minutes=1)):
        assert publish_due_acts.call() == 1
    act.refresh_from_db()
    assert act.published_at is not None and act.publish_at is None


def test_every_change_is_audited(draft_data, unit_editor):
    draft = services.act_register(actor=unit_editor, data=draft_data)
    services.act_publish(actor=unit_editor, act=draft)
    actions = list(
        AuditEntry.objects.filter(object_id=str(draft.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [AuditAction.CREATE, AuditAction.PUBLISH]
    published = AuditEntry.objects.get(action=AuditAction.PUBLISH)
    assert published.changes["status"] == ["registered", "published"]


def test_impossible_or_far_future_date_is_refused(kinds, unit, department_staff):
    with pytest.raises(ValidationError):
        services.act_register(
            actor=department_staff,
            data={
                "kind": kinds["head-order"],
                "number": "1",
                "date": dt.date(2099, 1, 1),
                "title": "Про майбутнє",
                "unit": unit,
            },
        )
