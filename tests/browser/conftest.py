"""Browser tests: Debian's Chromium driven by Playwright, axe-core and the Nu HTML Checker.

Fixtures for every browser test in the project:

- ``browser``: a Playwright Chromium (``/usr/bin/chromium``; a browser is never downloaded);
- ``page``: a fresh tab in its own context (its own cookies), failing the test if the page's
  Content-Security-Policy blocked anything;
- ``axe_violations``: ``axe_violations(page)`` runs axe-core's WCAG 2.1 A/AA rules on the page
  and returns the violations;
- ``html_errors``: ``html_errors(html)`` runs the Nu HTML Checker and returns its errors;
- ``demo_site``: a home page, two sections in the menu and a subsection, and the hromada's
  settings, served by pytest-django's ``live_server``.

Nothing here is skipped: without Chromium or ``node_modules`` the tests fail and say to run
``make test``, which installs both.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from wagtail.rich_text import RichText

# Playwright's sync API runs an event loop in this thread; Django's ORM (used by the fixtures)
# refuses to run inside one unless told that this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Talks to the local checker directly, whatever proxy the environment names.
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _require(path: Path, what: str) -> None:
    if not path.exists():
        pytest.fail(f"{what} is missing ({path}): run `make test`, which installs it.")


@pytest.fixture(scope="session")
def browser():
    _require(CHROMIUM, "Debian's Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def csp_blocked():
    """What the Content-Security-Policy blocked in ``page`` so far (Chromium's console)."""
    return []


@pytest.fixture
def page(browser, csp_blocked):
    """A tab with the site's Content-Security-Policy in force (Playwright's ``bypass_csp`` is
    off). Chromium reports each thing the policy blocked on the console; a test whose pages had
    any fails, so a script or style the policy silently stops cannot pass unnoticed."""
    context = browser.new_context(locale="uk-UA")
    page = context.new_page()
    blocked = csp_blocked
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert not blocked, "The Content-Security-Policy blocked:\n" + "\n".join(blocked)


@pytest.fixture(scope="session")
def axe_violations():
    """``axe_violations(page)``: axe-core's WCAG 2.1 A and AA violations on the page."""
    _require(AXE_JS, "axe-core")

    source = AXE_JS.read_text(encoding="utf-8")

    def run(page) -> list[dict]:
        # Evaluated through the DevTools protocol, which the page's CSP does not govern: a
        # <script> tag (add_script_tag) would be an inline script the policy rightly refuses.
        page.evaluate(source)
        return page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
                return result.violations.map((violation) => ({
                    id: violation.id,
                    impact: violation.impact,
                    help: violation.help,
                    nodes: violation.nodes.map((node) => node.target.join(" ")),
                }));
            }""",
            AXE_TAGS,
        )

    return run


@pytest.fixture(scope="session")
def html_errors(tmp_path_factory):
    """``html_errors(html)``: the Nu HTML Checker's errors in a document, as readable lines.

    The checker runs once per session as a local HTTP service (``nu.validator.servlet.Main``
    from ``vnu.jar``, bound to 127.0.0.1): starting Java costs seconds, a check then takes
    milliseconds.
    """
    _require(VNU_JAR, "The Nu HTML Checker (vnu-jar)")
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is missing: run `make test`, which installs default-jre-headless.")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path_factory.mktemp("vnu") / "checker.log"
    with log.open("wb") as log_file:
        checker = subprocess.Popen(
            [java, "-Dnu.validator.servlet.bind-address=127.0.0.1",
             "-cp", str(VNU_JAR), "nu.validator.servlet.Main", str(port)],
            stdout=log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}/?out=json&level=error"
    try:
        _wait_for_checker(checker, f"http://127.0.0.1:{port}/", log)

        def check(html: str) -> list[str]:
            request = urllib.request.Request(
                url,
                data=html.encode("utf-8"),
                headers={"Content-Type": "text/html; charset=utf-8"},
            )
            with LOCAL.open(request, timeout=60) as response:
                messages = json.load(response)["messages"]
            return [
                f"line {message.get('lastLine', '?')}: {message['message']}"
                f" [{message.get('extract', '').strip()}]"
                for message in messages
            ]

        yield check
    finally:
        checker.terminate()
        checker.wait(timeout=30)


def _wait_for_checker(checker: subprocess.Popen, url: str, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if checker.poll() is not None:
            pytest.fail(f"The Nu HTML Checker did not start: {log.read_text(errors='replace')}")
        try:
            with LOCAL.open(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"The Nu HTML Checker did not answer at {url} within {timeout:.0f} s.")


def _png_logo() -> bytes:
    from PIL import Image as PillowImage
    from PIL import ImageDraw

    logo = PillowImage.new("RGB", (120, 140), "#0057b8")
    ImageDraw.Draw(logo).polygon([(20, 20), (100, 20), (100, 90), (60, 125), (20, 90)], "#ffd500")
    buffer = io.BytesIO()
    logo.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def demo_site(transactional_db, live_server, settings, tmp_path):
    """A fictional council's site served by ``live_server``; returns its URLs."""
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model
    from wagtail.models import Collection, Locale, Page, Site

    from ratusha.core.models import HromadaSettings
    from ratusha.portal.models import HomePage, SectionPage

    settings.MEDIA_ROOT = tmp_path / "media"

    def publish(parent, page):
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    # Transactional tests empty the database after each test, and with it what Wagtail's
    # migrations created: the default locale, the root collection and the root page.
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = publish(
        root,
        HomePage(
            title="Головна",
            slug="holovna",
            intro="<p>Офіційний вебсайт Калинівської сільської територіальної громади: "
            "новини, документи, послуги та контакти сільської ради.</p>",
        ),
    )
    Site.objects.all().delete()
    site = Site.objects.create(
        hostname=urlsplit(live_server.url).hostname,
        port=urlsplit(live_server.url).port,
        root_page=home,
        is_default_site=True,
        site_name="Калинівська сільська рада",
    )
    logo = get_image_model().objects.create(
        title="Герб громади", file=ImageFile(io.BytesIO(_png_logo()), name="herb.png")
    )
    HromadaSettings.objects.create(
        site=site,
        council_name="Калинівська сільська рада",
        community_name="Калинівська сільська територіальна громада",
        address="вул. Незалежності, 7, с. Калинівка, Київська обл., 07099",
        phone="(04599) 2-17-40",
        email="rada@kalynivka-demo.gov.ua",
        working_hours="Пн–Чт 8:00–17:15, Пт 8:00–16:00",
        head_name="Мельник Ганна Петрівна",
        head_title="сільська голова",
        logo=logo,
        facebook_url="https://www.facebook.com/kalynivka.demo",
        telegram_url="https://t.me/kalynivka_demo",
    )
    hromada = publish(
        home,
        SectionPage(
            title="Громада",
            slug="hromada",
            show_in_menus=True,
            intro="Історія, символіка і населені пункти громади.",
            content=[
                (
                    "paragraph",
                    RichText(
                        "<p>Громаду утворено 2020 року.</p><h2>Населені пункти</h2>"
                        "<ul><li>с. Калинівка</li><li>с. Вишневе</li></ul>"
                    ),
                )
            ],
        ),
    )
    publish(home, SectionPage(title="Документи", slug="dokumenty", show_in_menus=True))
    publish(
        hromada,
        SectionPage(
            title="Історія громади",
            slug="istoriia",
            content=[("paragraph", RichText("<p>Текст.</p>"))],
        ),
    )
    return {
        "home": f"{live_server.url}/",
        "section": f"{live_server.url}/hromada/",
        "subsection": f"{live_server.url}/hromada/istoriia/",
        "missing": f"{live_server.url}/nemaie-takoi-storinky/",
    }
