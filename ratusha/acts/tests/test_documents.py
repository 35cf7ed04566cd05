"""Files of acts: format by content, refusals with Ukrainian messages, text extraction, fields
proposed from the header, OCR of scans and the OCR task.

The builders at the top (``make_docx``, ``make_odt``, ``make_pdf``, ``make_scan_png``…) make
the files in the test; the import tests and the benchmark use them too.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import struct
import zipfile
from unittest import mock

import pytest
from django.utils import translation

from ratusha.acts import services
from ratusha.acts.choices import TextStatus
from ratusha.acts.documents import (
    DocumentRejected,
    inspect_document,
    ocr_image_or_pdf,
    propose_fields,
)

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

DECISION = [
    "УКРАЇНА",
    "ХОРОБРІВСЬКА СЕЛИЩНА РАДА",
    "ВОСЬМЕ СКЛИКАННЯ",
    "РІШЕННЯ",
    "від 12.03.2021 № 245-VIII",
    "",
    "Про затвердження Положення",
    "про старосту",
    "",
    "Відповідно до статті 54-1 Закону України «Про місцеве самоврядування в Україні» "
    "селищна рада ВИРІШИЛА:",
    "1. Затвердити Положення про старосту.",
]


# --- builders ----------------------------------------------------------------------------------


def make_docx(lines: list[str], table: list[list[str]] | None = None) -> bytes:
    from docx import Document

    document = Document()
    for line in lines:
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
        document.add_paragraph("Кінець.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_odt(lines: list[str]) -> bytes:
    from xml.sax.saxutils import escape

    paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in lines)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2">'
        "<office:body><office:text>"
        f"{paragraphs}"
        "<table:table><table:table-row><table:table-cell><text:p>Клітинка 1</text:p>"
        '</table:table-cell><table:table-cell><text:p>Клітинка<text:s text:c="2"/>2</text:p>'
        "</table:table-cell></table:table-row></table:table>"
        "</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _pdf_literal(line: str) -> str:
    out = []
    for byte in line.encode("cp1251"):
        char = chr(byte)
        if char in "()\\":
            out.append("\\" + char)
        elif 32 <= byte < 127:
            out.append(char)
        else:
            out.append(f"\\{byte:03o}")
    return "".join(out)


def _to_unicode_cmap() -> bytes:
    """Byte codes (Windows-1251) to Unicode, so the text of the PDF can be extracted."""
    pairs = [(code, bytes([code]).decode("cp1251", "replace")) for code in range(0x80, 0x100)]
    pairs = [(code, char) for code, char in pairs if char != "\ufffd"]
    chunks = []
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        body = "\n".join(f"<{code:02X}> <{ord(char):04X}>" for code, char in chunk)
        chunks.append(f"{len(chunk)} beginbfchar\n{body}\nendbfchar")
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
        "1 beginbfrange\n<20> <7E> <0020>\nendbfrange\n"
        + "\n".join(chunks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a real text layer (Helvetica; Cyrillic mapped through a ToUnicode
    CMap, so it extracts correctly although Helvetica has no Cyrillic glyphs to draw)."""
    text = "".join(f"({_pdf_literal(line)}) Tj T*\n" for line in lines)
    stream = f"BT /F1 11 Tf 56 780 Td 14 TL\n{text}ET\n".encode("ascii")
    cmap = _to_unicode_cmap()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding "
        b"/ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"endstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def make_scan_image(lines: list[str]):
    """A white A4-ish page at 200 dpi with the lines drawn in DejaVu Sans: a 'scan'."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1654, 1200), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(DEJAVU, 44)
    for index, line in enumerate(lines):
        draw.text((100, 100 + index * 80), line, font=font, fill=0)
    return image


def make_scan_png(lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    make_scan_image(lines).save(buffer, format="PNG")
    return buffer.getvalue()


def make_scan_pdf(lines: list[str]) -> bytes:
    """A PDF holding only a picture of the page (what a scanner makes): no text layer."""
    buffer = io.BytesIO()
    make_scan_image(lines).convert("RGB").save(buffer, format="PDF", resolution=200)
    return buffer.getvalue()


def make_encrypted_pdf(user_password: str = "таємно", owner_password: str = "owner") -> bytes:
    from pypdf import PdfReader, PdfWriter

    original = make_pdf(["Secret decision of 12.03.2021 No 245"])
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(original)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_zip_bomb_docx(megabytes: int = 20) -> bytes:
    """A DOCX-looking ZIP with a member of zeros compressed about 1000 times."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/zeros.bin", b"\0" * (megabytes * 1024 * 1024))
    return buffer.getvalue()


