import io
import zipfile

import pytest
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db

GPS_TAG = 0x8825
ORIENTATION_TAG = 0x0112


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _jpeg_with_gps(width=40, height=20) -> bytes:
    """A photo as a phone makes it: GPS position, camera, and turned by the EXIF orientation."""
    image = PillowImage.new("RGB", (width, height), "#0057b8")
    exif = PillowImage.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[ORIENTATION_TAG] = 6  # rotate 90° clockwise to show
    exif.get_ifd(GPS_TAG).update({1: "N", 2: (50.0, 27.0, 0.0), 3: "E", 4: (30.0, 31.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"owner: someone")
    return buffer.getvalue()


def _upload_image(client, name, content, content_type="image/jpeg"):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": "Фото", "file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def test_uploaded_photo_loses_gps_and_camera_but_keeps_its_orientation(client, administrator):
    client.force_login(administrator)
    # Given a phone photo with a GPS position and an orientation tag
    response = _upload_image(client, "street.jpg", _jpeg_with_gps())
    assert response.status_code == 302, response.content.decode()[:2000]
    image = get_image_model().objects.get()
    # Then the stored file has no EXIF at all, and the pixels are turned as the phone showed
    with image.open_file() as stored, PillowImage.open(stored) as result:
        assert result.format == "JPEG"
        assert not result.getexif()
        assert "comment" not in result.info
        assert result.size == (20, 40)
    assert (image.width, image.height) == (20, 40)


def test_svg_is_refused(client, administrator):
    client.force_login(administrator)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = _upload_image(client, "logo.svg", svg, "image/svg+xml")
    assert response.status_code == 200
    assert not get_image_model().objects.exists()
    assert response.context["form"].errors["file"]


def test_html_named_as_a_photo_is_refused(client, administrator):
    client.force_login(administrator)
    response = _upload_image(client, "photo.jpg", b"<html><script>alert(1)</script></html>")
    assert response.status_code == 200
    assert not get_image_model().objects.exists()


def test_png_named_as_jpeg_is_refused_by_its_content(client, administrator):
    client.force_login(administrator)
    buffer = io.BytesIO()
    PillowImage.new("RGB", (4, 4)).save(buffer, "PNG")
    response = _upload_image(client, "photo.jpg", buffer.getvalue())
    assert response.status_code == 200
    assert not get_image_model().objects.exists()


def test_image_over_the_pixel_limit_is_refused(client, administrator, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 1000
    client.force_login(administrator)
    response = _upload_image(client, "big.jpg", _jpeg_with_gps(100, 100))
    assert response.status_code == 200
    assert not get_image_model().objects.exists()


def test_image_stored_without_the_form_is_reencoded_too(db):
    # Given code that makes an image directly (the album's bulk upload, importers, the demo)
    image = get_image_model().objects.create(
        title="Фото", file=ImageFile(io.BytesIO(_jpeg_with_gps()), name="direct.jpg")
    )
    # Then the stored file carries no metadata either
    with image.open_file() as stored, PillowImage.open(stored) as result:
        assert not result.getexif()
        assert result.size == (20, 40)
    assert image.file_size == image.file.size


def test_animated_gif_keeps_its_frames():
    from ratusha.security.uploads import reencode_image

    frames = [PillowImage.new("RGB", (8, 8), colour) for colour in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    data, image_format = reencode_image(buffer.getvalue(), "a.gif")
    assert image_format == "gif"
    with PillowImage.open(io.BytesIO(data)) as result:
        assert result.n_frames == 3


# Documents ------------------------------------------------------------------------------------


def _upload_document(client, name, content):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": "Документ", "file": SimpleUploadedFile(name, content)},
    )


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content",
    [
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("data.xml", b"<?xml version='1.0'?><a/>"),
        ("decision.pdf", b"<html><script>alert(1)</script></html>"),
        ("notes.txt", b"<!DOCTYPE html><html><body onload=alert(1)>"),
        ("table.docx", b"plain text, not a zip"),
        ("bundle.zip", _zip({"../../etc/cron.d/x": b"evil"})),
        ("bomb.zip", _zip({"zeros.txt": b"\0" * (30 * 1024 * 1024)})),
    ],
    ids=["html", "svg", "xml", "html-as-pdf", "html-as-txt", "fake-docx", "traversal", "bomb"],
)
def test_risky_documents_are_refused(client, administrator, name, content):
    client.force_login(administrator)
    response = _upload_document(client, name, content)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not get_document_model().objects.exists()


def real_pdf() -> bytes:
    """A one-page PDF (a header alone is refused as damaged)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_with_only_a_header_is_refused_as_damaged(client, administrator):
    client.force_login(administrator)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = _upload_document(client, "rishennia.pdf", pdf)
    assert response.status_code == 200
    assert "rishennia.pdf" in str(response.context["form"].errors["file"])
    assert not get_document_model().objects.exists()


def test_a_real_pdf_is_accepted_and_served_safely(client, administrator):
    client.force_login(administrator)
    response = _upload_document(client, "rishennia.pdf", real_pdf())
    assert response.status_code == 302
    document = get_document_model().objects.get()
    served = client.get(document.url)
    assert served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "default-src 'none'"


def test_spreadsheet_is_served_as_an_attachment(client, administrator):
    client.force_login(administrator)
    csv = "Назва;Кількість\nВідділ;3\n".encode()
    assert _upload_document(client, "zvit.csv", csv).status_code == 302
    document = get_document_model().objects.get()
    served = client.get(document.url)
    assert served["Content-Disposition"].startswith("attachment")
