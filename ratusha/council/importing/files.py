"""Reading a voting file: CSV (encoding and delimiter detected) or XLSX (ZIP checked for
bombs, read with lxml's C parser without DTD or entities, or openpyxl for unusual workbooks),
decided by content. Everything refused here is refused as a whole (``ImportRefused``)."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ratusha.acts.documents import DocumentRejected, check_zip

from ..models import VotingImportProfile

MIB = 1024 * 1024
MAX_FILE_SIZE = 20 * MIB
HEADER_SEARCH_ROWS = 20  # a title or a blank line may come before the header


class ImportRefused(ValidationError):
    """The file as a whole cannot be imported; the message names the file and the reason."""


def _refused(name: str, problem: str) -> ImportRefused:
    return ImportRefused(
        _("File «%(name)s»: %(problem)s") % {"name": name, "problem": problem},
        code="import_refused",
    )


# Reading the file ---------------------------------------------------------------------------


@dataclass
class Table:
    """The rows of the file as ``(row number, cells)``; ``file_format`` «CSV» or «XLSX»."""

    file_format: str
    rows: list[tuple[int, list]]


def check_size(name: str, size: int) -> None:
    """Refuse a file over ``MAX_FILE_SIZE`` (before it is read into memory)."""
    if size > MAX_FILE_SIZE:
        raise _refused(
            name,
            _("the file is %(size)s, more than the limit of %(limit)s")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_FILE_SIZE)},
        )


def read_table(name: str, content: bytes, profile: VotingImportProfile) -> Table:
    """The rows of a CSV or XLSX file (by content), or ``ImportRefused``."""
    check_size(name, len(content))
    if not content.strip():
        raise _refused(name, _("the file is empty"))
    if content.startswith(b"PK\x03\x04"):
        return Table("XLSX", _xlsx_rows(name, content))
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refused(
            name, _("this is an old Excel (XLS) file; save it as XLSX or CSV and upload again")
        )
    return Table("CSV", _csv_rows(name, content, profile))


XLSX_MAX_UNPACKED = 150 * MIB  # what the workbook's parts may unpack to, all together


def _xlsx_rows(name: str, content: bytes) -> list[tuple[int, list]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refused(name, _("it is neither a CSV nor an XLSX file, or it is damaged")) from exc
    with archive:
        try:
            check_zip(name, archive, max_total=XLSX_MAX_UNPACKED)
        except DocumentRejected as exc:
            raise ImportRefused(exc.messages[0], code="import_refused") from exc
        if "xl/workbook.xml" not in archive.namelist():
            raise _refused(name, _("it is a ZIP archive, not an XLSX workbook"))
        try:
            return _FastSheet(archive).rows()
        except _Unsupported:
            pass  # an unusual workbook: openpyxl knows more of the format
        except (zipfile.BadZipFile, RuntimeError, EOFError, OSError, ValueError, LookupError,
                ArithmeticError) as exc:  # fmt: skip
            raise _refused(name, _("the XLSX file is damaged and cannot be read")) from exc
    return _openpyxl_rows(name, content)


def _openpyxl_rows(name: str, content: bytes) -> list[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise _refused(name, _("the XLSX file is damaged and cannot be read")) from exc
    try:
        if not workbook.worksheets:
            raise _refused(name, _("the workbook has no sheets"))
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some exporters write a wrong «dimension»
        return [
            (number, list(values))
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    except ImportRefused:
        raise
    except Exception as exc:
        raise _refused(name, _("the XLSX file is damaged and cannot be read")) from exc
    finally:
        workbook.close()


class _Unsupported(Exception):
    """Something ``_FastSheet`` does not read; openpyxl is asked instead."""


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class _FastSheet:
    """The first sheet's values through lxml's C parser, row by row (openpyxl's read-only
    mode parses with defusedxml's pure-Python parser: ~2–3 s for 12,000 rows, this ~0.6 s).
    No DTD is loaded, no entity resolved, nothing fetched; a part with a DTD, a strict-OOXML
    workbook or anything else unusual is left to openpyxl (``_Unsupported``)."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        try:
            from lxml import etree
        except ImportError as exc:  # lxml comes with python-docx; without it, openpyxl
            raise _Unsupported("lxml") from exc
        self.etree = etree

    def _stream(self, member: str):
        try:
            info = self.archive.getinfo(member)
        except KeyError as exc:
            raise _Unsupported(member) from exc
        with self.archive.open(info) as stream:
            head = stream.read(4096)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head or not head.lstrip(b"\xef\xbb\xbf"):
            raise _Unsupported(member)
        return self.archive.open(info)

    def _parse(self, member: str):
        with self._stream(member) as stream:
            parser = self.etree.XMLParser(
                resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
            )
            try:
                return self.etree.parse(stream, parser).getroot()
            except self.etree.XMLSyntaxError as exc:
                raise ValueError(str(exc)) from exc

    def _sheet_path(self) -> tuple[str, bool]:
        workbook = self._parse("xl/workbook.xml")
        if workbook.tag != f"{_MAIN}workbook":
            raise _Unsupported("not transitional OOXML")
        properties = workbook.find(f"{_MAIN}workbookPr")
        date1904 = properties is not None and properties.get("date1904", "0") in ("1", "true")
        sheet = workbook.find(f"{_MAIN}sheets/{_MAIN}sheet")
        if sheet is None:
            raise _Unsupported("no sheet")
        rid = sheet.get(f"{_REL}id")
        for rel in self._parse("xl/_rels/workbook.xml.rels").iter(f"{_PACKAGE_REL}Relationship"):
            if rel.get("Id") == rid:
                target = rel.get("Target", "")
                return (target[1:] if target.startswith("/") else f"xl/{target}"), date1904
        raise _Unsupported("no sheet target")

    @staticmethod
    def _text(item) -> str:
        """An ``<si>``'s or ``<is>``'s text: its ``<t>`` or its runs' (not the phonetic)."""
        direct = item.find(f"{_MAIN}t")
        if direct is not None:
            return direct.text or ""
        return "".join(t.text or "" for t in item.iterfind(f"{_MAIN}r/{_MAIN}t"))

    def _shared_strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self.archive.namelist():
            return []
        return [self._text(si) for si in self._parse("xl/sharedStrings.xml")]

    def _date_styles(self) -> set[int]:
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

        if "xl/styles.xml" not in self.archive.namelist():
            return set()
        styles = self._parse("xl/styles.xml")
        formats = dict(BUILTIN_FORMATS)
        for fmt in styles.iterfind(f"{_MAIN}numFmts/{_MAIN}numFmt"):
            formats[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "")
        return {
            index
            for index, xf in enumerate(styles.iterfind(f"{_MAIN}cellXfs/{_MAIN}xf"))
            if is_date_format(formats.get(int(xf.get("numFmtId", "0")), "") or "General")
        }

    def rows(self) -> list[tuple[int, list]]:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

        path, date1904 = self._sheet_path()
        strings = self._shared_strings()
        dates = self._date_styles()
        epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        value_tag, inline_tag = f"{_MAIN}v", f"{_MAIN}is"
        out: list[tuple[int, list]] = []
        next_row = 1
        with self._stream(path) as stream:
            events = self.etree.iterparse(
                stream,
                events=("end",),
                tag=f"{_MAIN}row",
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
            )
            try:
                for _event, row in events:
                    number = int(row.get("r") or next_row)
                    next_row = number + 1
                    values: list = []
                    for cell in row:
                        ref = cell.get("r")
                        index = _column_index(ref) if ref else len(values)
                        kind = cell.get("t", "n")
                        if kind == "inlineStr":
                            inline = cell.find(inline_tag)
                            value = self._text(inline) if inline is not None else None
                        else:
                            value = cell.findtext(value_tag) or None  # <v/>: no value
                            if value is not None:
                                if kind == "s":
                                    value = strings[int(value)]
                                elif kind == "b":
                                    value = value.strip() == "1"
                                elif kind == "n":
                                    number_value = float(value)
                                    if int(cell.get("s", "0")) in dates:
                                        value = from_excel(number_value, epoch)
                                    elif number_value.is_integer():
                                        value = int(number_value)
                                    else:
                                        value = number_value
                        if index >= len(values):
                            values.extend([None] * (index + 1 - len(values)))
                        values[index] = value
                    out.append((number, values))
                    row.clear()
                    while row.getprevious() is not None:
                        del row.getparent()[0]
            except self.etree.XMLSyntaxError as exc:
                raise ValueError(str(exc)) from exc
        return out


def _column_index(ref: str) -> int:
    """``B12`` → 1."""
    index = 0
    for char in ref:
        if char.isdigit():
            break
        index = index * 26 + (ord(char.upper()) - 64)
    return index - 1


def _decode(name: str, content: bytes, encoding: str) -> str:
    if encoding:
        try:
            return content.decode(encoding)
        except LookupError as exc:
            raise _refused(
                name, _("the profile names an unknown encoding «%(e)s»") % {"e": encoding}
            ) from exc
        except UnicodeDecodeError as exc:
            raise _refused(
                name, _("the file is not in the encoding «%(e)s»") % {"e": encoding}
            ) from exc
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", "replace")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    if b"\x00" in content[:4096]:
        raise _refused(name, _("it is neither a CSV nor an XLSX file, or it is damaged"))
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1251", "replace")


_DELIMITERS = (";", ",", "\t", "|")


def _delimiter(text: str, configured: str) -> str:
    """The profile's delimiter («\\t» or «tab» for a tab), else the most frequent of
    ``; , tab |`` in the first non-empty line."""
    configured = configured or ""
    if configured == "\t" or configured.strip().lower() in {"\\t", "tab"}:
        return "\t"
    if configured.strip():
        return configured.strip()[0]
    for line in text.splitlines()[:HEADER_SEARCH_ROWS]:
        counts = {d: line.count(d) for d in _DELIMITERS}
        best = max(counts, key=counts.get)
        if counts[best]:
            return best
    return ";"


def _csv_rows(name: str, content: bytes, profile: VotingImportProfile) -> list[tuple[int, list]]:
    text = _decode(name, content, (profile.encoding or "").strip())
    if not text.strip():
        raise _refused(name, _("the file is empty"))
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(text, profile.delimiter)
    )
    try:
        return [(number, row) for number, row in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise _refused(name, _("the CSV cannot be read (%(error)s)") % {"error": str(exc)}) from exc
