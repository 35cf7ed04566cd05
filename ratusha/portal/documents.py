"""SHA-256 of the documents linked from public pages.

Wagtail's ``Document`` keeps a SHA-1 (``file_hash``); citizens check files against the SHA-256
the registry of acts and open data already show. ``DocumentDigest`` holds it per document,
computed when a document is saved with a new file (a ``post_save`` receiver: derived data, like
the listing columns — every upload path, the admin's multiple upload included, saves the
model). The pages show it:

- the attachment block (``portal/blocks/document.html``) next to its link;
- document links inside rich text: ``DigestDocumentLinkHandler`` puts the digest on the link
  as ``data-sha256`` and the ``file_digests`` filter (``portal_tags``) writes it out after the
  link, for every template that renders page content.
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from wagtail.documents.rich_text import DocumentLinkHandler

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024


def file_sha256(field_file) -> tuple[str, int]:
    """(SHA-256 hex digest, size in bytes) of a stored file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with field_file.storage.open(field_file.name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def document_digest_refresh(document):
    """The document's ``DocumentDigest``, computed again if its file changed (or never was)."""
    from .models import DocumentDigest

    name = document.file.name if document.file else ""
    if not name:
        return None
    current = DocumentDigest.objects.filter(document_id=document.pk).first()
    if current is not None and current.file_name == name:
        return current
    try:
        sha256, size = file_sha256(document.file)
    except OSError:
        logger.warning("Document %s: its file %s cannot be read", document.pk, name)
        return current
    digest, _created = DocumentDigest.objects.update_or_create(
        document_id=document.pk, defaults={"file_name": name, "sha256": sha256, "size": size}
    )
    return digest


def on_document_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        document_digest_refresh(instance)


def connect_signals() -> None:
    from django.db.models.signals import post_save
    from wagtail.documents import get_document_model

    post_save.connect(
        on_document_saved, sender=get_document_model(), dispatch_uid="ratusha.portal.digest"
    )


class DigestDocumentLinkHandler(DocumentLinkHandler):
    """Wagtail's document link in rich text, with the file's SHA-256 as ``data-sha256``."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        from .models import DocumentDigest

        documents = cls.get_many(attrs_list)
        digests = dict(
            DocumentDigest.objects.filter(
                document_id__in=[doc.pk for doc in documents if doc]
            ).values_list("document_id", "sha256")
        )
        tags = []
        for doc in documents:
            if not doc:
                tags.append("<a>")
            elif doc.pk in digests:
                tags.append(f'<a href="{escape(doc.url)}" data-sha256="{escape(digests[doc.pk])}">')
            else:
                tags.append(f'<a href="{escape(doc.url)}">')
        return tags


DIGEST_LINK = re.compile(r'(<a [^>]*data-sha256="([0-9a-f]{64})"[^>]*>.*?</a>)', re.DOTALL)


def with_digests(html: str) -> SafeString:
    """``html`` with ``(SHA-256: …)`` written after every document link carrying its digest."""

    def add(match: re.Match) -> str:
        return match.group(1) + format_html(
            ' <span class="attachment__hash">({}: <code>{}</code>)</span>',
            _("SHA-256"),
            match.group(2),
        )

    return mark_safe(DIGEST_LINK.sub(add, str(html)))  # noqa: S308 - the input is safe HTML
