"""Uploads: by content, converted to UTF-8, refused clearly with the place named."""

import io
import json

import pytest
from openpyxl import Workbook

from ratusha.opendata.files import DocumentRejected, inspect_upload

from .conftest import SCHOOLS, csv_bytes


def _xlsx(build) -> bytes:
    book = Workbook()
    build(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_cp1251_csv_is_detected_and_converted_to_utf8():
    content = csv_bytes(SCHOOLS, delimiter=";", encoding="cp1251")
    inspected = inspect_upload("заклади.csv", content)
    assert inspected.format == "CSV"
    assert inspected.source_encoding == "cp1251"
    assert "Вербівський ліцей" in inspected.content.decode("utf-8")
    assert inspected.preview["delimiter"] == ";"
    assert inspected.preview["rows"][0] == ["Вербівський ліцей", "вул. Соборна, 1", "512"]
    assert "cp1251" in inspected.note


def test_a_utf8_csv_with_broken_bytes_is_refused_with_the_line():
    content = csv_bytes(SCHOOLS) + "Ліцей №2,адреса,3\n".encode() + b"\xff\xfe bad,x,1\n"
    with pytest.raises(DocumentRejected) as refused:
        inspect_upload("schools.csv", content)
    message = refused.value.messages[0]
    assert "schools.csv" in message
    assert "line 5" in message or "рядку 5" in message


def test_ragged_rows_are_refused_with_their_line_numbers():
    rows = [*SCHOOLS, ["Зайвий", "рядок"], ["Ліцей", "адреса", "1", "зайве"]]
    with pytest.raises(DocumentRejected) as refused:
        inspect_upload("schools.csv", csv_bytes(rows))
    message = refused.value.messages[0]
    assert "schools.csv" in message
    assert "4, 5" in message


def test_a_header_naming_a_column_twice_is_refused():
    with pytest.raises(DocumentRejected) as refused:
        inspect_upload("x.csv", csv_bytes([["a", "b", "a"], ["1", "2", "3"]]))
    assert "«a»" in refused.value.messages[0]


def test_the_schema_gives_the_types_of_the_columns():
    inspected = inspect_upload("schools.csv", csv_bytes(SCHOOLS))
    types = {f["name"]: f["type"] for f in inspected.schema["fields"]}
    assert types == {"name": "string", "address": "string", "pupils": "integer"}
    assert inspected.row_count == 2


def test_the_preview_keeps_only_the_first_100_rows():
    rows = [["n", "square"], *[[str(i), str(i * i)] for i in range(250)]]
    inspected = inspect_upload("big.csv", csv_bytes(rows))
    assert len(inspected.preview["rows"]) == 100
    assert inspected.row_count == 250


def test_xlsx_formulas_are_read_as_their_computed_values():
    def build(sheet):
        sheet.append(["name", "amount"])
        sheet.append(["a", 10])
        sheet.append(["b", 5])
        sheet["B4"] = "=SUM(B2:B3)"
        sheet["A4"] = "total"

    content = _xlsx(build)
    # openpyxl writes no computed value: the file is refused naming the cell.
    with pytest.raises(DocumentRejected) as refused:
        inspect_upload("budget.xlsx", content)
    assert "B4" in refused.value.messages[0]
    assert "budget.xlsx" in refused.value.messages[0]


def test_xlsx_formulas_with_cached_values_are_accepted(tmp_path):
    # A workbook saved by a spreadsheet program carries the value next to the formula.
    def build(sheet):
        sheet.append(["name", "amount"])
        sheet.append(["a", 10])

    content = _xlsx(build)
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v>10</v>", b"<f>5*2</f><v>10</v>")
            target.writestr(item, data)
    inspected = inspect_upload("budget.xlsx", out.getvalue())
    assert inspected.preview["rows"] == [["a", "10"]]
    assert "formula" in inspected.note or "формул" in inspected.note


def test_merged_cells_are_refused_with_their_range():
    def build(sheet):
        sheet.append(["Звіт за рік", None, None])
        sheet.merge_cells("A1:C1")
        sheet.append(["a", "b", "c"])

    with pytest.raises(DocumentRejected) as refused:
        inspect_upload("report.xlsx", _xlsx(build))
    assert "A1:C1" in refused.value.messages[0]


def test_type_is_decided_by_content_not_by_the_extension():
    with pytest.raises(DocumentRejected) as refused:
        inspect_upload("schools.xlsx", csv_bytes(SCHOOLS))
    assert ".xlsx" in refused.value.messages[0]
    assert "CSV" in refused.value.messages[0]


def test_broken_json_is_refused_with_line_and_column():
    with pytest.raises(DocumentRejected) as refused:
        inspect_upload("data.json", b'[\n{"a": 1},\n{"a": }\n]')
    assert "3" in refused.value.messages[0]


def test_json_array_of_objects_gets_a_preview():
    inspected = inspect_upload("data.json", json.dumps([{"a": 1, "b": "x"}]).encode())
    assert inspected.preview == {"fields": ["a", "b"], "rows": [["1", "x"]]}


def test_xml_with_entities_and_html_pages_are_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    with pytest.raises(DocumentRejected):
        inspect_upload("data.xml", bomb)
    with pytest.raises(DocumentRejected) as refused:
        inspect_upload("page.csv", b"<!doctype html><html><body>hi</body></html>")
    assert "HTML" in refused.value.messages[0]


def test_files_over_the_limit_and_empty_files_are_refused(settings):
    settings.OPENDATA_MAX_FILE_SIZE = 100
    with pytest.raises(DocumentRejected):
        inspect_upload("big.csv", b"a,b\n" + b"1,2\n" * 100)
    with pytest.raises(DocumentRejected):
        inspect_upload("empty.csv", b"")