def declare_size(content: bytes, member: str, size: int) -> bytes:
    """``content`` (a ZIP) with the central directory claiming ``member`` unpacks to ``size``."""
    data = bytearray(content)
    encoded = member.encode()
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) != -1:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_length]) == encoded:
            struct.pack_into("<I", data, at + 24, size)
            return bytes(data)
        at += 4
    raise AssertionError(f"{member} not in the archive")


# --- what the file is and its text -------------------------------------------------------------


def test_docx_text_keeps_paragraphs_and_table_cells_in_order():
    # Given a DOCX with the header of a decision and a table after it
    content = make_docx(DECISION, table=[["№", "Прізвище"], ["1", "Коваленко О. П."]])
    # When it is inspected
    document = inspect_document("рішення-245.docx", content)
    # Then its text is in reading order, the table row by row
    assert document.file_format == "docx"
    assert document.text_status == TextStatus.EXTRACTED
    lines = document.text.split("\n")
    assert lines[:5] == DECISION[:5]
    assert "№\tПрізвище" in lines
    assert lines.index("1\tКоваленко О. П.") < lines.index("Кінець.")
    assert document.size == len(content)
    assert len(document.sha256) == 64


def test_odt_text_is_extracted_with_the_standard_library():
    document = inspect_document("наказ.odt", make_odt(DECISION))
    assert document.file_format == "odt"
    assert "Про затвердження Положення" in document.text
    assert "Клітинка 1\tКлітинка  2" in document.text


def test_text_pdf_is_extracted_latin_and_cyrillic():
    document = inspect_document(
        "decision-245.pdf", make_pdf(["DECISION of 12.03.2021 No 245", "РІШЕННЯ № 245-VIII"])
    )
    assert document.file_format == "pdf"
    assert document.text_status == TextStatus.EXTRACTED
    assert "DECISION of 12.03.2021 No 245" in document.text
    assert "РІШЕННЯ № 245-VIII" in document.text


def test_pdf_without_text_layer_waits_for_ocr():
    document = inspect_document("скан.pdf", make_scan_pdf(["РІШЕННЯ"]))
    assert document.file_format == "pdf"
    assert document.text_status == TextStatus.OCR_PENDING
    assert document.text == ""


@pytest.mark.parametrize(
    ("name", "fmt"), [("скан.png", "PNG"), ("скан.jpg", "JPEG"), ("скан.tiff", "TIFF")]
)
def test_images_wait_for_ocr(name, fmt):
    buffer = io.BytesIO()
    make_scan_image(["РІШЕННЯ"]).save(buffer, format=fmt)
    document = inspect_document(name, buffer.getvalue())
    assert document.text_status == TextStatus.OCR_PENDING
    assert document.file_format == {"PNG": "png", "JPEG": "jpg", "TIFF": "tif"}[fmt]


def test_extension_case_and_directories_do_not_matter():
    document = inspect_document("папка/Рішення.DOCX", make_docx(["Текст"]))
    assert document.name == "Рішення.DOCX"


def test_pdf_restricted_only_by_an_owner_password_is_accepted():
    # Printing/editing restrictions without a password to open: everybody can read it.
    document = inspect_document("restricted.pdf", make_encrypted_pdf(user_password=""))
    assert "12.03.2021" in document.text


# --- refusals ----------------------------------------------------------------------------------


def refusal(name: str, content: bytes, **kwargs) -> str:
    with translation.override("uk"), pytest.raises(DocumentRejected) as caught:
        inspect_document(name, content, **kwargs)
    message = caught.value.messages[0]
    assert message.startswith(f"Файл «{name.rsplit('/', 1)[-1]}»: "), message
    return message


def test_password_protected_pdf_is_refused():
    message = refusal("рішення-245.pdf", make_encrypted_pdf())
    assert message == "Файл «рішення-245.pdf»: файл захищений паролем"


def test_zip_bomb_disguised_as_docx_is_refused_by_compression_ratio():
    message = refusal("бомба.docx", make_zip_bomb_docx())
    assert "zeros.bin" in message
    assert "zip-бомб" in message


def test_declared_huge_size_is_refused_before_anything_is_decompressed():
    content = declare_size(make_docx(["Текст"]), "word/document.xml", 300 * 1024 * 1024)
    with mock.patch.object(zipfile.ZipFile, "open", side_effect=AssertionError("read")):
        message = refusal("великий.docx", content)
    assert "zip-бомб" in message


def test_member_escaping_the_folder_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("../../etc/cron.d/evil", "* * * * * root sh")
    message = refusal("шлях.docx", buffer.getvalue())
    assert "небезпечний шлях" in message


def test_docx_named_pdf_is_refused_naming_both():
    message = refusal("рішення.pdf", make_docx(["Текст"]))
    assert message == (
        "Файл «рішення.pdf»: розширення .pdf не відповідає вмісту, насправді це DOCX"
    )


