"""Roll-call votes imported from the hall's voting system: CSV and XLSX, profiles, matching
deputies, every bad input refused with its row and nothing saved, the admin flow and the
management command."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from ratusha.core.models import AuditEntry
from ratusha.core.permissions import SYSTEM
from ratusha.council import importing, services
from ratusha.council.choices import VoteChoice, VoteResult, VoteSource
from ratusha.council.importing import ImportRefused, parse_voting_file
from ratusha.council.models import AgendaItem, Vote, VoteEvent

pytestmark = pytest.mark.django_db

HEADER = ["№ голосування", "Назва", "Час", "Ідентифікатор", "Депутат", "Рішення"]
WORDS = {
    VoteChoice.FOR: "За",
    VoteChoice.AGAINST: "Проти",
    VoteChoice.ABSTAIN: "Утримався",
    VoteChoice.NOT_VOTING: "Не голосував",
    VoteChoice.ABSENT: "Відсутній",
}
# Five deputies, composition 5: three «for» adopt.
ADOPTED = ["for", "for", "for", "against", "absent"]
REJECTED = ["for", "for", "abstain", "not_voting", "absent"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _when(meeting, hour=10, minute=15) -> str:
    return f"{meeting.date:%d.%m.%Y} {hour:02d}:{minute:02d}"


def _at(meeting, hour):
    return timezone.make_aware(dt.datetime.combine(meeting.date, dt.time(hour)))


def rows_for(meeting, deputies, motions=None):
    """Rows of the default profile: motions = [(number, title, [choice per deputy])]."""
    motions = motions or [
        (1, "Про порядок денний", ADOPTED),
        (2, "Про бюджет громади", REJECTED),
    ]
    rows = []
    for number, title, choices in motions:
        for deputy, choice in zip(deputies, choices, strict=True):
            rows.append(
                [
                    str(number),
                    title,
                    _when(meeting, 10, number),
                    deputy.voting_identifier,
                    deputy.person.full_name,
                    WORDS[choice],
                ]
            )
    return rows


def make_csv(rows, header=HEADER, *, delimiter=";", encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def make_xlsx(rows, header=HEADER) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def parse(meeting, content, name="golos.csv", profile=None):
    return parse_voting_file(name, content, meeting=meeting, profile=profile)


def do_import(meeting, content, *, name="golos.csv", profile=None, replace=False):
    voting_file = parse(meeting, content, name=name, profile=profile)
    importing.check(voting_file, actor=SYSTEM, meeting=meeting, replace=replace)
    return voting_file, importing.record(
        voting_file, actor=SYSTEM, meeting=meeting, replace=replace
    )


def state(meeting):
    """Everything recorded for the meeting, to compare before and after a refusal."""
    return sorted(
        (e.number, e.title, e.votes_for, e.result, tuple(sorted(e.votes.values_list("choice"))))
        for e in VoteEvent.objects.filter(meeting=meeting)
    )


# Reading files ------------------------------------------------------------------------------


def test_csv_utf8_semicolon_matched_by_identifier(held_session, deputies):
    voting_file, events = do_import(held_session, make_csv(rows_for(held_session, deputies)))
    assert voting_file.ok and voting_file.file_format == "CSV"
    assert (voting_file.rows, len(voting_file.motions), voting_file.deputies) == (10, 2, 5)
    first, second = sorted(events, key=lambda e: e.number)
    assert (first.votes_for, first.votes_against, first.votes_absent) == (3, 1, 1)
    assert first.result == VoteResult.ADOPTED
    assert second.result == VoteResult.REJECTED
    assert first.source == VoteSource.IMPORT
    assert timezone.localtime(first.voted_at).strftime("%H:%M") == "10:01"
    assert voting_file.motions[0].where == "rows 2–6"
    assert Vote.objects.filter(event=first, deputy=deputies[3]).get().choice == "against"


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("cp1251", ";"), ("utf-8-sig", ","), ("utf-8", "\t"), ("cp1251", ",")],
)
def test_csv_encodings_and_delimiters_matched_by_name(held_session, deputies, encoding, delimiter):
    rows = [
        [r[0], r[1], r[2], r[4].upper(), r[5].lower()] for r in rows_for(held_session, deputies)
    ]
    header = ["№ голосування", "Назва", "Час", "Депутат", "Рішення"]
    content = make_csv(rows, header, delimiter=delimiter, encoding=encoding)
    voting_file, events = do_import(held_session, content)
    assert voting_file.ok, voting_file.errors
    assert len(events) == 2
    assert events[0].title == "Про порядок денний"


def test_names_with_initials_and_apostrophes(held_session, deputies):
    services.person_update(
        actor=SYSTEM, person=deputies[0].person, data={"full_name": "Прокоп'єнко Олена Петрівна"}
    )
    deputies[0].person.refresh_from_db()
    rows = rows_for(held_session, deputies)
    for row in rows:
        row[3] = ""  # no identifiers: by name only
    rows[0][4] = "ПРОКОПʼЄНКО  О. П."
    rows[1][4] = "І.В. Гнатюк"
    rows[5][4] = "Прокоп’єнко Олена   Петрівна"
    voting_file = parse(held_session, make_csv(rows))
    assert voting_file.ok, voting_file.errors


def test_xlsx_with_excel_datetimes(held_session, deputies):
    rows = rows_for(held_session, deputies)
    for row in rows:
        row[0] = int(row[0])
        row[2] = dt.datetime.combine(held_session.date, dt.time(11, 30))
    voting_file, events = do_import(held_session, make_xlsx(rows), name="export.csv")
    assert voting_file.file_format == "XLSX"  # by content, not by the name
    assert len(events) == 2
    assert timezone.localtime(events[0].voted_at).time() == dt.time(11, 30)


def test_xlsx_fast_reader_agrees_with_openpyxl():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["C1"], sheet["D1"] = "№", 1.5, True
    sheet["B3"], sheet["E3"] = dt.datetime(2025, 3, 14, 10, 5), "=1+2"
    sheet["A4"], sheet["B5"] = dt.time(10, 5), "Прокоп’єнко & <Ко>"
    out = io.BytesIO()
    workbook.save(out)
    content = out.getvalue()
    fast = importing._FastSheet(zipfile.ZipFile(io.BytesIO(content))).rows()
    slow = [row for row in importing._openpyxl_rows("x.xlsx", content) if row[1]]
    assert fast == slow
    assert fast[1] == (3, [None, dt.datetime(2025, 3, 14, 10, 5), None, None, None])


def test_xlsx_with_a_dtd_is_not_expanded(held_session, deputies):
    content = make_xlsx(rows_for(held_session, deputies))
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"<worksheet",
                    b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
                    b"<worksheet",
                    1,
                )
            target.writestr(info, data)
    with pytest.raises(ImportRefused, match="damaged"):
        parse(held_session, out.getvalue(), name="bomb.xlsx")


def test_dates_in_every_form(held_session):
    day = dt.date(2025, 3, 14)
    expect = timezone.make_aware(dt.datetime(2025, 3, 14, 10, 5))
    for value in (
        "14.03.2025 10:05",
        "14.03.2025 10:05:00",
        "2025-03-14T10:05:00",
        "2025-03-14 10:05",
        "10:05",
        dt.datetime(2025, 3, 14, 10, 5),
        45730 + (10 * 60 + 5) / 1440,
        "45730.420138888889",
    ):
        assert importing.parse_datetime(value, day) == expect, value
    assert importing.parse_datetime("вчора", day) is None
    assert importing.parse_datetime("31.02.2025", day) is None


def test_no_time_column_takes_the_meeting_start(held_session, deputies):
    rows = [[r[0], r[1], r[3], r[5]] for r in rows_for(held_session, deputies)]
    header = ["№ голосування", "Назва", "Ідентифікатор", "Рішення"]
    profile = importing.default_profile()
    profile.column_voted_at = ""
    profile.column_voter_name = ""
    voting_file = parse(held_session, make_csv(rows, header), profile=profile)
    assert voting_file.ok, voting_file.errors
    expected = timezone.make_aware(dt.datetime.combine(held_session.date, dt.time(10, 0)))
    assert voting_file.motions[0].voted_at == expected


def test_without_an_item_column_votes_are_put_on_the_items_they_name(held_session, deputies):
    # Given an agenda of two items, and a file that names no item
    budget, land = (
        services.agenda_item_create(actor=SYSTEM, data={"meeting": held_session, "title": title})
        for title in ("Про бюджет громади", "Про надання дозволу на розроблення проєкту")
    )
    motions = [
        (1, "Про затвердження порядку денного", ADOPTED),
        (2, "Поправка до проєкту рішення «Про бюджет громади»", REJECTED),
        (3, "ПРО БЮДЖЕТ  ГРОМАДИ", ADOPTED),
        (4, "Про надання дозволу на розроблення проєкту", ADOPTED),
    ]

    # When it is read
    voting_file = parse(held_session, make_csv(rows_for(held_session, deputies, motions)))

    # Then each vote is on the item whose title it bears (an amendment's contains it)
    assert voting_file.ok, voting_file.errors
    assert [m.agenda_item for m in voting_file.motions] == [None, budget, budget, land]


def test_custom_profile_with_letters_numbers_and_own_words(held_session, deputies):
    item = services.agenda_item_create(
        actor=SYSTEM, data={"meeting": held_session, "title": "Про бюджет громади"}
    )
    profile = services.import_profile_create(
        actor=SYSTEM,
        data={
            "name": "Рада-Голос 3",
            "delimiter": "|",
            "column_motion_number": "B",
            "column_motion_title": "C",
            "column_voted_at": "1",
            "column_agenda_item": "D",
            "column_voter_id": "E",
            "column_choice": "F",
            "column_total_for": "G",
            "choice_values": {"1": "for", "0": "against", "2": "утримався", "-": "absent"},
        },
    )
    codes = {"for": "1", "against": "0", "abstain": "2", "absent": "-", "not_voting": "Н"}
    profile.choice_values["н"] = "not_voting"
    rows = []
    for number, choices in ((1, ADOPTED), (2, REJECTED)):
        for deputy, choice in zip(deputies, choices, strict=True):
            rows.append(
                [
                    f"{held_session.date:%Y-%m-%d} 12:0{number}",
                    number,
                    "Про бюджет громади",
                    item.position,
                    deputy.voting_identifier,
                    codes[choice],
                    choices.count("for"),
                ]
            )
    content = make_csv(rows, ["Час", "Номер", "Питання", "П.", "ID", "Голос", "За"], delimiter="|")
    voting_file, events = do_import(held_session, content, profile=profile)
    assert voting_file.ok, voting_file.errors
    assert [e.agenda_item_id for e in events] == [item.pk, item.pk]
    assert events[0].votes_for == 3 and events[1].votes_abstain == 1
    assert AgendaItem.objects.get().vote_events.count() == 2


# Refusals -----------------------------------------------------------------------------------


@pytest.fixture
def recorded(held_session, deputies):
    """One vote already recorded (unpublished) — it must survive every refused import."""
    services.vote_events_record(
        actor=SYSTEM,
        meeting=held_session,
        motions=[
            services.MotionInput(
                number=1,
                title="Записане раніше",
                voted_at=_at(held_session, 9),
                choices={d.person_id: c for d, c in zip(deputies, REJECTED, strict=True)},
            )
        ],
    )
    return state(held_session)


def _refused_with(meeting, content, recorded, *, profile=None, name="golos.csv"):
    voting_file = parse(meeting, content, profile=profile, name=name)
    errors = importing.check(voting_file, actor=SYSTEM, meeting=meeting, replace=True)
    assert errors
    with pytest.raises(ValidationError) as caught:
        importing.record(voting_file, actor=SYSTEM, meeting=meeting, replace=True)
    # Also the service alone refuses it all when handed the motions directly.
    if voting_file.motions:
        with pytest.raises(ValidationError):
            services.vote_events_record(
                actor=SYSTEM,
                meeting=meeting,
                motions=voting_file.motions,
                source=VoteSource.IMPORT,
                replace=True,
            )
    assert state(meeting) == recorded
    return " | ".join(caught.value.messages)


def test_unknown_deputy_is_refused_with_its_row(held_session, deputies, recorded):
    rows = rows_for(held_session, deputies)
    rows[7][3], rows[7][4] = "X99", "Невідомий Петро Петрович"
    message = _refused_with(held_session, make_csv(rows), recorded)
    assert "row 9: unknown deputy «X99» «Невідомий Петро Петрович»" in message
    # …and the deputy whose row it replaced is then missing from vote 2.
    assert f"vote № 2 has no row of the deputy {deputies[2].person.full_name}" in message


def test_duplicated_row_is_refused(held_session, deputies, recorded):
    rows = rows_for(held_session, deputies)
    rows.insert(3, list(rows[1]))
    message = _refused_with(held_session, make_csv(rows), recorded)
    assert f"row 5: {deputies[1].person.full_name} already has a row in vote № 1 (row 3)" in message


def test_choice_outside_the_five_is_refused(held_session, deputies, recorded):
    rows = rows_for(held_session, deputies)
    rows[4][5] = "Можливо"
    message = _refused_with(held_session, make_csv(rows), recorded)
    assert "row 6: unknown choice «Можливо»" in message


def test_totals_not_matching_the_rows_are_refused(held_session, deputies, recorded):
    profile = importing.default_profile()
    profile.column_total_for = "Усього за"
    profile.column_total_absent = "Відсутні"
    rows = [r + ["3", "1"] for r in rows_for(held_session, deputies)]
    for row in rows[5:]:
        row[6] = "4"  # vote 2 has two «for»
    content = make_csv(rows, [*HEADER, "Усього за", "Відсутні"])
    message = _refused_with(held_session, content, recorded, profile=profile)
    assert "rows 7–11: the total «for» is 4 but the rows give 2" in message


def test_totals_that_differ_between_the_rows_of_a_vote_are_refused(
    held_session, deputies, recorded
):
    # Given totals on every row, right on the first row of vote 1 but not on its fourth
    profile = importing.default_profile()
    profile.column_total_for = "Усього за"
    rows = [r + ["3"] for r in rows_for(held_session, deputies)[:5]]
    rows += [r + ["2"] for r in rows_for(held_session, deputies)[5:]]
    rows[3][6] = "5"
    content = make_csv(rows, [*HEADER, "Усього за"])

    # When it is imported, it is refused naming the row, and nothing changes
    message = _refused_with(held_session, content, recorded, profile=profile)
    assert "row 5: the total «for» is 5 here but 3 in row 2 of the same vote" in message
    assert "rows 7–11" not in message  # vote 2 is consistent


def test_vote_in_the_future_is_refused(session, deputies):
    before = state(session)
    content = make_csv(rows_for(session, deputies))
    message = _refused_with(session, content, before)
    assert "rows 2–6: the vote is dated" in message and "in the future" in message


def test_unreadable_date_and_differing_titles_are_refused(held_session, deputies, recorded):
    rows = rows_for(held_session, deputies)
    rows[2][2] = "вчора зранку"
    rows[6][1] = "Про щось інше"
    message = _refused_with(held_session, make_csv(rows), recorded)
    assert "row 4: the date and time «вчора зранку» cannot be read" in message
    assert "row 8: the motion of vote № 2 differs from row 7" in message


def test_missing_row_of_a_sitting_deputy_is_refused(held_session, deputies, recorded):
    rows = rows_for(held_session, deputies)
    del rows[6]
    message = _refused_with(held_session, make_csv(rows), recorded)
    assert f"rows 7–10: vote № 2 has no row of the deputy {deputies[1].person.full_name}" in (
        message
    )


def test_deputy_without_a_mandate_on_the_day(held_session, deputies, recorded):
    services.deputy_update(
        actor=SYSTEM,
        deputy=deputies[4],
        data={"end_date": held_session.date - dt.timedelta(days=30), "end_reason": "склав"},
    )
    message = _refused_with(held_session, make_csv(rows_for(held_session, deputies)), recorded)
    assert f"row 6: {deputies[4].person.full_name} has no mandate on" in message


def test_already_recorded_without_replace_is_refused(held_session, deputies, recorded):
    voting_file = parse(held_session, make_csv(rows_for(held_session, deputies)))
    errors = importing.check(voting_file, actor=SYSTEM, meeting=held_session, replace=False)
    assert any("already recorded" in e for e in errors)
    # With «replace» the unpublished vote is replaced.
    _, events = do_import(held_session, make_csv(rows_for(held_session, deputies)), replace=True)
    replaced = VoteEvent.objects.get(meeting=held_session, number=1)
    assert replaced.title == "Про порядок денний"
    assert len(events) == 2
    audit = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(VoteEvent))
    entry = audit.filter(object_id=str(replaced.pk)).get()
    assert entry.action == "update"
    assert entry.changes["title"] == ["Записане раніше", "Про порядок денний"]
    assert audit.filter(object_id=str(events[1].pk)).get().action == "create"


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"  \r\n\r\n", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "neither a CSV nor an XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel (XLS)"),
        (_zip({"word/document.xml": b"<w/>"}), "not an XLSX workbook"),
        (_zip({"xl/workbook.xml": b"\x00" * (3 * 1024 * 1024)}), "zip bomb"),
        (b"PK\x03\x04garbage", "neither a CSV nor an XLSX"),
        ("Назва;Депутат;Рішення\nх;у;за\n".encode(), "«№ голосування»"),
    ],
)
def test_file_refused_as_a_whole(held_session, deputies, content, reason):
    with pytest.raises(ImportRefused) as caught:
        parse(held_session, content, name="vote.xlsx")
    assert "vote.xlsx" in caught.value.messages[0]
    assert reason in caught.value.messages[0]


def test_header_names_every_missing_column(held_session, deputies):
    content = make_csv([["1", "за"]], ["№ голосування", "Рішення"])
    with pytest.raises(ImportRefused) as caught:
        parse(held_session, content)
    message = caught.value.messages[0]
    assert "«Назва»" in message and "«Час»" in message
    assert "«Депутат»" in message or "«Ідентифікатор»" in message


def test_file_over_the_limit(held_session, deputies, monkeypatch):
    monkeypatch.setattr(importing.files, "MAX_FILE_SIZE", 100)
    with pytest.raises(ImportRefused, match="more than the limit"):
        parse(held_session, make_csv(rows_for(held_session, deputies)))


# The admin ----------------------------------------------------------------------------------


@pytest.fixture
def import_urls(settings, tmp_path):
    """Kept uploads go to a temporary folder (the views are mounted by ``wagtail_hooks``)."""
    settings.VAR_DIR = tmp_path


def _upload(client, meeting, content, *, name="golos.csv", replace=False, publish=False):
    data = {
        "meeting": meeting.pk,
        "profile": "",
        "file": SimpleUploadedFile(name, content),
    }
    if replace:
        data["replace"] = "on"
    if publish:
        data["publish"] = "on"
    return client.post(reverse("council_import:upload"), data)


def test_admin_upload_preview_confirm(
    client, held_session, deputies, department_staff, import_urls
):
    client.force_login(department_staff)
    form = client.get(f"{reverse('council_import:upload')}?meeting={held_session.pk}")
    assert form.status_code == 200
    assert f'value="{held_session.pk}" selected' in form.content.decode()

    preview = _upload(
        client, held_session, make_csv(rows_for(held_session, deputies)), publish=True
    )
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Про порядок денний" in page and "Про бюджет громади" in page
    assert 'name="token"' in page
    assert not VoteEvent.objects.exists()  # the preview saves nothing

    token = preview.context["confirm_form"]["token"].value()
    response = client.post(
        reverse("council_import:confirm"),
        {
            "token": token,
            "meeting": held_session.pk,
            "profile": "",
            "replace": "",
            "publish": "on",
        },
    )
    assert response.status_code == 302
    events = VoteEvent.objects.filter(meeting=held_session).order_by("number")
    assert [e.result for e in events] == [VoteResult.ADOPTED, VoteResult.REJECTED]
    assert all(e.published_at for e in events)
    # The kept file is gone: confirming twice does nothing.
    again = client.post(
        reverse("council_import:confirm"),
        {"token": token, "meeting": held_session.pk, "profile": ""},
    )
    assert again.status_code == 302
    assert VoteEvent.objects.count() == 2


def test_admin_preview_lists_errors_without_a_confirm_button(
    client, held_session, deputies, department_staff, import_urls
):
    client.force_login(department_staff)
    rows = rows_for(held_session, deputies)
    rows[4][5] = "Можливо"
    response = _upload(client, held_session, make_csv(rows))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Можливо" in page and "6" in page
    assert 'name="token"' not in page
    assert not VoteEvent.objects.exists()


def test_admin_refused_file_is_a_form_error(
    client, held_session, deputies, department_staff, import_urls
):
    client.force_login(department_staff)
    response = _upload(client, held_session, b"\x89PNG\r\n\x1a\n\x00\x00", name="photo.png")
    assert response.status_code == 200
    assert "photo.png" in response.content.decode()
    assert not VoteEvent.objects.exists()


def test_admin_confirm_shows_the_service_refusal(
    client, held_session, deputies, department_staff, import_urls
):
    client.force_login(department_staff)
    preview = _upload(client, held_session, make_csv(rows_for(held_session, deputies)))
    token = preview.context["confirm_form"]["token"].value()
    # Meanwhile somebody typed vote № 1 by hand.
    services.vote_events_record(
        actor=SYSTEM,
        meeting=held_session,
        motions=[
            services.MotionInput(
                number=1,
                title="Вручну",
                voted_at=_at(held_session, 12),
                choices={d.person_id: "for" for d in deputies},
            )
        ],
    )
    response = client.post(
        reverse("council_import:confirm"),
        {"token": token, "meeting": held_session.pk, "profile": ""},
    )
    assert response.status_code == 200
    assert "№ 1" in response.content.decode()
    assert list(VoteEvent.objects.values_list("title", flat=True)) == ["Вручну"]


def test_unit_editor_is_refused(client, held_session, deputies, unit_editor, import_urls):
    client.force_login(unit_editor)
    # The admin answers a refusal with a redirect home and a message; a script gets a 403.
    refused = client.get(reverse("council_import:upload"))
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    xhr = {"headers": {"x-requested-with": "XMLHttpRequest"}}
    assert client.get(reverse("council_import:upload"), **xhr).status_code == 403
    content = make_csv(rows_for(held_session, deputies))
    data = {"meeting": held_session.pk, "file": SimpleUploadedFile("golos.csv", content)}
    assert client.post(reverse("council_import:upload"), data, **xhr).status_code == 403
    assert client.post(reverse("council_import:confirm"), {}, **xhr).status_code == 403
    response = _upload(client, held_session, content)
    assert response.status_code == 302
    assert not VoteEvent.objects.exists()


# The management command ---------------------------------------------------------------------


def test_command_imports_and_publishes(held_session, deputies, tmp_path):
    path_ = tmp_path / "golos.xlsx"
    path_.write_bytes(make_xlsx(rows_for(held_session, deputies)))
    out = io.StringIO()
    call_command("import_votes", str(held_session.pk), str(path_), "--publish", stdout=out)
    assert VoteEvent.objects.filter(meeting=held_session, published_at__isnull=False).count() == 2
    assert "2" in out.getvalue()


def test_command_prints_row_errors_and_fails(held_session, deputies, tmp_path):
    profile = services.import_profile_create(
        actor=SYSTEM,
        data={
            "name": "Без часу",
            "column_motion_number": "№ голосування",
            "column_motion_title": "Назва",
            "column_voter_id": "Ідентифікатор",
            "column_choice": "Рішення",
        },
    )
    rows = rows_for(held_session, deputies)
    rows[2][3], rows[2][4] = "ZZZ", ""
    path_ = tmp_path / "golos.csv"
    path_.write_bytes(make_csv(rows))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_votes", str(held_session.pk), str(path_), "--profile", profile.name, stderr=err
        )
    assert "row 4: unknown deputy «ZZZ»" in err.getvalue()
    assert not VoteEvent.objects.exists()
    with pytest.raises(CommandError, match="no import profile"):
        call_command("import_votes", str(held_session.pk), str(path_), "--profile", "Немає")
