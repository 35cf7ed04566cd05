"""Files of acts: what a file really is, whether it is safe, and its text.

``inspect_document(name, content)`` decides the format by content (not by extension), refuses
broken, encrypted, oversized or hostile files with a Ukrainian message naming the file and the
problem (``DocumentRejected``), and extracts the text of DOCX, ODT and text PDFs. Scanned PDFs
and images come back with ``text_status=OCR_PENDING`` for the worker to recognise.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError


class DocumentRejected(ValidationError):
    """A file refused on upload or import; the message names the file and the problem."""


@dataclass
class InspectedDocument:
    name: str
    content: bytes
    file_format: str  # docx, odt, pdf, jpg, png, tif
    size: int
    sha256: str
    text: str
    text_status: str  # choices.TextStatus