def test_empty_file_is_refused():
    assert refusal("порожній.pdf", b"") == "Файл «порожній.pdf»: файл порожній"


def test_file_over_the_size_limit_is_refused():
    message = refusal("великий.pdf", make_pdf(["x"]), max_size=100)
    assert "перевищує" in message


def test_size_limit_comes_from_settings(settings):
    settings.ACTS_MAX_FILE_SIZE = 10
    assert "перевищує" in refusal("a.docx", make_docx(["x"]))


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "старий.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"),
            "старому форматі .doc",
        ),
        (
            "захищений.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "захищений паролем",
        ),
        ("сторінка.html", b"<!DOCTYPE html><html><body>x</body></html>", "вебсторінка"),
        ("малюнок.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "SVG"),
        ("програма.exe", b"MZ\x90\x00" + b"\0" * 100, "виконувана програма"),
        ("рішення.pdf", b"MZ\x90\x00" + b"\0" * 100, "розширення .pdf не відповідає вмісту"),
    ],
)
def test_unsupported_and_hostile_formats_are_refused(name, content, expected):
    assert expected in refusal(name, content)


def test_broken_pdf_is_refused():
    content = make_pdf(["Текст"])
    message = refusal("зламаний.pdf", content[:12] + b"garbage" * 20)
    assert "пошкоджений" in message


def test_broken_docx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><not closed")
    assert "пошкоджений" in refusal("зламаний.docx", buffer.getvalue())


def test_truncated_docx_is_refused():
    content = make_docx(["Текст"])
    assert "пошкоджений" in refusal("обрізаний.docx", content[: len(content) // 2])


def test_docx_with_xml_entities_is_refused():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><w:document>&lol2;</w:document>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", bomb)
    assert "небезпечний XML" in refusal("сміх.docx", buffer.getvalue())


def test_other_zip_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "архів ZIP" in refusal("архів.docx", buffer.getvalue())


# --- fields proposed from the text -------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "number", "date"),
    [
        ("РІШЕННЯ\nвід 12.03.2021 № 245", "245", dt.date(2021, 3, 12)),
        ("РІШЕННЯ\n12.03.2021\t\t\t№ 245-VIII", "245-VIII", dt.date(2021, 3, 12)),
        ("РОЗПОРЯДЖЕННЯ\nвід 12 березня 2021 року № 45-од", "45-од", dt.date(2021, 3, 12)),
        ("РОЗПОРЯДЖЕННЯ\nвід «5» травня 2023 р. №5-р", "5-р", dt.date(2023, 5, 5)),
        ("РІШЕННЯ\n№ 17 від 01.04.2022", "17", dt.date(2022, 4, 1)),
        ("РІШЕННЯ\n12.03.2021 № 1234 – VIII", "1234-VIII", dt.date(2021, 3, 12)),
        ("Р І Ш Е Н Н Я\n04.01.2024\n№ 3/12", "3/12", dt.date(2024, 1, 4)),
        ("РІШЕННЯ\nвід 12.03.2021 Ме 245", "245", dt.date(2021, 3, 12)),  # OCR of «№»
    ],
)
def test_number_and_date_are_read_from_the_header(header, number, date):
    fields = propose_fields(f"{header}\n\nПро надання дозволу\n\nВідповідно до закону")
    assert (fields["number"], fields["date"]) == (number, date)
    assert fields["title"] == "Про надання дозволу"


def test_title_spans_lines_up_to_the_blank_line():
    fields = propose_fields("\n".join(DECISION))
    assert fields["title"] == "Про затвердження Положення про старосту"
    assert fields["kind_hint"] == "council-decision"


def test_title_ends_at_the_body_or_the_end_of_the_sentence():
    text = "РІШЕННЯ\nвід 01.02.2024 № 9\nПро встановлення ставок\nєдиного податку.\nДалі текст"
    assert propose_fields(text)["title"] == "Про встановлення ставок єдиного податку"
    text = "РІШЕННЯ\nвід 01.02.2024 № 9\nПро бюджет\nКеруючись статтею 26 Закону"
    assert propose_fields(text)["title"] == "Про бюджет"


def test_date_in_the_title_is_not_taken_for_the_act_date():
    text = "РІШЕННЯ\n№ 12 від 01.04.2022\nПро внесення змін до рішення від 12.03.2020 № 100"
    fields = propose_fields(text)
    assert (fields["number"], fields["date"]) == ("12", dt.date(2022, 4, 1))


def test_impossible_date_gives_none_and_a_warning():
    with translation.override("uk"):
        fields = propose_fields("РІШЕННЯ\nвід 31.02.2021 № 7\nПро щось")
    assert fields["date"] is None
    assert fields["warnings"] == ["дата 31.02.2021 не існує"]


def test_nothing_found_in_plain_text():
    fields = propose_fields("Просто текст без шапки.")
    assert fields == {"number": "", "date": None, "title": None, "kind_hint": None, "warnings": []}


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("ВИКОНАВЧИЙ КОМІТЕТ\nРІШЕННЯ", "executive-decision"),
        ("ПРОЄКТ\nСЕЛИЩНА РАДА\nРІШЕННЯ", "draft-council-decision"),
        ("ПРОЕКТ\nВИКОНАВЧИЙ КОМІТЕТ\nРІШЕННЯ", "draft-executive-decision"),
        ("СЕЛИЩНИЙ ГОЛОВА\nРОЗПОРЯДЖЕННЯ", "head-order"),
        ("ПРОЄКТ\nРОЗПОРЯДЖЕННЯ", "draft-head-order"),
        ("ПРОТОКОЛ № 5\nзасідання виконавчого комітету", "executive-minutes"),
    ],
)
def test_kind_is_hinted_by_the_header(header, kind):
    text = f"{header}\nвід 01.02.2024 № 9\nПро затвердження проєкту землеустрою"
    assert propose_fields(text)["kind_hint"] == kind


