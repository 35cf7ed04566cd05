"""Files of acts: what a file really is, whether it is safe, and its text.

``inspect_document(name, content)`` decides the format by content (not by extension), refuses
broken, encrypted, oversized or hostile files with a Ukrainian message naming the file and the
problem (``DocumentRejected``), and extracts the text of DOCX, ODT and text PDFs. Scanned PDFs
and images come back with ``text_status=OCR_PENDING`` for the worker to recognise
(``ocr_image_or_pdf``). ``propose_fields(text)`` reads the number, date, title and kind from the
header of a Ukrainian act for the editor (or the importer) to confirm.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
import re
import shutil
import stat
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .choices import TextStatus


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


MIB = 1024 * 1024
DEFAULT_MAX_FILE_SIZE = 50 * MIB
# Limits for ZIP containers (DOCX, ODT): checked on the central directory, before reading.
ZIP_MAX_TOTAL = 200 * MIB  # declared uncompressed size of all members together
ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_RATIO = 100  # uncompressed : compressed, for members over ZIP_RATIO_FROM
ZIP_RATIO_FROM = 1 * MIB
IMAGE_MAX_PIXELS = 200_000_000
PDF_MAX_PAGES = 5_000
# A PDF page with fewer letters than this on average is a scan: it goes to OCR.
PDF_MIN_LETTERS_PER_PAGE = 16

FORMAT_LABELS = {
    "docx": "DOCX",
    "odt": "ODT",
    "pdf": "PDF",
    "jpg": "JPEG",
    "png": "PNG",
    "tif": "TIFF",
}
EXTENSIONS = {
    "docx": "docx",
    "odt": "odt",
    "pdf": "pdf",
    "jpg": "jpg",
    "jpeg": "jpg",
    "jpe": "jpg",
    "png": "png",
    "tif": "tif",
    "tiff": "tif",
}
IMAGE_FORMATS = frozenset({"jpg", "png", "tif"})
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_RUNS = re.compile(r"\n{3,}")


def rejected(name: str, problem: str) -> DocumentRejected:
    """The refusal of file ``name`` for ``problem`` (a Ukrainian phrase), naming the file."""
    exc = DocumentRejected(
        _("File «%(name)s»: %(problem)s") % {"name": name, "problem": problem},
        code="document_rejected",
    )
    exc.file_name = name
    exc.problem = problem
    return exc


def max_file_size() -> int:
    return getattr(settings, "ACTS_MAX_FILE_SIZE", DEFAULT_MAX_FILE_SIZE)


def check_size(name: str, size: int, max_size: int | None = None) -> None:
    """Refuse an empty file or one over the limit (callers that hold a path check the size
    before reading the file into memory)."""
    limit = max_file_size() if max_size is None else max_size
    if size == 0:
        raise rejected(name, _("the file is empty"))
    if size > limit:
        raise rejected(
            name,
            _("the file is %(size)s, more than the limit of %(limit)s")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )


def inspect_document(
    name: str, content: bytes, *, max_size: int | None = None
) -> InspectedDocument:
    """What ``content`` (uploaded as ``name``) really is, its checksum and its text.

    Raises ``DocumentRejected`` (a Ukrainian message naming the file) for an empty, oversized,
    unsupported, mislabelled, broken, encrypted or hostile file.
    """
    name = PurePosixPath(name.replace("\\", "/")).name or name
    check_size(name, len(content), max_size)
    file_format = _detect_format(name, content)
    _check_extension(name, file_format)
    if file_format == "docx":
        text, status = _docx_text(name, content), TextStatus.EXTRACTED
    elif file_format == "odt":
        text, status = _odt_text(name, content), TextStatus.EXTRACTED
    elif file_format == "pdf":
        text, status = _pdf_text(name, content)
    else:
        _check_image(name, content)
        text, status = "", TextStatus.OCR_PENDING
    text = clean_text(text)
    if status == TextStatus.EXTRACTED and not text:
        status = TextStatus.NONE
    return InspectedDocument(
        name=name,
        content=content,
        file_format=file_format,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        text=text,
        text_status=status,
    )


def clean_text(text: str) -> str:
    """Text fit for storage and search: no control characters (PostgreSQL refuses NUL), no
    trailing spaces, at most one blank line in a row."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip()


