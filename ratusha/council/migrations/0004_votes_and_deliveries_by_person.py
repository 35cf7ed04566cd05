"""A vote and a delivery belong to a person, not to a deputy's mandate: at a commission's or
the executive committee's meeting the members vote and receive the drafts, and members of the
executive committee are mostly not deputies. ``Vote.deputy`` stays (the voter's mandate, when
they hold one) for the deputy's page index; existing rows take the person of their mandate."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def persons_from_mandates(apps, schema_editor):
    Deputy = apps.get_model("council", "Deputy")
    Vote = apps.get_model("council", "Vote")
    Delivery = apps.get_model("council", "Delivery")
    person_of = Deputy.objects.filter(pk=OuterRef("deputy_id")).values("person_id")[:1]
    Vote.objects.filter(voter__isnull=True).update(voter_id=Subquery(person_of))
    Delivery.objects.filter(person__isnull=True).update(person_id=Subquery(person_of))


class Migration(migrations.Migration):
    dependencies = [
        ("council", "0003_vote_index_covers_choice"),
    ]

    operations = [
        migrations.AddField(
            model_name="vote",
            name="voter",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="votes",
                to="council.person",
                verbose_name="voter",
            ),
        ),
        migrations.AddField(
            model_name="delivery",
            name="person",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="deliveries",
                to="council.person",
                verbose_name="recipient",
            ),
        ),
        migrations.RunPython(persons_from_mandates, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="vote",
            name="voter",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="votes",
                to="council.person",
                verbose_name="voter",
            ),
        ),
        migrations.AlterField(
            model_name="delivery",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="deliveries",
                to="council.person",
                verbose_name="recipient",
            ),
        ),
        migrations.AlterField(
            model_name="vote",
            name="deputy",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="votes",
                to="council.deputy",
                verbose_name="deputy",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="vote",
            name="vote_once_per_event",
        ),
        migrations.AddConstraint(
            model_name="vote",
            constraint=models.UniqueConstraint(
                fields=("event", "voter"), name="vote_once_per_event"
            ),
        ),
        migrations.AlterModelOptions(
            name="delivery",
            options={
                "ordering": ["-created_at", "person__full_name"],
                "verbose_name": "delivery",
                "verbose_name_plural": "deliveries",
            },
        ),
        migrations.RemoveField(
            model_name="delivery",
            name="deputy",
        ),
    ]
