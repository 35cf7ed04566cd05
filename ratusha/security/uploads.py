"""Uploads through Wagtail: images re-encoded, documents checked by content.

Images (photos, banners, deputies' photos, the logo): the type is decided by the content
(Wagtail's field opens the file with Willow and refuses an extension that does not match);
only GIF, JPEG, PNG and WebP are allowed (``WAGTAILIMAGES_EXTENSIONS``: never SVG, which can
carry script); size and pixel limits are Wagtail's settings. Each accepted image is decoded and
encoded again with Pillow in its own format: EXIF (GPS position, camera, owner), XMP, ICC and
comments are dropped; the EXIF orientation is applied to the pixels first, so nothing turns
sideways; animation frames are kept.

``SafeImageForm`` (``WAGTAILIMAGES_IMAGE_FORM_BASE``) does it in every upload form of the admin
(single, multiple, chooser), with Ukrainian messages. ``reencode_new_image_file`` is the same
step at the moment the image is stored, for images made without the form (the album's bulk
upload, importers, the demo): it is connected to ``pre_save`` of the image model as a
safety net, not as business logic.

Documents (``WAGTAILDOCS_DOCUMENT_FORM_BASE``): an allow-list of extensions
(``WAGTAILDOCS_EXTENSIONS``), and the content must be what the extension says (PDF, the OLE2
container of .doc/.xls, the ZIP of .docx/.xlsx/.odt/.ods, RTF, plain text without markup);
HTML, SVG and XML are refused whatever their name. Wagtail serves them with ``nosniff``, a
``default-src 'none'`` policy and ``Content-Disposition: attachment`` for all but PDF.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image as PillowImage
from PIL import ImageOps, UnidentifiedImageError
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

SANITIZED = "_ratusha_reencoded"
_KEPT_INFO = ("icc_profile", "transparency")
_PILLOW_FORMATS = {"JPEG": "jpeg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


class UploadRefused(ValueError):
    """A file that may not be stored; the message names it and says why, in Ukrainian."""


def reencode_image(data: bytes, name: str) -> tuple[bytes, str]:
    """The image in ``data`` decoded and encoded again without metadata; (bytes, format)."""
    try:
        with PillowImage.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = PillowImage.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UploadRefused(
            _("«%(name)s» is not an image in a supported format (JPEG, PNG, GIF, WebP).")
            % {"name": name}
        ) from exc
    except PillowImage.DecompressionBombError as exc:
        raise UploadRefused(_("«%(name)s» has too many pixels.") % {"name": name}) from exc
    source_format = image.format
    if source_format not in _PILLOW_FORMATS:
        raise UploadRefused(
            _("«%(name)s» is not an image in a supported format (JPEG, PNG, GIF, WebP).")
            % {"name": name}
        )
    output = io.BytesIO()
    animated = getattr(image, "is_animated", False) and getattr(image, "n_frames", 1) > 1
    if animated:
        frames = [frame.copy() for frame in _frames(image)]
        options = {"save_all": True, "append_images": frames[1:], "loop": image.info.get("loop", 0)}
        if "duration" in image.info:
            options["duration"] = image.info["duration"]
        frames[0].save(output, format=source_format, **options)
    else:
        clean = ImageOps.exif_transpose(image)
        # Only the colour profile survives: comments, EXIF, XMP and the rest are dropped.
        kept = {key: clean.info[key] for key in _KEPT_INFO if key in clean.info}
        clean.info = {}
        if source_format == "JPEG":
            if clean.mode not in ("RGB", "L"):
                clean = clean.convert("RGB")
            options = {"icc_profile": kept["icc_profile"]} if "icc_profile" in kept else {}
            clean.save(output, format="JPEG", quality=90, optimize=True, **options)
        else:
            clean.save(output, format=source_format, **_plain_options(source_format, kept))
    return output.getvalue(), _PILLOW_FORMATS[source_format]


def _plain_options(source_format: str, kept: dict) -> dict:
    options = {key: value for key, value in kept.items() if value is not None}
    if source_format == "PNG":
        options["optimize"] = True
    elif source_format == "WEBP":
        options["quality"] = 90
        options.pop("transparency", None)
    return options


def _frames(image):
    for index in range(image.n_frames):
        image.seek(index)
        yield image


def reencoded_upload(upload, name: str | None = None) -> SimpleUploadedFile:
    name = name or Path(getattr(upload, "name", "") or "image").name
    if hasattr(upload, "seek"):
        upload.seek(0)
    data, image_format = reencode_image(upload.read(), name)
    stem = Path(name).stem or "image"
    extension = "jpg" if image_format == "jpeg" else image_format
    result = SimpleUploadedFile(f"{stem}.{extension}", data, content_type=f"image/{image_format}")
    setattr(result, SANITIZED, True)
    return result


class SafeImageForm(BaseImageForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload  # editing the title or tags: the stored file stays
        try:
            return reencoded_upload(upload)
        except UploadRefused as refusal:
            raise forms.ValidationError(str(refusal), code="invalid_image") from refusal


def reencode_new_image_file(sender, instance, **kwargs):
    """``pre_save`` of the image model: re-encode a newly given file the form did not."""
    field_file = instance.file
    if not field_file or getattr(field_file, "_committed", True):
        return
    underlying = getattr(field_file, "file", None)
    if underlying is None or getattr(underlying, SANITIZED, False):
        return
    from wagtail.utils.file import hash_filelike

    clean = reencoded_upload(underlying, Path(field_file.name or "image").name)
    data = clean.read()
    clean.seek(0)
    instance.file = clean
    instance.file_size = len(data)
    instance.width, instance.height = PillowImage.open(io.BytesIO(data)).size
    instance.file_hash = hash_filelike(io.BytesIO(data))


# Documents ----------------------------------------------------------------------------------

_MARKUP = (b"<html", b"<!doctype", b"<svg", b"<script", b"<?xml", b"<body", b"<iframe")
_ZIP_FORMATS = {"docx", "xlsx", "odt", "ods", "zip"}
_OLE_FORMATS = {"doc", "xls"}


def document_max_bytes() -> int:
    return int(getattr(settings, "RATUSHA_DOCUMENT_MAX_BYTES", 50 * 1024 * 1024))


def check_document(upload, name: str) -> None:
    """Raise ``UploadRefused`` unless ``upload``'s content is what its extension says."""
    extension = Path(name).suffix.lower().lstrip(".")
    allowed = [e.lower() for e in getattr(settings, "WAGTAILDOCS_EXTENSIONS", []) or []]
    if allowed and extension not in allowed:
        raise UploadRefused(
            _("«%(name)s»: files of this type are not accepted (allowed: %(allowed)s).")
            % {"name": name, "allowed": ", ".join(allowed)}
        )
    if upload.size > document_max_bytes():
        raise UploadRefused(
            _("«%(name)s» is larger than %(limit)s.")
            % {"name": name, "limit": filesizeformat(document_max_bytes())}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    wrong = UploadRefused(
        _("«%(name)s» is not really a .%(extension)s file; its content is of another type.")
        % {"name": name, "extension": extension}
    )
    if extension == "pdf":
        if not head.lstrip()[:5] == b"%PDF-":
            raise wrong
        _check_pdf(upload, name)
    elif extension in _OLE_FORMATS:
        if not head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            raise wrong
    elif extension in _ZIP_FORMATS:
        _check_zip(upload, name, wrong)
    elif extension == "rtf":
        if not head.startswith(b"{\\rtf"):
            raise wrong
    elif extension in {"txt", "csv"}:
        if b"\x00" in head:
            raise wrong
        lowered = head.lower()
        if any(marker in lowered for marker in _MARKUP):
            raise UploadRefused(
                _("«%(name)s» contains HTML, SVG or XML markup and is not accepted.")
                % {"name": name}
            )


def _check_pdf(upload, name) -> None:
    """A PDF must open and have pages (one needing a password to open is let through: its
    pages cannot be counted, and the library may hold such files)."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    pypdf_logger = logging.getLogger("pypdf")
    level = pypdf_logger.level
    pypdf_logger.setLevel(logging.ERROR)
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            return
        pages = len(reader.pages)
    except FileNotDecryptedError:
        return
    except Exception as exc:  # pypdf raises many kinds of errors on broken input
        raise UploadRefused(
            _("«%(name)s» is damaged: it cannot be read as a PDF.") % {"name": name}
        ) from exc
    finally:
        pypdf_logger.setLevel(level)
        upload.seek(0)
    if pages == 0:
        raise UploadRefused(
            _("«%(name)s» is damaged: it cannot be read as a PDF.") % {"name": name}
        )


# An archive that unpacks to more than this, or this many times its size, is refused.
ZIP_MAX_UNPACKED = 500 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_MAX_MEMBERS = 10_000


def _check_zip(upload, name, wrong) -> None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise wrong from exc
    finally:
        upload.seek(0)
    total = sum(member.file_size for member in members)
    if (
        len(members) > ZIP_MAX_MEMBERS
        or total > ZIP_MAX_UNPACKED
        or total > ZIP_MAX_RATIO * max(upload.size, 1)
    ):
        raise UploadRefused(
            _("«%(name)s» unpacks to too much data (a possible archive bomb).") % {"name": name}
        )
    for member in members:
        path = member.filename.replace("\\", "/")
        if path.startswith("/") or ".." in path.split("/") or ":" in path.split("/")[0]:
            raise UploadRefused(
                _("«%(name)s» contains a file with an unsafe path: %(path)s")
                % {"name": name, "path": member.filename}
            )


class SafeDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload
        try:
            check_document(upload, Path(upload.name).name)
        except UploadRefused as refusal:
            raise forms.ValidationError(str(refusal), code="invalid_document") from refusal
        return upload
