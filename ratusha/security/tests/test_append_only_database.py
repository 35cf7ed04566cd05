"""The audit log and the login log refuse UPDATE and DELETE in the database itself."""

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction

from ratusha.core import services
from ratusha.core.models import AuditEntry
from ratusha.security import login_log
from ratusha.security.choices import LoginEventKind
from ratusha.security.models import LoginEvent

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="The append-only triggers are PostgreSQL's (SQLite is the local single-user "
        "mode, and Django flushes SQLite test databases with DELETE, which a trigger would "
        "refuse); the application-level refusal is tested on both.",
    ),
]


def _sql(statement, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_audit_entry_cannot_be_updated_or_deleted_in_sql(unit, department_staff):
    services.unit_update(actor=department_staff, unit=unit, data={"phone": "1"})
    entry = AuditEntry.objects.get()
    with pytest.raises(DatabaseError, match="append-only"):
        _sql("UPDATE core_auditentry SET object_repr = 'підробка' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        _sql("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        _sql("UPDATE core_auditentry SET actor_id = NULL, reason = 'x' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get().object_repr == "Фінансовий відділ"


def test_deleting_a_user_keeps_their_audit_entries(unit):
    from ratusha.core.roles import Role
    from ratusha.core.tests.factories import UserFactory

    user = UserFactory(username="leaving", roles=[Role.DEPARTMENT_STAFF])
    services.unit_update(actor=user, unit=unit, data={"phone": "2"})
    get_user_model().objects.filter(pk=user.pk).delete()
    entry = AuditEntry.objects.get()
    assert entry.actor is None
    assert entry.actor_repr == "leaving"


def test_login_event_cannot_be_updated_or_deleted_in_sql(db):
    event = login_log.record(kind=LoginEventKind.FAILURE, username="guess")
    with pytest.raises(DatabaseError, match="append-only"):
        _sql("UPDATE security_loginevent SET username = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        _sql("DELETE FROM security_loginevent WHERE id = %s", [event.pk])
    assert LoginEvent.objects.get().username == "guess"
