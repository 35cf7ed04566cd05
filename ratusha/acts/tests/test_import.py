"""Bulk import of acts: a folder of good and broken files with a manifest, idempotent re-runs,
the management command, and the admin's ZIP import."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import include, path, reverse
from django.urls.exceptions import NoReverseMatch

from ratusha import urls as project_urls
from ratusha.acts import admin_import, importing
from ratusha.acts.choices import ActStatus, TextStatus
from ratusha.acts.importing import ImportSetupError, import_folder, read_manifest
from ratusha.acts.models import Act, ActFile
from ratusha.acts.tests.test_documents import (
    make_docx,
    make_encrypted_pdf,
    make_odt,
    make_pdf,
    make_scan_png,
    make_zip_bomb_docx,
)
from ratusha.core.models import AuditEntry
from ratusha.core.permissions import SYSTEM

pytestmark = pytest.mark.django_db

# Used only when the admin does not wire the import yet (see the ``import_url`` fixture).
urlpatterns = [
    path("admin/acts-import/", include((admin_import.urlpatterns, "acts_import"))),
    *project_urls.urlpatterns,
]


def header(number: str, date: str, title: str, body: str = "СЕЛИЩНА РАДА") -> list[str]:
    return [
        "УКРАЇНА",
        body,
        "РІШЕННЯ",
        f"від {date} № {number}",
        "",
        title,
        "",
        "Відповідно до статті 26 Закону України «Про місцеве самоврядування в Україні» "
        "рада ВИРІШИЛА:",
        "1. Затвердити.",
    ]


def write(folder, name: str, content: bytes):
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return target


def manifest(rows: list[list[str]], *, encoding="utf-8-sig", delimiter=",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["kind", "number", "date", "title", "file"])
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


GOOD = {
    "01-рішення-245.docx",
    "02-exec-12.pdf",
    "папка/03-рішення-246.odt",
    "04-розпорядження.docx",
}
BAD = {
    "05-дубль-номера.docx": "№ 245-viii",  # services: already registered in 2021
    "06-неіснуюча-дата.docx": "дата 31.02.2021 не існує",
    "07-зламаний.pdf": "файл пошкоджений і не читається",
    "08-порожній.docx": "файл порожній",
    "09-бомба.docx": "zip-бомб",
    "10-не-той.pdf": "розширення .pdf не відповідає вмісту, насправді це DOCX",
    "11-захищений.pdf": "файл захищений паролем",
    "12-без-назви.docx": "назву («Про …») не знайдено в тексті",
    "13-скан.png": "файл є сканом, текст якого ще не розпізнано",
    "14-вид.docx": "невідомий вид акта «лист»",
    "15-відсутній.pdf": "файл, названий у маніфесті (рядок 7), не знайдено",
}


@pytest.fixture
def mixed_folder(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = tmp_path / "acts"
    write(
        folder,
        "01-рішення-245.docx",
        make_docx(header("245-VIII", "12.03.2021", "Про затвердження Положення про старосту")),
    )
    write(folder, "02-exec-12.pdf", make_pdf(["Decision of the executive committee No 12"]))
    write(
        folder,
        "папка/03-рішення-246.odt",
        make_odt(header("246-VIII", "12.03.2021", "Про встановлення ставок місцевих податків")),
    )
    write(
        folder,
        "04-розпорядження.docx",
        make_docx(
            [
                "СЕЛИЩНИЙ ГОЛОВА",
                "РОЗПОРЯДЖЕННЯ",
                "від 12 березня 2021 року № 45-од",
                "",
                "Про проведення наради",
                "",
                "Керуючись статтею 42 Закону",
            ]
        ),
    )
    write(folder, "05-дубль-номера.docx", make_docx(header("245-VIII", "01.06.2021", "Про інше")))
    write(folder, "06-неіснуюча-дата.docx", make_docx(["Текст без шапки"]))
    write(folder, "07-зламаний.pdf", b"%PDF-1.4\n" + os.urandom(300))
    write(folder, "08-порожній.docx", b"")
    write(folder, "09-бомба.docx", make_zip_bomb_docx())
    write(folder, "10-не-той.pdf", make_docx(header("300", "01.01.2022", "Про щось")))
    write(folder, "11-захищений.pdf", make_encrypted_pdf())
    write(folder, "12-без-назви.docx", make_docx(["РІШЕННЯ", "від 01.02.2022 № 5", "", "Текст"]))
    write(folder, "13-скан.png", make_scan_png(["РІШЕННЯ"]))
    write(folder, "14-вид.docx", make_docx(header("301", "01.01.2022", "Про лист")))
    write(folder, ".DS_Store", b"\0\0\0\1Bud1")
    write(
        folder,
        "manifest.csv",
        manifest(
            [
                [
                    "executive-decision",
                    "12",
                    "2024-02-01",
                    "Про надання матеріальної допомоги",
                    "02-exec-12.pdf",
                ],
                ["Розпорядження голови", "", "", "", "04-розпорядження.docx"],
                ["council-decision", "245-viii", "01.06.2021", "Про інше", "05-дубль-номера.docx"],
                ["council-decision", "7", "31.02.2021", "Про щось", "06-неіснуюча-дата.docx"],
                ["лист", "", "", "", "14-вид.docx"],
                ["council-decision", "1", "01.01.2022", "Про відсутнє", "15-відсутній.pdf"],
            ]
        ),
    )
    return folder


def outcomes(report, result):
    return {o.file: o.reason for o in report.outcomes if o.result == result}


def test_mixed_folder_publishes_the_good_files_and_reports_every_bad_one(mixed_folder):
    # When the folder is imported on two worker processes
    report = import_folder(
        mixed_folder, actor=SYSTEM, kind="council-decision", workers=2, progress=False
    )
    # Then the good files are registered and published, with their fields
    assert set(outcomes(report, "imported")) == GOOD
    assert Act.objects.count() == len(GOOD)
    assert set(Act.objects.values_list("status", flat=True)) == {ActStatus.PUBLISHED}
    assert report.published_count == len(GOOD)
    decision = Act.objects.get(number="245-VIII")
    assert decision.kind.code == "council-decision"
    assert decision.date == dt.date(2021, 3, 12)
    assert decision.title == "Про затвердження Положення про старосту"
    assert "ВИРІШИЛА" in decision.text
    executive = Act.objects.get(kind__code="executive-decision")
    assert (executive.number, executive.date) == ("12", dt.date(2024, 2, 1))
    assert "executive committee No 12" in executive.text
    order = Act.objects.get(kind__code="head-order")  # kind from the manifest, by name
    assert (order.number, order.date, order.title) == (
        "45-од",
        dt.date(2021, 3, 12),
        "Про проведення наради",
    )
    # And every bad file is reported with its reason, in Ukrainian
    failed = outcomes(report, "failed")
    assert set(failed) == set(BAD)
    for name, expected in BAD.items():
        assert expected in failed[name], (name, failed[name])
    assert ".DS_Store" not in failed
    # And the report says so in a line per file
    lines = report.summary_lines()
    assert lines[0] == f"Імпортовано: {len(GOOD)} (оприлюднено: {len(GOOD)})"
    assert lines[2] == f"Не імпортовано: {len(BAD)}"
    assert "  07-зламаний.pdf: файл пошкоджений і не читається" in lines


def test_second_run_skips_everything_by_checksum_and_changes_nothing(mixed_folder):
    import_folder(mixed_folder, actor=SYSTEM, kind="council-decision", workers=1, progress=False)
    before = list(Act.objects.order_by("pk").values())
    files, audit = ActFile.objects.count(), AuditEntry.objects.count()
    # When the same folder is imported again
    report = import_folder(
        mixed_folder, actor=SYSTEM, kind="council-decision", workers=2, progress=False
    )
    # Then every imported file is skipped, and nothing in the registry changed
    assert report.imported == []
    assert set(outcomes(report, "skipped")) == GOOD
    assert set(outcomes(report, "failed")) == set(BAD)
    assert list(Act.objects.order_by("pk").values()) == before
    assert (ActFile.objects.count(), AuditEntry.objects.count()) == (files, audit)


def test_kind_is_read_from_the_header_when_not_given(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = tmp_path / "acts"
    write(
        folder,
        "виконком.odt",
        make_odt(header("12", "05.05.2023", "Про надання дозволу", body="ВИКОНАВЧИЙ КОМІТЕТ")),
    )
    write(folder, "невідомо.docx", make_docx(["Від 05.05.2023 № 3", "Про щось"]))
    report = import_folder(folder, actor=SYSTEM, workers=1, progress=False, publish=False)
    act = Act.objects.get()
    assert act.kind.code == "executive-decision"
    assert act.status == ActStatus.REGISTERED and act.published_at is None
    assert "вид акта невідомий" in outcomes(report, "failed")["невідомо.docx"]


def test_scan_is_registered_from_the_manifest_and_left_for_ocr(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = tmp_path / "acts"
    write(folder, "скан.png", make_scan_png(["РІШЕННЯ"]))
    write(
        folder,
        "manifest.csv",
        manifest([["head-order", "3-од", "10.01.2024", "Про відпустку", "скан.png"]]),
    )
    import_folder(folder, actor=SYSTEM, workers=1, progress=False)
    assert ActFile.objects.get().text_status == TextStatus.OCR_PENDING


def test_import_with_ocr_reads_the_fields_of_a_scan(tmp_path, settings):
    from ratusha.acts.tests.test_documents import SCAN, require_tesseract

    require_tesseract()
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = tmp_path / "acts"
    write(folder, "скан.png", make_scan_png(SCAN))
    report = import_folder(
        folder, actor=SYSTEM, kind="council-decision", workers=1, progress=False, ocr=True
    )
    assert [o.file for o in report.imported] == ["скан.png"]
    act = Act.objects.get()
    assert (act.number, act.date) == ("245", dt.date(2021, 3, 12))
    assert act.title == "Про затвердження бюджету"
    assert ActFile.objects.get().text_status == TextStatus.DONE_OCR


def test_manifest_keeps_the_original_publication_date(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = tmp_path / "acts"
    write(folder, "наказ.docx", make_docx(["Текст розпорядження"]))
    (folder / "manifest.csv").write_text(
        "kind,number,date,title,file,published\n"
        "head-order,5-од,03.02.2025,Про нараду,наказ.docx,05.02.2025\n",
        encoding="utf-8",
    )
    import_folder(folder, actor=SYSTEM, workers=1, progress=False)
    act = Act.objects.get()
    assert act.published_at.date() == dt.date(2025, 2, 5)
    assert act.published_late is False


def test_manifest_in_windows_1251_with_semicolons_and_ukrainian_headers(tmp_path):
    path = tmp_path / "опис.csv"
    path.write_bytes(
        "Вид;Номер;Дата;Назва;Файл\n"
        "Рішення ради;12-VIII;01.02.2024;Про бюджет громади;.\\папка\\а.pdf\n".encode("cp1251")
    )
    [row] = read_manifest(path)
    assert (row.kind, row.number, row.date, row.title, row.file) == (
        "Рішення ради",
        "12-VIII",
        "01.02.2024",
        "Про бюджет громади",
        "папка/а.pdf",
    )


def test_a_file_that_crashes_a_worker_is_reported_and_the_others_go_on(
    tmp_path, settings, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = tmp_path / "acts"
    for number in range(1, 6):
        write(folder, f"{number}.docx", make_docx(header(str(number), "01.02.2024", "Про щось")))
    real = importing.inspect_job

    def crash_on_third(job, known=frozenset()):
        if job.relative == "3.docx":
            os._exit(1)
        return real(job, known)

    monkeypatch.setattr(importing, "inspect_job", crash_on_third)
    report = import_folder(folder, actor=SYSTEM, kind="council-decision", workers=2, progress=False)
    assert outcomes(report, "failed") == {
        "3.docx": "файл спричинив збій програми, що читає документи"
    }
    assert Act.objects.count() == 4


def test_a_file_that_hangs_a_worker_is_stopped_and_reported(tmp_path, settings, monkeypatch):
    import time

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ACTS_IMPORT_FILE_TIMEOUT = 1
    folder = tmp_path / "acts"
    for number in range(1, 4):
        write(folder, f"{number}.docx", make_docx(header(str(number), "01.02.2024", "Про щось")))
    real = importing.inspect_job

    def hang_on_second(job, known=frozenset()):
        if job.relative == "2.docx":
            time.sleep(60)
        return real(job, known)

    monkeypatch.setattr(importing, "inspect_job", hang_on_second)
    report = import_folder(folder, actor=SYSTEM, kind="council-decision", workers=2, progress=False)
    assert outcomes(report, "failed") == {
        "2.docx": "читання файлу тривало надто довго, його зупинено"
    }
    assert Act.objects.count() == 2


def test_command_prints_the_report_and_writes_the_csv(mixed_folder, tmp_path):
    out = io.StringIO()
    call_command(
        "import_acts",
        str(mixed_folder),
        "--kind",
        "council-decision",
        "--report",
        str(tmp_path / "звіт.csv"),
        "--no-progress",
        stdout=out,
    )
    text = out.getvalue()
    assert f"Імпортовано: {len(GOOD)}" in text
    assert "  08-порожній.docx: файл порожній" in text
    with open(tmp_path / "звіт.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["файл", "результат", "акт", "причина"]
    assert ["08-порожній.docx", "не імпортовано", "", "файл порожній"] in rows
    assert len(rows) == 1 + len(GOOD) + len(BAD)


def test_command_refuses_a_missing_folder_or_an_unreadable_manifest(tmp_path):
    with pytest.raises(CommandError, match="не існує"):
        call_command("import_acts", str(tmp_path / "немає"), "--no-progress")
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n")
    with pytest.raises(CommandError, match="немає стовпця «file»"):
        call_command(
            "import_acts", str(tmp_path), "--manifest", str(tmp_path / "bad.csv"), "--no-progress"
        )
    with pytest.raises(ImportSetupError):
        import_folder(tmp_path, actor=SYSTEM, kind="немає-такого", progress=False)


# --- the admin's ZIP import --------------------------------------------------------------------


@pytest.fixture
def import_url(settings):
    try:
        return reverse("acts_import:upload")
    except NoReverseMatch:  # not wired into the admin yet: use this module's URLs
        settings.ROOT_URLCONF = __name__
        return reverse("acts_import:upload")


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def upload(content: bytes, name="акти.zip"):
    return SimpleUploadedFile(name, content, content_type="application/zip")


def test_staff_imports_a_zip_in_the_admin(client, department_staff, import_url, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    content = make_zip(
        {
            "акти/рішення-245.docx": make_docx(header("245-VIII", "12.03.2021", "Про бюджет")),
            "акти/exec.pdf": make_pdf(["Decision of the executive committee No 12"]),
            "акти/зламаний.pdf": b"%PDF-1.4 nothing",
            "акти/manifest.csv": manifest(
                [["executive-decision", "12", "01.02.2024", "Про допомогу", "exec.pdf"]]
            ),
        }
    )
    client.force_login(department_staff)
    assert client.get(import_url).status_code == 200
    response = client.post(import_url, {"archive": upload(content), "kind": "", "publish": "on"})
    assert response.status_code == 200
    page = response.content.decode()
    assert Act.objects.filter(status=ActStatus.PUBLISHED).count() == 2
    assert "зламаний.pdf" in page
    assert "файл пошкоджений і не читається" in page
    assert reverse("acts_admin:actions", args=[Act.objects.get(number="12").pk]) in page


def test_zip_escaping_its_folder_is_refused_and_nothing_is_imported(
    client, department_staff, import_url, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    content = make_zip(
        {
            "рішення.docx": make_docx(header("1", "12.03.2021", "Про бюджет")),
            "../../outside.docx": make_docx(header("2", "12.03.2021", "Про інше")),
        }
    )
    client.force_login(department_staff)
    response = client.post(import_url, {"archive": upload(content), "publish": "on"})
    assert response.status_code == 200
    assert "«../../outside.docx» всередині має небезпечний шлях" in response.content.decode()
    assert Act.objects.count() == 0
    assert not (tmp_path / "outside.docx").exists()


@pytest.mark.parametrize("problem", ["absolute", "symlink", "not-zip"])
def test_hostile_or_broken_archives_are_refused(
    problem, client, administrator, import_url, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    if problem == "not-zip":
        content, expected = b"not a zip at all", "не є архівом ZIP"
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            if problem == "absolute":
                info = zipfile.ZipInfo("placeholder")
                info.filename = "/etc/passwd"
                archive.writestr(info, "root:x:0:0")
                expected = "небезпечний шлях"
            else:
                info = zipfile.ZipInfo("link.docx")
                info.external_attr = 0o120777 << 16
                archive.writestr(info, "/etc/passwd")
                expected = "символьним посиланням"
        content = buffer.getvalue()
    client.force_login(administrator)
    response = client.post(import_url, {"archive": upload(content)})
    assert expected in response.content.decode()
    assert Act.objects.count() == 0


def test_zip_over_the_size_limit_is_refused(client, department_staff, import_url, settings):
    settings.ACTS_IMPORT_MAX_ZIP_SIZE = 100
    client.force_login(department_staff)
    response = client.post(import_url, {"archive": upload(make_zip({"a.docx": b"x" * 500}))})
    assert "перевищує граничний" in response.content.decode()


def test_windows_zip_with_cp866_names_keeps_the_cyrillic_names(tmp_path):
    info = zipfile.ZipInfo("placeholder")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(info, b"")
    raw = "розпорядження-45.pdf".encode("cp866")
    info.filename = raw.decode("cp437")
    info.flag_bits = 0
    assert admin_import.member_name(info) == "розпорядження-45.pdf"


def test_unit_editor_may_not_import(client, unit_editor, import_url, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(unit_editor)
    # Wagtail's admin turns the refusal into a redirect with a message; bare, it is a 403.
    assert client.get(import_url).status_code in {302, 403}
    content = make_zip({"рішення.docx": make_docx(header("1", "12.03.2021", "Про бюджет"))})
    response = client.post(import_url, {"archive": upload(content), "kind": "", "publish": "on"})
    assert response.status_code in {302, 403}
    assert Act.objects.count() == 0
