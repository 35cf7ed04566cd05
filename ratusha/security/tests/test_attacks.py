"""Tested attacks (issue 8, point 8): each test fails if its protection is removed.

Covered elsewhere, not repeated here (docs/architecture.md lists them all): hostile search
strings at the selector level (search/tests/test_search.py), unpublished and internal acts and
their files (acts/tests/test_public_registry.py), unpublished datasets and votes
(opendata/tests/test_services.py, council/tests/test_public.py), risky uploads: SVG, HTML
named as a photo or a PDF, ZIP bombs and traversal (security/tests/test_uploads.py,
acts/tests/test_documents.py, opendata/tests/test_files.py), the feedback form's CSRF, size,
rate and honeypot (feedback/tests/test_form.py)."""

from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from ratusha.acts.tests.test_public_registry import pdf, register
from ratusha.core.permissions import SYSTEM
from ratusha.opendata import services as opendata_services
from ratusha.opendata.files import inspect_upload
from ratusha.opendata.tests.conftest import csv_bytes, passport
from ratusha.portal.models import HomePage, SectionPage

pytestmark = pytest.mark.django_db

XSS = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    '\'><a href="javascript:alert(1)">x</a>',
]
INJECTIONS = [
    "'; DROP TABLE acts_act; --",
    '" OR 1=1 --',
    "1' OR '1'='1",
    '"*():^-',
    "NEAR(бюджет рішення, 3)",
    'бюджет" AND "',
    '"незакрита лапка',
    "бюджет*",
    "title:бюджет OR text:*",
    "\\x00%00%27",
    "%' UNION SELECT password FROM auth_user --",
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class _ActiveMarkup(HTMLParser):
    """Elements and attributes that would run script in a browser."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag in ("iframe", "object", "embed"):
            self.found.append(tag)
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            url = (value or "").strip().lower().replace("\t", "")
            if name in ("href", "src", "action", "formaction", "data") and url.startswith(
                ("javascript:", "vbscript:")
            ):
                self.found.append(f"{tag}[{name}={value}]")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.found.append("script: " + data[:40])


def _has_active_markup(html: str) -> list[str]:
    """The hostile markup that would run in a browser, if any survived unescaped."""
    parser = _ActiveMarkup()
    parser.feed(html)
    return parser.found


# XSS in public forms ---------------------------------------------------------------------------


@pytest.mark.parametrize("payload", XSS)
def test_xss_in_the_feedback_form_is_shown_escaped(client, payload):
    response = client.post(
        "/feedback/",
        {"name": payload, "email": payload, "phone": payload, "text": payload, "website": ""},
    )
    assert response.status_code == 400  # the e-mail and the consent are wrong
    assert _has_active_markup(response.content.decode()) == []


@pytest.mark.parametrize("payload", XSS)
def test_xss_in_the_search_box_is_shown_escaped(client, payload):
    for url in ("/search/", "/acts/", "/opendata/", "/council/meetings/"):
        response = client.get(url, {"q": payload, "words": payload, "number": payload})
        assert response.status_code == 200, url
        assert _has_active_markup(response.content.decode()) == [], url
    api = client.get("/api/v1/search", {"q": payload})
    assert api.status_code == 200 and api["Content-Type"].startswith("application/json")


# XSS in rich text of portal pages -------------------------------------------------------------

HOSTILE_RICH_TEXT = (
    "<p>Текст<script>alert('xss')</script></p>"
    '<p><img src="x" onerror="alert(1)"></p>'
    '<p><a href="javascript:alert(1)">посилання</a></p>'
    '<p><a href="JaVaScRiPt:alert(1)">посилання2</a></p>'
    '<p onclick="alert(1)">клік</p>'
    '<iframe src="javascript:alert(1)"></iframe>'
)


@pytest.fixture
def home(db):
    root = Page.get_first_root_node()
    home = HomePage(title="Головна", slug="holovna", intro=HOSTILE_RICH_TEXT)
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    return home


def test_hostile_rich_text_does_not_survive_to_the_public_page(client, home):
    section = SectionPage(
        title="Розділ",
        slug="rozdil",
        content=[
            ("paragraph", RichText(HOSTILE_RICH_TEXT)),
            (
                "table",
                {
                    "data": [["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]],
                    "first_row_is_table_header": False,
                    "first_col_is_header": False,
                    "table_caption": "<script>alert(2)</script>",
                },
            ),
        ],
    )
    home.add_child(instance=section)
    section.save_revision().publish()
    for url in ("/", section.url):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert _has_active_markup(html) == [], url
        assert "javascript:" not in html.lower(), url
        assert "onclick" not in html.lower(), url
        assert '<iframe src="javascript' not in html.lower(), url
    html = client.get(section.url).content.decode()
    assert "посилання" in html and "клік" in html  # the text itself stays


# SQL / FTS injection in search and filters -----------------------------------------------------


@pytest.fixture
def kinds(db):
    from ratusha.acts.models import ActKind

    return {k.code: k for k in ActKind.objects.all()}


@pytest.fixture
def some_records(kinds, unit):
    register(kinds, number="1-VIII", title="Про бюджет громади", text="Текст рішення про бюджет")
    return unit


@pytest.mark.parametrize("hostile", INJECTIONS)
def test_injection_strings_give_a_normal_page(client, some_records, hostile):
    requests = [
        ("/search/", {"q": hostile}),
        ("/search/", {"q": hostile, "kind": hostile, "from": hostile, "page": hostile}),
        ("/acts/", {"words": hostile}),
        ("/acts/", {"number": hostile, "kind": hostile, "unit": hostile, "year": hostile}),
        ("/acts/", {"sort": hostile, "status": hostile, "issuing_body": hostile}),
        ("/acts/export/", {"words": hostile, "format": "json"}),
        ("/council/meetings/", {"kind": hostile, "year": hostile, "month": hostile}),
        ("/opendata/", {"q": hostile, "holder": hostile, "format": hostile, "tag": hostile}),
        ("/opendata/", {"frequency": hostile, "sort": hostile, "page": hostile}),
        ("/api/v1/search/suggest", {"q": hostile}),
        ("/api/3/action/package_search", {"q": hostile, "fq": hostile}),
    ]
    for url, params in requests:
        response = client.get(url, params)
        assert response.status_code in (200, 400), (url, params, response.status_code)
        if url.startswith("/api/v1/search") or url == "/search/":
            assert response.status_code == 200, (url, params)
    api = client.get("/api/v1/search", {"q": hostile})
    assert api.status_code == 200 and "total" in api.json()
    # And the tables are still there.
    from ratusha.acts.models import Act

    assert Act.objects.count() == 1


# Path traversal in downloads --------------------------------------------------------------------


@pytest.fixture
def secret_file(settings, tmp_path):
    """A file outside the media folder that a traversal would reach."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    return secret


TRAVERSALS = [
    "../../secret.txt",
    "..%2F..%2Fsecret.txt",
    "%2e%2e/%2e%2e/secret.txt",
    "..\\..\\secret.txt",
    "....//....//secret.txt",
    "%252e%252e%252fsecret.txt",
]


@pytest.mark.parametrize("tail", TRAVERSALS)
def test_path_traversal_in_downloads_is_404(client, kinds, hromada_with_dataset, secret_file, tail):
    act = register(kinds, number="2-VIII", documents=[pdf("a.pdf")])
    stored = act.versions.get().files.get()
    dataset, resource = hromada_with_dataset
    document = get_document_model().objects.create(
        title="Док", file=ContentFile(b"%PDF-1.4 test", name="dok.pdf")
    )
    urls = [
        f"/acts/{act.pk}/files/{tail}",
        f"/acts/{act.pk}/files/{stored.pk}/{tail}",
        f"/opendata/{dataset.identifier}/resources/{tail}/download",
        f"/opendata/{tail}/resources/{resource.uuid}/download",
        f"/opendata/{dataset.identifier}/resources/{resource.uuid}/download/{tail}",
        f"/documents/{document.pk}/{tail}",
        f"/documents/{document.pk}/dok.pdf/{tail}",
        f"/media/{tail}",
        f"/media/documents/{tail}",
        f"/static/{tail}",
    ]
    for url in urls:
        response = client.get(url)
        # 404; or 400 where Django's development server of /media/ (DEBUG, when the URLconf
        # was loaded before the tests turned DEBUG off) refuses a path outside its folder
        assert response.status_code in (400, 404), (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"TOP-SECRET" not in body


@pytest.fixture
def hromada_with_dataset(db, unit):
    item = opendata_services.dataset_create(
        actor=SYSTEM,
        data=passport(holder=unit, identifier="shkoly"),
        tags=["освіта"],
        publish=True,
    )
    resource = opendata_services.resource_upload(
        actor=SYSTEM,
        dataset=item,
        inspected=inspect_upload("s.csv", csv_bytes([["a", "b"], ["1", "2"]])),
        title="Школи",
    )
    return item, resource


# Drafts and other units' records by guessing the address ---------------------------------------


def test_a_wagtail_draft_page_is_404_by_its_address(client, home):
    draft = SectionPage(title="Чернетка", slug="chernetka", live=False)
    home.add_child(instance=draft)
    draft.save_revision()
    assert client.get("/chernetka/").status_code == 404
    assert client.get(f"/?page_id={draft.pk}").status_code == 200  # the home page, not the draft
    assert "Чернетка" not in client.get(f"/?page_id={draft.pk}").content.decode()


def test_unpublished_dataset_files_are_404(client, unit):
    item = opendata_services.dataset_create(
        actor=SYSTEM, data=passport(holder=unit, identifier="nepublichnyi")
    )
    resource = opendata_services.resource_upload(
        actor=SYSTEM,
        dataset=item,
        inspected=inspect_upload("s.csv", csv_bytes([["a"], ["таємниця"]])),
        title="Ресурс",
    )
    for url in (
        f"/opendata/nepublichnyi/resources/{resource.uuid}/download",
        f"/opendata/nepublichnyi/resources/{resource.uuid}/versions/1/download",
        f"/opendata/nepublichnyi/resources/{resource.uuid}/schema.json",
        "/opendata/nepublichnyi/datapackage.json",
        "/opendata/nepublichnyi.ttl",
    ):
        assert client.get(url).status_code == 404, url
    shown = client.get("/api/3/action/package_show", {"id": "nepublichnyi"})
    assert shown.status_code == 404


def test_another_units_dataset_is_refused_in_the_admin(client, unit_editor, other_unit):
    theirs = opendata_services.dataset_create(
        actor=SYSTEM, data=passport(holder=other_unit, identifier="chuzhyi")
    )
    client.force_login(unit_editor)
    for name in ("opendata_admin:edit", "opendata_admin:actions"):
        url = reverse(name, args=[theirs.pk])
        response = client.get(url)
        assert response.status_code in (403, 404) or (
            response.status_code == 302 and "chuzhyi" not in response.content.decode()
        ), (url, response.status_code)
        client.post(url, {"title": "Перейменовано", "action": "publish"})
        theirs.refresh_from_db()
        assert theirs.title != "Перейменовано" and theirs.published_at is None, url


# CSRF on state-changing views ------------------------------------------------------------------


def test_login_without_a_csrf_token_is_refused(db):
    from ratusha.core.tests.factories import UserFactory

    user = UserFactory(username="someone")
    user.set_password("a-long-enough-password-1")
    user.save()
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        "/admin/login/", {"username": "someone", "password": "a-long-enough-password-1"}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in browser.session


def test_admin_actions_without_a_csrf_token_are_refused(department_staff, unit):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(department_staff)
    edit = reverse("core_units:edit", args=[unit.pk])
    response = browser.post(edit, {"name": "Перейменований", "slug": unit.slug, "sort_order": 0})
    assert response.status_code == 403
    unit.refresh_from_db()
    assert unit.name != "Перейменований"


def test_language_switch_without_a_csrf_token_is_refused(db):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 403


# Oversized and malformed uploads through the admin ---------------------------------------------


def _zip(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("broken.docx", b"PK\x03\x04 not really a docx"),
        ("broken.pdf", b"%PDF-1.7\n garbage without an end"),
        ("bomb.docx", _zip({"word/document.xml": b"0" * (60 * 1024 * 1024)})),
        ("drawing.pdf", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ],
    ids=["broken-docx", "broken-pdf", "zip-bomb", "svg-as-pdf"],
)
def test_malformed_documents_get_a_clear_error(client, administrator, name, content):
    client.force_login(administrator)
    response = client.post(
        reverse("wagtaildocs:add"),
        {"title": "Файл", "file": SimpleUploadedFile(name, content), "collection": 1},
    )
    assert response.status_code == 200  # the form again, with the error
    assert get_document_model().objects.count() == 0
    assert name in response.content.decode() or "error" in response.content.decode()


def test_a_too_large_document_gets_a_clear_error(client, administrator, settings):
    settings.RATUSHA_DOCUMENT_MAX_BYTES = 1024
    client.force_login(administrator)
    response = client.post(
        reverse("wagtaildocs:add"),
        {"title": "Великий", "file": SimpleUploadedFile("big.txt", b"a" * 4096), "collection": 1},
    )
    assert response.status_code == 200
    assert get_document_model().objects.count() == 0


def test_an_oversized_request_body_is_refused(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post("/i18n/setlang/", {"language": "en", "next": "x" * 4096})
    assert response.status_code == 400
