"""Point the default Wagtail site at the address ``make run`` serves (local mode only).

Canonical links, Open Graph, the feeds, ``sitemap.xml`` and ``robots.txt`` give addresses on
the default site's hostname and port. A new installation (and the demo) has Wagtail's
``localhost:80``, which nothing listens on under ``make run``; this moves it to
``127.0.0.1:PORT``. A site whose address someone has set (any other hostname) is left alone,
and production is refused: there the address is set under *Settings → Sites*."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

LOCAL_HOSTNAMES = ("localhost", "127.0.0.1")


class Command(BaseCommand):
    help = "Serve the default site's links at 127.0.0.1:PORT (local mode only)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=None)

    def handle(self, *args, port, **options):
        if settings.PRODUCTION:
            raise CommandError("local_site is for the local mode only.")
        port = port or int(os.environ.get("PORT", "8000"))
        site = Site.objects.filter(is_default_site=True).first()
        if site is None or site.hostname not in LOCAL_HOSTNAMES:
            return
        if (site.hostname, site.port) != ("127.0.0.1", port):
            site.hostname, site.port = "127.0.0.1", port
            site.save(update_fields=["hostname", "port"])
            self.stdout.write(f"Site address: http://127.0.0.1:{port}/")