# --- OCR ---------------------------------------------------------------------------------------

SCAN = ["РІШЕННЯ", "від 12.03.2021 № 245", "Про затвердження бюджету"]


def require_tesseract():
    if shutil.which("tesseract") is None or shutil.which("pdftoppm") is None:
        pytest.fail(
            "tesseract-ocr, tesseract-ocr-ukr and poppler-utils are not installed: "
            "run `make test` (it installs them) or `apt-get install tesseract-ocr "
            "tesseract-ocr-ukr poppler-utils`"
        )


def test_ocr_reads_ukrainian_from_an_image():
    require_tesseract()
    text = ocr_image_or_pdf(make_scan_png(SCAN), "png")
    assert "РІШЕННЯ" in text
    assert "бюджету" in text
    assert propose_fields(text)["date"] == dt.date(2021, 3, 12)


def test_ocr_reads_a_scanned_pdf(tmp_path):
    require_tesseract()
    path = tmp_path / "скан.pdf"
    path.write_bytes(make_scan_pdf(SCAN))
    assert "бюджету" in ocr_image_or_pdf(path, "pdf")


@pytest.mark.django_db
def test_scan_is_queued_for_ocr_after_commit_and_the_task_fills_the_text(
    settings, tmp_path, department_staff, django_capture_on_commit_callbacks
):
    require_tesseract()
    from ratusha.acts import tasks
    from ratusha.acts.models import ActFile, ActKind

    settings.MEDIA_ROOT = tmp_path
    document = inspect_document("скан-245.png", make_scan_png(SCAN))
    # When a scan is registered, the OCR task is enqueued once the transaction commits
    with (
        mock.patch.object(tasks, "ocr_act_file") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        act = services.act_register(
            actor=department_staff,
            data={
                "kind": ActKind.objects.get(code="council-decision"),
                "number": "245",
                "date": dt.date(2021, 3, 12),
                "title": "Про затвердження бюджету",
            },
            documents=[document],
        )
    stored = ActFile.objects.get()
    queued.enqueue.assert_called_once_with(stored.pk)
    # And the task recognises the text and the act's text follows
    assert tasks.ocr_act_file.call(stored.pk) == TextStatus.DONE_OCR
    stored.refresh_from_db()
    act.refresh_from_db()
    assert stored.text_status == TextStatus.DONE_OCR
    assert "бюджету" in stored.text
    assert "бюджету" in act.text


@pytest.mark.django_db
def test_ocr_task_records_failure(settings, tmp_path, department_staff):
    from ratusha.acts import tasks
    from ratusha.acts.documents import OcrFailed
    from ratusha.acts.models import ActFile, ActKind

    settings.MEDIA_ROOT = tmp_path
    services.act_register(
        actor=department_staff,
        data={
            "kind": ActKind.objects.get(code="head-order"),
            "number": "1-од",
            "date": dt.date(2024, 1, 2),
            "title": "Про відпустку",
        },
        documents=[inspect_document("скан.png", make_scan_png(["x"]))],
    )
    stored = ActFile.objects.get()
    with mock.patch(
        "ratusha.acts.documents.ocr_image_or_pdf", side_effect=OcrFailed("OCR took too long")
    ):
        assert tasks.ocr_act_file.call(stored.pk) == TextStatus.FAILED
    stored.refresh_from_db()
    assert stored.error == "OCR took too long"
