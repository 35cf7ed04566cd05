"""Uploaded files of open data: what a file really is (by content, not by its extension),
whether it is fit to publish, its structure (a Table Schema) and a preview of its first rows.

``inspect_upload(name, content)`` returns an ``InspectedFile`` or raises ``DocumentRejected``
(``ratusha.acts.documents``) with a Ukrainian message naming the file and the place:

- CSV: UTF-8 (a byte-order mark is dropped); a file in a single-byte Cyrillic encoding
  (cp1251 is the usual one, also KOI8-U, CP866) is recognised with charset-normalizer and
  converted to UTF-8; a UTF-8 file with broken bytes is refused with the line of the first one.
  Rows with another number of values than the header are refused with their line numbers.
- XLSX: merged cells are refused with their range; formulas are read as the values the
  spreadsheet computed, and a formula without a computed value is refused with its cell.
- JSON and XML must parse (XML without DTD or entities); PDF and DOCX are checked by the acts'
  document inspector; ODS is accepted as it is.
- Sizes: ``OPENDATA_MAX_FILE_SIZE`` (100 MB), XLSX ``OPENDATA_MAX_XLSX_SIZE`` (20 MB).

The preview (``PREVIEW_ROWS`` rows) and the schema are computed here once and stored with the
version, never on a page view.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ratusha.acts.documents import (
    DocumentRejected,
    check_size,
    check_zip,
    inspect_document,
    read_member,
    rejected,
)

from .choices import EXTENSIONS, MEDIA_TYPES, ResourceFormat

__all__ = ["DocumentRejected", "InspectedFile", "inspect_upload", "table_schema"]

MIB = 1024 * 1024
PREVIEW_ROWS = 100
SCHEMA_SAMPLE_ROWS = 1000
LISTED_LINES = 10  # ragged lines named in a refusal; the rest are counted
CYRILLIC_ENCODINGS = ["cp1251", "koi8_u", "cp866", "mac_cyrillic", "iso8859_5"]
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
ACCEPTED = "CSV, XLSX, JSON, XML, PDF, DOCX, ODS"


@dataclass
class InspectedFile:
    name: str
    content: bytes
    format: str
    media_type: str
    size: int
    sha256: str
    source_encoding: str = ""
    schema: dict = field(default_factory=dict)
    preview: dict | None = None
    row_count: int | None = None
    note: str = ""


def max_file_size() -> int:
    return getattr(settings, "OPENDATA_MAX_FILE_SIZE", 100 * MIB)


def max_xlsx_size() -> int:
    return getattr(settings, "OPENDATA_MAX_XLSX_SIZE", 20 * MIB)


def inspect_upload(name: str, content: bytes) -> InspectedFile:
    """What ``content`` uploaded as ``name`` is, ready to store; or ``DocumentRejected``."""
    name = PurePosixPath(name.replace("\\", "/")).name or name
    check_size(name, len(content), max_file_size())
    head = content[:2048]
    if b"%PDF-" in head[:1024]:
        inspected = _document(name, content, ResourceFormat.PDF)
    elif head.startswith(b"PK\x03\x04"):
        inspected = _zip_based(name, content)
    elif head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise rejected(
            name,
            _(
                "the file is in the old Excel/Word format (.xls/.doc) or protected by a "
                "password: save it as XLSX or CSV"
            ),
        )
    else:
        inspected = _text_based(name, content)
    _check_extension(name, inspected.format)
    return inspected


def _finish(name: str, content: bytes, fmt: str, **kwargs) -> InspectedFile:
    return InspectedFile(
        name=name,
        content=content,
        format=fmt,
        media_type=MEDIA_TYPES[fmt],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        **kwargs,
    )


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lstrip(".").lower()


def _check_extension(name: str, fmt: str) -> None:
    extension = _extension(name)
    if extension == EXTENSIONS[fmt]:
        return
    if not extension:
        raise rejected(
            name,
            _("the file has no extension; its content is %(format)s: name it .%(suggested)s")
            % {"format": fmt, "suggested": EXTENSIONS[fmt]},
        )
    raise rejected(
        name,
        _("the extension .%(extension)s does not match the content, which is %(format)s")
        % {"extension": extension, "format": fmt},
    )


# --- documents and ZIP containers -------------------------------------------------------------


def _document(name: str, content: bytes, fmt: str) -> InspectedFile:
    # The acts' inspector checks a PDF or DOCX for damage, encryption and hostile content.
    _check_extension(name, fmt)
    inspect_document(name, content, max_size=max_file_size())
    return _finish(name, content, fmt, schema={"description": "document"})


def _zip_based(name: str, content: bytes) -> InspectedFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise rejected(name, _("the file is damaged and cannot be read")) from exc
    with archive:
        check_zip(name, archive)
        members = set(archive.namelist())
        if "xl/workbook.xml" in members:
            return _xlsx(name, content)
        if "word/document.xml" in members:
            return _document(name, content, ResourceFormat.DOCX)
        if "mimetype" in members:
            mimetype = read_member(name, archive, "mimetype", limit=256).strip()
            if mimetype == ODS_MIMETYPE:
                return _finish(name, content, ResourceFormat.ODS)
    raise rejected(
        name,
        _("the format (%(format)s) is not accepted: upload %(accepted)s")
        % {"format": _("ZIP archive"), "accepted": ACCEPTED},
    )


# --- text: encoding -----------------------------------------------------------------------------


def _line_of(content: bytes, offset: int) -> int:
    return content.count(b"\n", 0, offset) + 1


def decode_text(name: str, content: bytes) -> tuple[str, str]:
    """The text of ``content`` and the encoding it was converted from ("" for UTF-8)."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise rejected(name, _("the file is damaged and cannot be read")) from exc
    try:
        return content.decode("utf-8"), ""
    except UnicodeDecodeError as exc:
        first_error = exc.start
    as_utf8 = content.decode("utf-8", errors="replace")
    broken = as_utf8.count("\ufffd")
    valid_non_ascii = sum(1 for char in as_utf8 if ord(char) > 127) - broken
    if valid_non_ascii > 4 * broken:
        # Mostly good UTF-8 with a few bad bytes: a damaged file, not another encoding.
        raise rejected(
            name,
            _(
                "the text is in UTF-8 but has broken characters (the first on line %(line)s): "
                "fix the file and upload it again"
            )
            % {"line": _line_of(content, first_error)},
        )
    from charset_normalizer import from_bytes

    best = from_bytes(content[: 2 * MIB], cp_isolation=CYRILLIC_ENCODINGS).best()
    if best is None:
        raise rejected(
            name,
            _(
                "the text is not in UTF-8 and its encoding could not be recognised: save it "
                "as «CSV UTF-8» and upload it again"
            ),
        )
    encoding = best.encoding
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError as exc:
        raise rejected(
            name,
            _(
                "the text looks like %(encoding)s but line %(line)s cannot be read in it: save "
                "the file as «CSV UTF-8» and upload it again"
            )
            % {"encoding": encoding, "line": _line_of(content, exc.start)},
        ) from exc
    return text, encoding