# --- what the file is --------------------------------------------------------------------------


def _detect_format(name: str, content: bytes) -> str:
    head = content[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(name, content)
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tif"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise rejected(name, _ole_problem(content))
    _refuse_unsupported(name, _describe_unsupported(head))


def _ole_problem(content: bytes) -> str:
    """An OLE compound file: an encrypted DOCX/XLSX, an old .doc, or another old Office file."""
    if "EncryptedPackage".encode("utf-16-le") in content:
        return _("the file is protected by a password: remove the password and upload it again")
    if "WordDocument".encode("utf-16-le") in content:
        return _("the file is in the old .doc format: save it as DOCX or PDF")
    return _("the file is password-protected or in the old .doc format: save it as DOCX or PDF")


def _describe_unsupported(head: bytes) -> str:
    sample = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sample.startswith((b"mz", b"\x7felf")) or head.startswith(b"#!"):
        return pgettext("file format", "executable program")
    if b"<svg" in sample:
        return pgettext("file format", "SVG image")
    if sample.startswith((b"<!doctype html", b"<html")) or b"<html" in sample:
        return pgettext("file format", "web page (HTML)")
    if sample.startswith(b"<?xml") or sample.startswith(b"<"):
        return "XML"
    if sample.startswith(b"{\\rtf"):
        return "RTF"
    if sample.startswith((b"rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        return pgettext("file format", "archive")
    if sample.startswith((b"gif8",)):
        return "GIF"
    return pgettext("file format", "unknown")


def _refuse_unsupported(name: str, what: str) -> NoReturn:
    extension = _extension(name)
    if extension in EXTENSIONS:
        raise rejected(
            name,
            _("the extension .%(extension)s does not match the content, which is %(format)s")
            % {"extension": extension, "format": what},
        )
    raise rejected(
        name,
        _("the format (%(format)s) is not accepted: upload DOCX, ODT, PDF, JPEG, PNG or TIFF")
        % {"format": what},
    )


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lstrip(".").lower()


def _check_extension(name: str, file_format: str) -> None:
    extension = _extension(name)
    if EXTENSIONS.get(extension) == file_format:
        return
    label = FORMAT_LABELS[file_format]
    if not extension:
        raise rejected(
            name,
            _("the file has no extension; its content is %(format)s: name it .%(suggested)s")
            % {"format": label, "suggested": file_format},
        )
    raise rejected(
        name,
        _("the extension .%(extension)s does not match the content, which is %(format)s")
        % {"extension": extension, "format": label},
    )


def _zip_format(name: str, content: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise rejected(name, _("the file is damaged and cannot be read")) from exc
    with archive:
        check_zip(name, archive)
        names = set(archive.namelist())
        if "word/document.xml" in names:
            return "docx"
        if "mimetype" in names:
            mimetype = read_member(name, archive, "mimetype", limit=256).strip()
            if mimetype == ODT_MIMETYPE:
                return "odt"
            if mimetype.startswith(b"application/vnd.oasis.opendocument."):
                _refuse_unsupported(
                    name, pgettext("file format", "OpenDocument spreadsheet or presentation")
                )
        if "xl/workbook.xml" in names or "ppt/presentation.xml" in names:
            _refuse_unsupported(
                name, pgettext("file format", "Excel workbook or PowerPoint presentation")
            )
        if "[Content_Types].xml" in names:
            raise rejected(name, _("the file is damaged and cannot be read"))
        _refuse_unsupported(name, pgettext("file format", "ZIP archive"))


# --- ZIP safety --------------------------------------------------------------------------------


def zip_member_is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def unsafe_member_name(member: str) -> bool:
    """Whether a member name could escape the folder it is unpacked into."""
    if not member or "\x00" in member:
        return True
    if member.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", member):
        return True
    parts = re.split(r"[\\/]+", member)
    return any(part == ".." for part in parts)


def check_zip(
    name: str,
    archive: zipfile.ZipFile,
    *,
    max_total: int = ZIP_MAX_TOTAL,
    max_members: int = ZIP_MAX_MEMBERS,
    max_ratio: int = ZIP_MAX_RATIO,
    ratio_from: int = ZIP_RATIO_FROM,
) -> None:
    """Refuse a ZIP (a DOCX, an ODT or an uploaded archive) that is a bomb or hostile, from the
    sizes its central directory declares, before a byte is decompressed: too many members, too
    much in total, a member compressed suspiciously well, a path escaping the folder, a
    symbolic link or an encrypted member."""
    infos = archive.infolist()
    if len(infos) > max_members:
        raise rejected(
            name,
            _("the archive holds too many files (%(count)s, at most %(limit)s)")
            % {"count": len(infos), "limit": max_members},
        )
    total = 0
    for info in infos:
        member = info.filename
        if unsafe_member_name(member):
            raise rejected(name, _("«%(member)s» inside has an unsafe path") % {"member": member})
        if zip_member_is_symlink(info):
            raise rejected(name, _("«%(member)s» inside is a symbolic link") % {"member": member})
        if info.flag_bits & 0x1:
            raise rejected(name, _("the file is protected by a password"))
        total += info.file_size
        if info.file_size > max_total or total > max_total:
            raise rejected(
                name,
                _("the archive would unpack to more than %(limit)s, which looks like a zip bomb")
                % {"limit": filesizeformat(max_total)},
            )
        if info.file_size > ratio_from:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > max_ratio:
                raise rejected(
                    name,
                    _(
                        "«%(member)s» inside is compressed %(ratio)d times, which looks like a "
                        "zip bomb"
                    )
                    % {"member": member, "ratio": ratio},
                )


def read_member(
    name: str, archive: zipfile.ZipFile, member: str | zipfile.ZipInfo, *, limit: int | None = None
) -> bytes:
    """A member's bytes, never more than it declared (or ``limit``): a member that lies about
    its size cannot inflate past the checks ``check_zip`` made."""
    info = member if isinstance(member, zipfile.ZipInfo) else archive.getinfo(member)
    cap = info.file_size if limit is None else min(limit, info.file_size)
    try:
        with archive.open(info) as stream:
            data = stream.read(cap + 1)
    except (zipfile.BadZipFile, RuntimeError, ValueError, OSError, EOFError) as exc:
        raise rejected(name, _("the file is damaged and cannot be read")) from exc
    if len(data) > cap and limit is None:
        raise rejected(name, _("the file is damaged and cannot be read"))
    return data[:cap]


def _parse_xml(name: str, data: bytes):
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise rejected(name, _("the document contains unsafe XML (DTD or entities)")) from exc
    except (ParseError, ValueError) as exc:
        raise rejected(name, _("the file is damaged and cannot be read")) from exc


# --- text: DOCX, ODT ---------------------------------------------------------------------------


def _docx_text(name: str, content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        root = _parse_xml(name, read_member(name, archive, "word/document.xml"))
    body = root.find(f"{_W}body")
    if body is None:
        raise rejected(name, _("the file is damaged and cannot be read"))
    return "\n".join(_docx_blocks(body))


def _docx_blocks(element):
    """Lines of a DOCX body in reading order: a paragraph a line, a table row a line with its
    cells separated by tabs; content controls and custom XML are looked into."""
    for child in element:
        tag = child.tag
        if tag == f"{_W}p":
            yield _docx_paragraph(child)
        elif tag == f"{_W}tbl":
            for row in child.findall(f"{_W}tr"):
                cells = [
                    " ".join(line for line in _docx_blocks(cell) if line.strip())
                    for cell in row.findall(f"{_W}tc")
                ]
                yield "\t".join(cells)
        elif tag in {f"{_W}sectPr", _MC_FALLBACK}:
            continue
        else:
            yield from _docx_blocks(child)


def _docx_paragraph(paragraph) -> str:
    parts: list[str] = []

    def walk(element):
        for child in element:
            tag = child.tag
            if tag == _MC_FALLBACK:
                continue
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag == f"{_W}tab":
                parts.append("\t")
            elif tag in {f"{_W}br", f"{_W}cr"}:
                parts.append("\n")
            elif tag == f"{_W}p":  # a paragraph of a text box inside this one
                parts.append(" ")
                walk(child)
            else:
                walk(child)

    walk(paragraph)
    return "".join(parts)


def _odt_text(name: str, content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if "content.xml" not in archive.namelist():
            raise rejected(name, _("the file is damaged and cannot be read"))
        root = _parse_xml(name, read_member(name, archive, "content.xml"))
    body = root.find(f"{_OFFICE}body/{_OFFICE}text")
    if body is None:
        raise rejected(name, _("the file is damaged and cannot be read"))
    return "\n".join(_odt_blocks(body))


def _odt_blocks(element):
    for child in element:
        tag = child.tag
        if tag in {f"{_TEXT}p", f"{_TEXT}h"}:
            yield _odt_inline(child)
        elif tag == f"{_TABLE}table":
            for row in _odt_rows(child):
                cells = [
                    " ".join(line for line in _odt_blocks(cell) if line.strip())
                    for cell in row.findall(f"{_TABLE}table-cell")
                ]
                yield "\t".join(cells)
        elif tag in {
            f"{_OFFICE}annotation",
            f"{_TEXT}tracked-changes",
            f"{_TEXT}sequence-decls",
            f"{_TABLE}table-columns",
        }:
            continue
        else:
            yield from _odt_blocks(child)


def _odt_rows(table):
    """The rows of an ODT table, also those inside header-row and row groups (not the rows of
    tables nested in cells: those come with their cell)."""
    for child in table:
        if child.tag == f"{_TABLE}table-row":
            yield child
        elif child.tag in {
            f"{_TABLE}table-header-rows",
            f"{_TABLE}table-rows",
            f"{_TABLE}table-row-group",
        }:
            yield from _odt_rows(child)


def _odt_inline(element) -> str:
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == f"{_TEXT}s":
            parts.append(" " * int(child.get(f"{_TEXT}c", "1") or 1))
        elif tag == f"{_TEXT}tab":
            parts.append("\t")
        elif tag == f"{_TEXT}line-break":
            parts.append("\n")
        elif tag in {f"{_OFFICE}annotation", f"{_TEXT}note"}:
            pass
        else:
            parts.append(_odt_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


# --- text: PDF ---------------------------------------------------------------------------------


def _pdf_text(name: str, content: bytes) -> tuple[str, str]:
    """The text layer of a PDF; a PDF without one (a scan) is left for OCR."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    pypdf_logger = logging.getLogger("pypdf")
    level = pypdf_logger.level
    pypdf_logger.setLevel(logging.ERROR)  # broken files are refused below, not logged
    try:
        try:
            reader = PdfReader(io.BytesIO(content), strict=False)
            if reader.is_encrypted:
                # A PDF with only an owner password (printing/editing restrictions) opens
                # for everybody; one that needs a password to open is refused.
                try:
                    opened = reader.decrypt("")
                except (DependencyError, NotImplementedError) as exc:
                    raise rejected(name, _("the file is protected by a password")) from exc
                if not opened:
                    raise rejected(name, _("the file is protected by a password"))
            pages = reader.pages
            count = len(pages)
        except DocumentRejected:
            raise
        except FileNotDecryptedError as exc:
            raise rejected(name, _("the file is protected by a password")) from exc
        except Exception as exc:  # pypdf raises many kinds of errors on broken input
            raise rejected(name, _("the file is damaged and cannot be read")) from exc
        if count == 0:
            raise rejected(name, _("the document has no pages"))
        texts = []
        for index, page in enumerate(pages):
            if index >= PDF_MAX_PAGES:
                break
            try:
                texts.append(page.extract_text() or "")
            except FileNotDecryptedError as exc:
                raise rejected(name, _("the file is protected by a password")) from exc
            except Exception as exc:  # a page pypdf cannot interpret
                raise rejected(name, _("the file is damaged and cannot be read")) from exc
    finally:
        pypdf_logger.setLevel(level)
    text = "\n\n".join(texts)
    letters = sum(1 for char in text if char.isalnum())
    if letters < PDF_MIN_LETTERS_PER_PAGE * min(count, PDF_MAX_PAGES):
        return "", TextStatus.OCR_PENDING
    return text, TextStatus.EXTRACTED


def _check_image(name: str, content: bytes) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            if width * height > IMAGE_MAX_PIXELS:
                raise rejected(
                    name,
                    _("the image is too large (%(pixels)d megapixels)")
                    % {"pixels": width * height // 1_000_000},
                )
            image.verify()
    except DocumentRejected:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        raise rejected(name, _("the file is damaged and cannot be read")) from exc


# --- fields from the text ----------------------------------------------------------------------

MONTHS = {
    "січня": 1,
    "лютого": 2,
    "березня": 3,
    "квітня": 4,
    "травня": 5,
    "червня": 6,
    "липня": 7,
    "серпня": 8,
    "вересня": 9,
    "жовтня": 10,
    "листопада": 11,
    "грудня": 12,
}
_QUOTE = r"[«»\"“”„'’`]?"
_NUMERIC_DATE = r"(?P<d>\d{1,2})\s?[./]\s?(?P<m>\d{1,2})\s?[./]\s?(?P<y>\d{4})"
_VERBAL_DATE = (
    rf"{_QUOTE}\s*(?P<vd>\d{{1,2}})\s*{_QUOTE}\s+(?P<vm>{'|'.join(MONTHS)})\s+(?P<vy>\d{{4}})"
)
DATE_RE = re.compile(rf"(?:{_NUMERIC_DATE}|{_VERBAL_DATE})(?:\s*(?:року|р\.|р\b))?", re.I)
# «№», and how OCR misreads it («Ме 245», «Мо 245», «Ne 245») when a word of its own.
NUMBER_RE = re.compile(
    r"(?:№|N°|No\.?|(?<!\w)(?:Ме|Мо|Ne)(?=\s+\d))\s*"
    r"(?P<number>\d+(?:\s?[-–—/]\s?[0-9A-Za-zА-ЩЬЮЯҐЄІЇа-щьюяґєії]+)*)"
)
TITLE_START = re.compile(r"^\s*про\s+\S", re.I)
BODY_START = re.compile(
    r"^\s*(відповідно|керуючись|розглянувши|заслухавши|з\s+метою|на\s+підставі|враховуючи|"
    r"у\s+зв.язку|в\s+зв.язку|згідно|беручи|з\s+урахуванням|на\s+виконання|вирішила|"
    r"вирішив|зобов.язую|постановляє)",
    re.I,
)
_LETTER_SPACED = re.compile(r"^(?:[А-ЩЬЮЯҐЄІЇA-Z]\s){3,}[А-ЩЬЮЯҐЄІЇA-Z]$")
HEADER_LINES = 40


def _header_lines(text: str) -> list[str]:
    lines = []
    for raw in text.split("\n")[: HEADER_LINES * 3]:
        line = " ".join(raw.replace("\t", " ").split())
        if _LETTER_SPACED.match(line):  # «Р І Ш Е Н Н Я»
            line = line.replace(" ", "")
        lines.append(line)
    return lines


def _find_title(lines: list[str]) -> tuple[str | None, int | None, int | None]:
    """The «Про …» title: its first line and the following ones up to a blank line, the start
    of the body or the end of a sentence."""
    seen = 0
    for start, line in enumerate(lines):
        if line:
            seen += 1
        if seen > HEADER_LINES:
            break
        if not TITLE_START.match(line):
            continue
        parts = [line]
        end = start
        for following in lines[start + 1 : start + 8]:
            if parts[-1].endswith((".", ":", ";", "!", "?")):
                break
            if not following or BODY_START.match(following):
                break
            if DATE_RE.search(following) and NUMBER_RE.search(following):
                break
            parts.append(following)
            end += 1
        title = " ".join(parts).strip().rstrip(".:;").strip()
        return title[:1000], start, end
    return None, None, None


def _parse_date(match: re.Match, warnings: list[str]) -> dt.date | None:
    if match.group("d"):
        day, month, year = int(match.group("d")), int(match.group("m")), int(match.group("y"))
    else:
        day = int(match.group("vd"))
        month = MONTHS[match.group("vm").lower()]
        year = int(match.group("vy"))
    try:
        value = dt.date(year, month, day)
    except ValueError:
        warnings.append(
            _("the date %(date)s does not exist") % {"date": f"{day:02d}.{month:02d}.{year}"}
        )
        return None
    if not 1990 <= year <= 2100:
        warnings.append(_("the date %(date)s is implausible") % {"date": f"{value:%d.%m.%Y}"})
        return None
    return value


def _kind_hint(header: str) -> str | None:
    upper = header.upper()
    is_draft = re.search(r"\bПРО[ЄЕ]КТ\b", header) is not None
    executive = "ВИКОНАВЧИЙ КОМІТЕТ" in upper or "ВИКОНАВЧОГО КОМІТЕТУ" in upper
    if "ПРОТОКОЛ" in header:
        if executive:
            return "executive-minutes"
        return "session-minutes"
    if "РОЗПОРЯДЖЕННЯ" in header:
        return "draft-head-order" if is_draft else "head-order"
    if "РІШЕННЯ" in header:
        if executive:
            return "draft-executive-decision" if is_draft else "executive-decision"
        return "draft-council-decision" if is_draft else "council-decision"
    return None


def propose_fields(text: str) -> dict:
    """Number, date, title and kind proposed from the header of a Ukrainian act.

    Understands «від 12.03.2021 № 245», «12.03.2021 № 245-VIII», «від 12 березня 2021 року
    № 45-од», «№ 245 від 12.03.2021»; the title is the «Про …» line(s). Returns
    ``{"number", "date", "title", "kind_hint", "warnings"}``; what is not found is ``None``
    (``number`` ``""``), and an impossible date (31.02.2021) is ``None`` with a warning.
    """
    lines = _header_lines(text or "")
    warnings: list[str] = []
    title, title_start, title_end = _find_title(lines)
    before = lines[:title_start] if title_start is not None else lines[:HEADER_LINES]
    after = lines[title_end + 1 : title_end + 1 + HEADER_LINES] if title_end is not None else []

    number, date = "", None
    date_found = False
    for region in (before, after):
        for line in region:
            number_match = NUMBER_RE.search(line)
            date_match = DATE_RE.search(line)
            if number_match and date_match:
                number = number_match.group("number")
                date = _parse_date(date_match, warnings)
                date_found = True
                break
        if date_found:
            break
    if not date_found:  # the date and the number on separate lines
        for region in (before, after):
            for line in region:
                if not number and (match := NUMBER_RE.search(line)):
                    number = match.group("number")
                if not date_found and (match := DATE_RE.search(line)):
                    date = _parse_date(match, warnings)
                    date_found = True
            if date_found:
                break
    number = re.sub(r"\s*[-–—]\s*", "-", number).strip()
    header = "\n".join(before if title_start is not None else lines[:HEADER_LINES])
    return {
        "number": number,
        "date": date,
        "title": title,
        "kind_hint": _kind_hint(header),
        "warnings": warnings,
    }


# --- OCR ---------------------------------------------------------------------------------------


class OcrFailed(Exception):
    """OCR could not run or produced nothing; the message says why (in Ukrainian)."""


def ocr_image_or_pdf(
    source: bytes | str | os.PathLike,
    file_format: str,
    *,
    timeout: float | None = None,
    max_pages: int | None = None,
    language: str = "ukr",
) -> str:
    """Recognise the text of a scanned PDF or an image with Tesseract (``-l ukr``).

    A PDF is rendered page by page with ``pdftoppm -r 200 -png``. At most ``max_pages`` pages
    (``ACTS_OCR_MAX_PAGES``, 50) and ``timeout`` seconds in all (``ACTS_OCR_TIMEOUT``, 600) are
    spent; ``OcrFailed`` says why when it cannot be done.
    """
    timeout = timeout or getattr(settings, "ACTS_OCR_TIMEOUT", 600)
    max_pages = max_pages or getattr(settings, "ACTS_OCR_MAX_PAGES", 50)
    if shutil.which("tesseract") is None:
        raise OcrFailed(_("OCR is not available: the tesseract program is not installed"))
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryDirectory(prefix="ratusha-ocr-") as tmp:
        folder = Path(tmp)
        if isinstance(source, bytes):
            path = folder / f"source.{file_format}"
            path.write_bytes(source)
        else:
            path = Path(source)
        if file_format == "pdf":
            images = _render_pdf(path, folder, max_pages, deadline)
        elif file_format == "tif":
            images = _split_tiff(path, folder, max_pages)
        elif file_format in IMAGE_FORMATS:
            images = [path]
        else:
            raise OcrFailed(_("OCR reads only PDF and images, not %(f)s") % {"f": file_format})
        if not images:
            raise OcrFailed(_("the document has no pages"))
        listing = folder / "pages.txt"
        listing.write_text("\n".join(str(image) for image in images) + "\n")
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        result = _run(["tesseract", str(listing), "stdout", "-l", language], deadline, env=env)
    text = clean_text(result.decode("utf-8", "replace").replace("\f", "\n\n"))
    return text


def _run(command: list[str], deadline: float, *, env=None) -> bytes:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise OcrFailed(_("OCR took too long and was stopped"))
    try:
        completed = subprocess.run(
            command, capture_output=True, timeout=remaining, check=False, env=env
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrFailed(_("OCR took too long and was stopped")) from exc
    except OSError as exc:
        raise OcrFailed(_("OCR could not run: %(error)s") % {"error": exc}) from exc
    if completed.returncode != 0:
        detail = completed.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise OcrFailed(_("OCR could not run: %(error)s") % {"error": detail[0][:200]})
    return completed.stdout


def _render_pdf(path: Path, folder: Path, max_pages: int, deadline: float) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        raise OcrFailed(_("OCR is not available: the pdftoppm program is not installed"))
    prefix = folder / "page"
    _run(
        ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", str(max_pages), str(path), str(prefix)],
        deadline,
    )
    return sorted(folder.glob("page*.png"))


def _split_tiff(path: Path, folder: Path, max_pages: int) -> list[Path]:
    from PIL import Image, ImageSequence

    images = []
    try:
        with Image.open(path) as tiff:
            for index, frame in enumerate(ImageSequence.Iterator(tiff)):
                if index >= max_pages:
                    break
                target = folder / f"page-{index:04d}.png"
                frame.save(target, format="PNG")
                images.append(target)
    except (OSError, ValueError) as exc:
        raise OcrFailed(_("the file is damaged and cannot be read")) from exc
    return images
