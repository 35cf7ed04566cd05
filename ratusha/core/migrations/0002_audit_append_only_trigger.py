"""The audit log is append-only in the database too (PostgreSQL).

A row trigger refuses UPDATE and DELETE of ``core_auditentry`` whatever the client: the
application, ``manage.py dbshell``, a stolen connection string. The one change let through is
the one Django makes when a user account is deleted: ``actor`` set to NULL with every other
column unchanged (the entry keeps ``actor_repr``). TRUNCATE is not refused: it is what the test
runner and ``manage.py flush`` use; its right belongs to the database owner only.

SQLite gets no trigger: Django flushes an SQLite test database with DELETE, which a row trigger
would refuse, and SQLite is the local, single-user mode.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION core_auditentry_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
       AND NEW.id = OLD.id
       AND NEW.at IS NOT DISTINCT FROM OLD.at
       AND NEW.actor_repr IS NOT DISTINCT FROM OLD.actor_repr
       AND NEW.action IS NOT DISTINCT FROM OLD.action
       AND NEW.content_type_id IS NOT DISTINCT FROM OLD.content_type_id
       AND NEW.object_id IS NOT DISTINCT FROM OLD.object_id
       AND NEW.object_repr IS NOT DISTINCT FROM OLD.object_repr
       AND NEW.changes IS NOT DISTINCT FROM OLD.changes
       AND NEW.reason IS NOT DISTINCT FROM OLD.reason THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The audit log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
CREATE TRIGGER core_auditentry_append_only
    BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
DROP FUNCTION IF EXISTS core_auditentry_refuse_change();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
