"""The kind of act for a standing commission's minutes (протокол засідання постійної комісії),
next to the session and executive committee minutes the acts registry brings: every kind of
meeting the council keeps can have its minutes (``services.MINUTES_KINDS``)."""

from django.db import migrations

CODE = "commission-minutes"


def create_kind(apps, schema_editor):
    ActKind = apps.get_model("acts", "ActKind")
    if ActKind.objects.filter(code=CODE).exists():
        return
    ActKind.objects.create(
        code=CODE,
        name="Протокол засідання постійної комісії",
        name_plural="Протоколи засідань постійних комісій",
        issuing_body="council",
        is_draft=False,
        publication_rule="adopted",
        sort_order=75,
    )


def remove_kind(apps, schema_editor):
    ActKind = apps.get_model("acts", "ActKind")
    ActKind.objects.filter(code=CODE, acts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("acts", "0002_default_kinds"),
        ("council", "0005_labels_for_every_body"),
    ]

    operations = [migrations.RunPython(create_kind, remove_kind)]