# --- text formats -------------------------------------------------------------------------------


def _text_based(name: str, content: bytes) -> InspectedFile:
    if b"\x00" in content[:8192] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise rejected(
            name,
            _("the format (%(format)s) is not accepted: upload %(accepted)s")
            % {"format": _("binary file of an unknown kind"), "accepted": ACCEPTED},
        )
    text, encoding = decode_text(name, content)
    start = text.lstrip()[:1]
    if start in ("{", "["):
        return _json(name, text, encoding)
    if start == "<":
        lowered = text.lstrip()[:1024].lower()
        if lowered.startswith(("<!doctype html", "<html")) or "<html" in lowered:
            raise rejected(
                name,
                _("the format (%(format)s) is not accepted: upload %(accepted)s")
                % {"format": _("web page (HTML)"), "accepted": ACCEPTED},
            )
        return _xml(name, text, encoding)
    return _csv(name, text, encoding)


def _conversion_note(encoding: str) -> str:
    if not encoding:
        return ""
    return _("Converted to UTF-8 from %(encoding)s.") % {"encoding": encoding}


def _json(name: str, text: str, encoding: str) -> InspectedFile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise rejected(
            name,
            _("the JSON is broken on line %(line)s, column %(column)s: %(problem)s")
            % {"line": exc.lineno, "column": exc.colno, "problem": exc.msg},
        ) from exc
    preview = row_count = None
    schema: dict = {"description": "JSON"}
    if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        fields: list[str] = []
        for item in data[:SCHEMA_SAMPLE_ROWS]:
            fields.extend(key for key in item if key not in fields)
        rows = [[_cell_text(item.get(key)) for key in fields] for item in data[:PREVIEW_ROWS]]
        sample = [[item.get(key) for key in fields] for item in data[:SCHEMA_SAMPLE_ROWS]]
        schema = table_schema(fields, sample)
        preview = {"fields": fields, "rows": rows}
        row_count = len(data)
    content = text.encode("utf-8")
    return _finish(
        name,
        content,
        ResourceFormat.JSON,
        source_encoding=encoding,
        schema=schema,
        preview=preview,
        row_count=row_count,
        note=_conversion_note(encoding),
    )


