"""The login log is append-only in the database too (PostgreSQL): see core's
0002_audit_append_only_trigger. Only ``user`` set to NULL (an account deleted) passes."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION security_loginevent_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.user_id IS NULL
       AND NEW.id = OLD.id
       AND NEW.at IS NOT DISTINCT FROM OLD.at
       AND NEW.kind IS NOT DISTINCT FROM OLD.kind
       AND NEW.username IS NOT DISTINCT FROM OLD.username
       AND NEW.ip_address IS NOT DISTINCT FROM OLD.ip_address
       AND NEW.user_agent IS NOT DISTINCT FROM OLD.user_agent
       AND NEW.path IS NOT DISTINCT FROM OLD.path THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'The login log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS security_loginevent_append_only ON security_loginevent;
CREATE TRIGGER security_loginevent_append_only
    BEFORE UPDATE OR DELETE ON security_loginevent
    FOR EACH ROW EXECUTE FUNCTION security_loginevent_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS security_loginevent_append_only ON security_loginevent;
DROP FUNCTION IF EXISTS security_loginevent_refuse_change();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
