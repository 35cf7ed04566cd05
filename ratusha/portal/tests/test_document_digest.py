"""The SHA-256 of documents linked from public pages: computed on upload, computed again for a
new file, shown next to the attachment block's link and next to document links in rich text."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.rich_text import RichText

from ratusha.portal.documents import with_digests
from ratusha.portal.models import DocumentDigest, SectionPage

from .test_pages import _publish

BUDGET = b"%PDF-1.4 budget 2026"
AMENDED = b"%PDF-1.4 budget 2026, amended"


def _document(content=BUDGET, name="biudzhet.pdf"):
    return get_document_model().objects.create(
        title="Бюджет на 2026 рік", file=ContentFile(content, name=name)
    )


@pytest.mark.django_db
def test_the_digest_is_computed_on_upload_and_again_for_a_new_file():
    document = _document()
    digest = DocumentDigest.objects.get(document=document)
    assert digest.sha256 == hashlib.sha256(BUDGET).hexdigest()
    assert digest.size == len(BUDGET)

    document.title = "Бюджет (назва змінена)"
    document.save()
    assert DocumentDigest.objects.get(document=document).sha256 == digest.sha256

    document.file = ContentFile(AMENDED, name="biudzhet-zminy.pdf")
    document.save()
    assert DocumentDigest.objects.get(document=document).sha256 == (
        hashlib.sha256(AMENDED).hexdigest()
    )


@pytest.mark.django_db
def test_the_page_shows_the_digest_next_to_each_document_link(client, home):
    attached = _document()
    linked = _document(AMENDED, "rishennia.pdf")
    _publish(
        home,
        SectionPage(
            title="Бюджет",
            slug="biudzhet",
            content=[
                (
                    "paragraph",
                    RichText(f'<p>Див. <a linktype="document" id="{linked.pk}">рішення</a>.</p>'),
                ),
                ("document", {"document": attached, "title": ""}),
            ],
        ),
    )
    html = client.get("/biudzhet/").content.decode()
    attached_hash = hashlib.sha256(BUDGET).hexdigest()
    linked_hash = hashlib.sha256(AMENDED).hexdigest()
    block = html[html.index(attached.url) :]
    assert f"<code>{attached_hash}</code>" in block[: block.index("</p>")]
    link = html[html.index(linked.url) :]
    assert f"SHA-256: <code>{linked_hash}</code>" in link[: link.index("</span>") + 7]


def test_only_links_carrying_a_digest_get_one():
    digest = "a" * 64
    html = (
        f'<p><a href="/documents/1/a.pdf" data-sha256="{digest}">a</a> і '
        '<a href="https://example.org/">b</a></p>'
    )
    out = with_digests(html)
    assert out.count("SHA-256") == 1
    assert out.index(digest, out.index("</a>")) > out.index("</a>")
