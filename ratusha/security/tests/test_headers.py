"""Every public page type sends the Content-Security-Policy (no inline or eval'd script) and
the other protective headers, and holds nothing the policy would silently block."""

from __future__ import annotations

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from wagtail.models import Page

pytestmark = pytest.mark.django_db

PER_SHAPE = 2
MAX_PAGES = 250


class _Inspector(HTMLParser):
    """Collects links and whatever a strict policy would block: inline scripts, event-handler
    attributes, ``javascript:`` links, ``<style>`` elements and style attributes."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.blocked: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "script" and not attributes.get("src"):
            kind = (attributes.get("type") or "").lower()
            if kind not in {"application/json", "application/ld+json"}:
                self.blocked.append("inline <script>")
        if tag == "style":
            self.blocked.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.blocked.append(f"{name}= on <{tag}>")
            if name == "style":
                self.blocked.append(f"style= on <{tag}>")
            if name in {"href", "src", "action"} and (value or "").lower().startswith(
                "javascript:"
            ):
                self.blocked.append(f"javascript: in {name}")


def _directives(header: str) -> dict[str, list[str]]:
    result = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            result[words[0]] = words[1:]
    return result


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _check_headers(url, response, problems):
    policy = response.get("Content-Security-Policy")
    if not policy:
        problems.append(f"{url}: no Content-Security-Policy")
        return
    directives = _directives(policy)
    script = directives.get("script-src", directives.get("default-src", []))
    for word in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:"):
        if word in script:
            problems.append(f"{url}: script-src allows {word}")
    if directives.get("object-src") != ["'none'"]:
        problems.append(f"{url}: object-src is not 'none'")
    if directives.get("frame-ancestors") != ["'none'"]:
        problems.append(f"{url}: frame-ancestors is not 'none'")
    expected = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
    }
    for name, value in expected.items():
        if response.get(name) != value:
            problems.append(f"{url}: {name} is {response.get(name)!r}")


def test_every_public_page_type_sends_a_strict_policy(client):
    # Given the demo hromada (every page type, the acts registry, the council's pages)
    call_command("demo_hromada", scale="small", seed=7, today="2026-11-21")
    types = Counter()
    start = [
        "/",
        "/acts/",
        "/council/",
        "/opendata/",
        "/search/",
        "/search/?q=рішення",
        "/nemaie-takoi-storinky/",
    ]
    for page in Page.objects.live().public().specific().exclude(depth=1):
        kind = type(page).__name__
        if types[kind] < PER_SHAPE and page.url:
            types[kind] += 1
            start.append(page.url)
    # When every page type and the pages linked from them are opened
    queue = deque(start)
    seen_shapes: Counter = Counter()
    visited: set[str] = set()
    problems: list[str] = []
    statuses = Counter()
    while queue and len(visited) < MAX_PAGES:
        url = queue.popleft()
        path = urlsplit(url).path
        if url in visited or (url not in start and seen_shapes[_shape(path)] >= PER_SHAPE):
            continue
        visited.add(url)
        seen_shapes[_shape(path)] += 1
        response = client.get(url)
        statuses[response.status_code] += 1
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        # Then each answers with the strict policy and the other headers
        _check_headers(url, response, problems)
        inspector = _Inspector()
        inspector.feed(response.content.decode())
        problems.extend(f"{url}: {item}" for item in sorted(set(inspector.blocked)))
        for link in inspector.links:
            target = urljoin(url, link)
            parts = urlsplit(target)
            internal = parts.scheme in ("", "http") and parts.netloc in ("", "testserver")
            skipped = parts.path.startswith(("/admin", "/django-admin", "/media", "/static"))
            if internal and not skipped:
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert not problems, "\n".join(problems)
    # and the crawl did reach the whole site: every page type, the registry and the council
    assert len(types) >= 8, types
    assert statuses[200] >= 40, statuses
    assert any(url.startswith("/acts/") and url != "/acts/" for url in visited)
    assert any(url.startswith("/council/") and url != "/council/" for url in visited)
    # open data: the catalogue and a dataset's page; search: the page and a results page
    assert any(url.startswith("/opendata/") and url != "/opendata/" for url in visited)
    assert {"/search/", "/search/?q=рішення"} <= visited


def test_admin_gets_its_own_looser_policy(client, administrator):
    client.force_login(administrator)
    response = client.get("/admin/")
    directives = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in directives["script-src"]
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]


def test_cached_page_carries_the_policy(client, settings):
    from ratusha.portal.models import HomePage

    settings.PORTAL_CACHE_SECONDS = 300
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Головна", slug="holovna-csp"))
    from wagtail.models import Site

    from ratusha.core.models import HromadaSettings

    Site.objects.update(root_page=home)
    HromadaSettings.for_site(Site.objects.get())  # made on first use, which purges the cache
    first = client.get("/")
    second = client.get("/")
    assert second["X-Cache"] == "HIT"
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
