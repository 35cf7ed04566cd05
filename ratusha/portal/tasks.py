"""Background work of the site, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

import io

from django_tasks import task

PUBLISH_SCHEDULED = "ratusha.portal.tasks:publish_scheduled_pages"


@task()
def publish_scheduled_pages() -> str:
    """Every minute (``core.scheduling.PERIODIC_TASKS``): Wagtail's ``publish_scheduled`` —
    publish the pages (and snippets) whose approved «go live» time has come, unpublish those
    whose expiry time has passed — then schedule the next run. Returns what it reported.

    Publishing and unpublishing send Wagtail's page signals, so the public pages' cache is
    purged (``core.cache``) in whichever process runs this."""
    from django.core.management import call_command

    from ratusha.core.scheduling import schedule_next

    report = io.StringIO()
    try:
        call_command("publish_scheduled", stdout=report)
    finally:
        schedule_next(PUBLISH_SCHEDULED)
    return report.getvalue().strip()