def _xml(name: str, text: str, encoding: str) -> InspectedFile:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    content = text.encode("utf-8")
    if encoding:
        # The declaration must follow the conversion.
        content = re.sub(
            rb"^(\s*<\?xml[^>]*encoding=)([\"'])[^\"']*\2",
            rb"\1\2UTF-8\2",
            content,
            count=1,
        )
    try:
        root = fromstring(content, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise rejected(
            name, _("the XML contains a DTD or entities, which are not allowed")
        ) from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise rejected(
            name,
            _("the XML is broken on line %(line)s, column %(column)s")
            % {"line": line, "column": column + 1},
        ) from exc
    return _finish(
        name,
        content,
        ResourceFormat.XML,
        source_encoding=encoding,
        schema={"description": "XML", "root": root.tag},
        note=_conversion_note(encoding),
    )


def _sniff_delimiter(sample: str) -> str:
    first_line = sample.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: first_line.count(d) for d in ",;\t|"}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _csv(name: str, text: str, encoding: str) -> InspectedFile:
    delimiter = _sniff_delimiter(text[:65536])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    header_line = 0
    ragged: list[int] = []
    ragged_count = 0
    rows: list[list[str]] = []
    sample: list[list[str]] = []
    row_count = 0
    try:
        for row in reader:
            if not row or all(not cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip() for cell in row]
                header_line = reader.line_num
                _check_header(name, header, header_line)
                continue
            if len(row) != len(header):
                ragged_count += 1
                if len(ragged) < LISTED_LINES:
                    ragged.append(reader.line_num)
                continue
            row_count += 1
            if len(rows) < PREVIEW_ROWS:
                rows.append(row)
            if len(sample) < SCHEMA_SAMPLE_ROWS:
                sample.append(row)
    except csv.Error as exc:
        raise rejected(
            name,
            _("the CSV is malformed on line %(line)s: %(problem)s")
            % {"line": reader.line_num, "problem": str(exc)},
        ) from exc
    if header is None:
        raise rejected(name, _("the table is empty: it has no header row"))
    if ragged_count:
        lines = ", ".join(str(number) for number in ragged)
        more = ragged_count - len(ragged)
        problem = ngettext(
            "%(count)s row has a number of values other than the %(columns)s columns of the "
            "header: line %(lines)s",
            "%(count)s rows have a number of values other than the %(columns)s columns of the "
            "header: lines %(lines)s",
            ragged_count,
        ) % {"count": ragged_count, "columns": len(header), "lines": lines}
        if more:
            problem += " " + _("and %(more)s more") % {"more": more}
        raise rejected(name, problem)
    schema = table_schema(header, sample)
    return _finish(
        name,
        text.encode("utf-8"),
        ResourceFormat.CSV,
        source_encoding=encoding,
        schema=schema,
        preview={"fields": header, "rows": rows, "delimiter": delimiter},
        row_count=row_count,
        note=_conversion_note(encoding),
    )


def _check_header(name: str, header: list[str], line: int) -> None:
    seen: set[str] = set()
    for number, title in enumerate(header, start=1):
        if not title:
            raise rejected(
                name,
                _("column %(column)s of the header (line %(line)s) has no name")
                % {"column": number, "line": line},
            )
        if title in seen:
            raise rejected(
                name,
                _("the header (line %(line)s) names the column «%(title)s» twice")
                % {"line": line, "title": title},
            )
        seen.add(title)


# --- XLSX ----------------------------------------------------------------------------------------


def _xlsx(name: str, content: bytes) -> InspectedFile:
    if len(content) > max_xlsx_size():
        check_size(name, len(content), max_xlsx_size())
    from openpyxl import load_workbook

    try:
        formulas_book = load_workbook(io.BytesIO(content), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise rejected(name, _("the file is damaged and cannot be read")) from exc
    sheet = formulas_book.worksheets[0]
    merged = sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
    if merged:
        raise rejected(
            name,
            _(
                "cells %(cells)s of sheet «%(sheet)s» are merged: a table of open data needs "
                "one value in each cell; unmerge them (or remove the title above the table) "
                "and upload the file again"
            )
            % {"cells": merged[0].coord, "sheet": sheet.title},
        )
    formula_cells = [
        cell.coordinate
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("="))
    ]
    note = ""
    if formula_cells:
        values_book = load_workbook(io.BytesIO(content), data_only=True)
        values_sheet = values_book.worksheets[0]
        for coordinate in formula_cells:
            if values_sheet[coordinate].value is None:
                raise rejected(
                    name,
                    _(
                        "cell %(cell)s of sheet «%(sheet)s» holds a formula without a computed "
                        "value: open the file in a spreadsheet program, save it and upload it "
                        "again (or replace formulas with values)"
                    )
                    % {"cell": coordinate, "sheet": sheet.title},
                )
        sheet = values_sheet
        note = ngettext(
            "%(count)s formula is published as its computed value.",
            "%(count)s formulas are published as their computed values.",
            len(formula_cells),
        ) % {"count": len(formula_cells)}
    header, rows, sample, row_count = _sheet_table(name, sheet)
    schema = table_schema(header, sample)
    if len(formulas_book.worksheets) > 1:
        extra = _("Only the first sheet («%(sheet)s») is previewed.") % {"sheet": sheet.title}
        note = f"{note} {extra}".strip()
    return _finish(
        name,
        content,
        ResourceFormat.XLSX,
        schema=schema,
        preview={"fields": header, "rows": rows},
        row_count=row_count,
        note=note,
    )


