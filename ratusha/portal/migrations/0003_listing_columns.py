"""Listing columns of news, announcements and events (``portal/listing.py``) with their partial
indexes, filled from the tree; the «top news» index; and a partial index of Wagtail's page
table for the menu (the home page's children shown in menus, found by (depth, path) without
reading the home page's 50,000 descendants; docs/adr/0003-portal-listing-columns.md)."""

from collections import defaultdict

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


DATED_PAGES = ("NewsPage", "AnnouncementPage", "EventPage")
BATCH = 500


def fill_list_columns(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    for name in DATED_PAGES:
        model = apps.get_model("portal", name)
        rows = list(model.objects.values_list("pk", "path", "live"))
        parent_paths = sorted({path[:-4] for _pk, path, _live in rows})
        parent_ids = {}
        for start in range(0, len(parent_paths), BATCH):
            chunk = parent_paths[start : start + BATCH]
            parent_ids.update(Page.objects.filter(path__in=chunk).values_list("path", "pk"))
        groups = defaultdict(list)
        for pk, path, live in rows:
            groups[(parent_ids.get(path[:-4]), bool(live))].append(pk)
        for (parent_id, live), pks in groups.items():
            for start in range(0, len(pks), BATCH):
                model.objects.filter(pk__in=pks[start : start + BATCH]).update(
                    list_parent_id=parent_id, list_live=live
                )


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('portal', '0002_page_types'),
        ('wagtailimages', '0027_image_description'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='announcementpage',
            name='list_live',
            field=models.BooleanField(default=False, editable=False, verbose_name='listed as live'),
        ),
        migrations.AddField(
            model_name='announcementpage',
            name='list_parent',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='listed in'),
        ),
        migrations.AddField(
            model_name='eventpage',
            name='list_live',
            field=models.BooleanField(default=False, editable=False, verbose_name='listed as live'),
        ),
        migrations.AddField(
            model_name='eventpage',
            name='list_parent',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='listed in'),
        ),
        migrations.AddField(
            model_name='newspage',
            name='list_live',
            field=models.BooleanField(default=False, editable=False, verbose_name='listed as live'),
        ),
        migrations.AddField(
            model_name='newspage',
            name='list_parent',
            field=models.ForeignKey(blank=True, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='listed in'),
        ),
        migrations.RunPython(fill_list_columns, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='announcementpage',
            index=models.Index(condition=models.Q(('list_live', True)), fields=['list_parent', '-date', '-page_ptr', 'list_live'], name='announcement_list_idx'),
        ),
        migrations.AddIndex(
            model_name='eventpage',
            index=models.Index(condition=models.Q(('list_live', True)), fields=['list_parent', '-date', '-page_ptr', 'list_live'], name='event_list_idx'),
        ),
        migrations.AddIndex(
            model_name='newspage',
            index=models.Index(condition=models.Q(('list_live', True)), fields=['list_parent', '-date', '-page_ptr', 'list_live'], name='news_list_idx'),
        ),
        migrations.AddIndex(
            model_name='newspage',
            index=models.Index(condition=models.Q(('is_top', True)), fields=['-date'], name='news_top_idx'),
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS portal_page_menu_idx "
            "ON wagtailcore_page (depth, path) WHERE show_in_menus",
            "DROP INDEX IF EXISTS portal_page_menu_idx",
            elidable=False,
        ),
    ]