def _sheet_table(name: str, sheet) -> tuple[list[str], list[list[str]], list[list], int]:
    header: list[str] | None = None
    width = 0
    rows: list[list[str]] = []
    sample: list[list] = []
    row_count = 0
    for values in sheet.iter_rows(values_only=True):
        cells = list(values)
        if all(value is None or str(value).strip() == "" for value in cells):
            continue
        if header is None:
            while cells and (cells[-1] is None or str(cells[-1]).strip() == ""):
                cells.pop()
            width = len(cells)
            header = [_cell_text(value).strip() for value in cells]
            row_number = _current_row(sheet, values)
            for column, title in enumerate(header, start=1):
                if not title:
                    from openpyxl.utils import get_column_letter

                    raise rejected(
                        name,
                        _("cell %(cell)s of the header on sheet «%(sheet)s» is empty")
                        % {
                            "cell": f"{get_column_letter(column)}{row_number}",
                            "sheet": sheet.title,
                        },
                    )
            _check_header(name, header, row_number)
            continue
        cells = (cells + [None] * width)[:width]
        row_count += 1
        if len(rows) < PREVIEW_ROWS:
            rows.append([_cell_text(value) for value in cells])
        if len(sample) < SCHEMA_SAMPLE_ROWS:
            sample.append(cells)
    if header is None:
        raise rejected(name, _("the table is empty: it has no header row"))
    return header, rows, sample, row_count


def _current_row(sheet, values) -> int:
    """The row number of the first non-empty row (the header) of ``sheet``."""
    for row in sheet.iter_rows():
        if any(cell.value not in (None, "") for cell in row):
            return row[0].row
    return 1


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time.min:
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# --- structure -----------------------------------------------------------------------------------

_INTEGER = re.compile(r"^-?\d{1,18}$")
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UA_DATE = re.compile(r"^\d{2}\.\d{2}\.\d{4}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?")


def _value_type(value) -> str | None:
    """The Table Schema type of one value (``None`` for an empty one)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, dt.datetime):
        return "date" if value.time() == dt.time.min else "datetime"
    if isinstance(value, dt.date):
        return "date"
    text = str(value).strip()
    if not text:
        return None
    if _INTEGER.match(text):
        return "integer"
    if _NUMBER.match(text):
        return "number"
    if _ISO_DATE.match(text):
        return "date"
    if _UA_DATE.match(text):
        return "date:%d.%m.%Y"
    if _DATETIME.match(text):
        return "datetime"
    return "string"


def _column_type(values) -> dict:
    kinds = {kind for value in values if (kind := _value_type(value)) is not None}
    if kinds <= {"integer"} and kinds:
        return {"type": "integer"}
    if kinds and kinds <= {"integer", "number"}:
        return {"type": "number", "decimalChar": "," if _has_comma(values) else "."}
    if kinds == {"date"}:
        return {"type": "date"}
    if kinds == {"date:%d.%m.%Y"}:
        return {"type": "date", "format": "%d.%m.%Y"}
    if kinds and kinds <= {"date", "datetime"}:
        return {"type": "datetime"}
    if kinds == {"boolean"}:
        return {"type": "boolean"}
    return {"type": "string"}


def _has_comma(values) -> bool:
    return any(isinstance(value, str) and "," in value for value in values)


def table_schema(fields: list[str], sample: list[list], titles: dict | None = None) -> dict:
    """A Table Schema (frictionless) of a table with columns ``fields``, the types inferred
    from the ``sample`` rows."""
    described = []
    for index, name in enumerate(fields):
        column = [row[index] for row in sample if index < len(row)]
        entry = {"name": name, **_column_type(column)}
        if titles and name in titles:
            entry["title"] = str(titles[name])
        described.append(entry)
    return {"fields": described, "missingValues": [""]}
