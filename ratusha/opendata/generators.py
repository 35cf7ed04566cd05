"""Registers of Ratusha published as datasets without anyone uploading a file.

- ``acts`` (key: the kind's code): the register of public acts of one kind, from
  ``ratusha.acts.selectors.act_export_rows``.
- ``council_votes`` (key: the meeting's id): the roll-call votes of one meeting — the tables
  ``motions``, ``votings`` and ``deputies`` of ``ratusha.council.opendata``, reused as they are.
- ``datasets``: the register of the community's datasets (their passports).

Each table is written as CSV (UTF-8, header row of camelCase names), JSON (an array of objects)
and XLSX, each with its structure (a Table Schema with the type and the Ukrainian description
of every field). Files are written to temporary files with their SHA-256; the services keep a
file as a new version only when its checksum changed.

Passports are data in Ukrainian (what the national portal shows), not interface text.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from ratusha.core.site_urls import UrlPattern

from .choices import (
    FREQUENCY_PASSPORT,
    MEDIA_TYPES,
    Generator,
    ResourceFormat,
    Theme,
)

PREVIEW_ROWS = 100
FORMATS = (ResourceFormat.CSV, ResourceFormat.JSON, ResourceFormat.XLSX)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BASIS = (
    "Закон України «Про доступ до публічної інформації» (ст. 10-1); постанова Кабінету "
    "Міністрів України від 21.10.2015 № 835 «Про затвердження Положення про набори даних, які "
    "підлягають оприлюдненню у формі відкритих даних»"
)


def base_url() -> str:
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")


@dataclass
class TableSpec:
    name: str
    title: str
    description: str
    fields: tuple[str, ...]
    types: dict[str, str]
    titles: dict[str, str]
    rows: Callable[[], Iterator[dict]]
    # Writers that already exist for this table (the council's), by format.
    streams: dict[str, Callable[[], Iterable[bytes]]] = field(default_factory=dict)

    def schema(self) -> dict:
        return {
            "fields": [
                {
                    "name": name,
                    "type": self.types.get(name, "string"),
                    "title": self.titles.get(name, name),
                }
                for name in self.fields
            ],
            "missingValues": [""],
        }


@dataclass
class Output:
    key: str
    title: str
    description: str
    format: str
    filename: str
    path: str
    size: int
    sha256: str
    schema: dict
    preview: dict | None
    row_count: int | None

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    def open(self):
        return open(self.path, "rb")  # noqa: SIM115 - closed by the storage that reads it

    def close(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)


# --- the council and its default maintainer --------------------------------------------------


def _hromada():
    from wagtail.models import Site

    from ratusha.core.models import HromadaSettings

    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    return HromadaSettings.for_site(site) if site is not None else None


def _maintainer() -> dict:
    hromada = _hromada()
    name = (hromada.council_name if hromada else "") or "Рада громади"
    email = (hromada.email if hromada else "") or "opendata@example.org"
    return {"maintainer_name": name, "maintainer_email": email}


# --- acts --------------------------------------------------------------------------------------


ACT_FIELDS = (
    "id",
    "kind",
    "number",
    "date",
    "title",
    "issuingBody",
    "status",
    "publishedAt",
    "updatedAt",
    "url",
)
ACT_TYPES = {"id": "integer", "date": "date", "publishedAt": "datetime", "updatedAt": "datetime"}
ACT_TITLES = {
    "id": "Ідентифікатор акта в реєстрі",
    "kind": "Вид акта",
    "number": "Номер",
    "date": "Дата ухвалення (підписання, для проєкту — реєстрації)",
    "title": "Назва",
    "issuingBody": "Орган, що видав акт",
    "status": "Стан",
    "publishedAt": "Дата й час оприлюднення",
    "updatedAt": "Дата й час останнього оновлення тексту",
    "url": "Адреса сторінки акта",
}


def _act_kind(code: str):
    from ratusha.acts.models import ActKind

    return ActKind.objects.filter(code=code).first()


def _act_passport(code: str) -> dict | None:
    from ratusha.acts.selectors import ActFilters, act_list_ids

    kind = _act_kind(code)
    if kind is None or not act_list_ids(ActFilters(kind=code)).exists():
        return None
    return {
        "identifier": f"acts-{code}"[:100].lower().replace("_", "-"),
        "title": f"Реєстр актів: {kind.name_plural}"[:254],
        "description": (
            f"Перелік оприлюднених актів виду «{kind.name}»: номер, дата, назва, орган, що "
            "видав акт, стан, дата оприлюднення та адреса тексту на офіційному вебсайті. "
            "Набір оновлюється автоматично після кожної зміни в реєстрі актів."
        ),
        "theme": Theme.GOVE,
        "basis": BASIS,
        "purpose": (
            "Оприлюднення актів органів місцевого самоврядування відповідно до статті 15 "
            "Закону України «Про доступ до публічної інформації»"
        ),
        "tags": ["акти", "рішення", kind.name_plural.lower()],
        **_maintainer(),
    }


def _act_tables(code: str) -> list[TableSpec]:
    from ratusha.acts.choices import ActStatus, IssuingBody
    from ratusha.acts.selectors import ActFilters, act_export_rows

    kind = _act_kind(code)
    root = base_url()
    act_url = UrlPattern("acts:detail", prefix=root)

    def rows() -> Iterator[dict]:
        from django.utils import translation

        with translation.override("uk"):
            bodies = {value: str(label) for value, label in IssuingBody.choices}
            statuses = {value: str(label) for value, label in ActStatus.choices}
        records = act_export_rows(ActFilters(kind=code, sort="date"))
        for pk, _kind, number, date, title, body, status, published, updated in records.iterator(
            chunk_size=2000
        ):
            yield {
                "id": pk,
                "kind": kind.name,
                "number": number,
                "date": date.isoformat(),
                "title": title,
                "issuingBody": bodies.get(body, body),
                "status": statuses.get(status, status),
                "publishedAt": _iso(published),
                "updatedAt": _iso(updated),
                "url": act_url(pk),
            }

    return [
        TableSpec(
            name="acts",
            title=kind.name_plural,
            description=f"Реєстр актів виду «{kind.name}»",
            fields=ACT_FIELDS,
            types=ACT_TYPES,
            titles=ACT_TITLES,
            rows=rows,
        )
    ]


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


# --- council votes --------------------------------------------------------------------------

VOTE_TITLES = {
    "motions": {
        "uid": "Ідентифікатор голосування",
        "date": "Дата й час голосування",
        "authorityName": "Назва ради",
        "authorityId": "Код ЄДРПОУ ради",
        "convocation": "Скликання",
        "legislativeSession": "Сесія (засідання)",
        "num": "Номер голосування в засіданні",
        "title": "Питання, що голосувалося",
        "projectNum": "Номер проєкту рішення",
        "votingFor": "Кількість голосів «за»",
        "votingAgainst": "Кількість голосів «проти»",
        "votingAbstain": "Кількість тих, хто утримався",
        "notVoting": "Кількість тих, хто не голосував",
        "absent": "Кількість відсутніх",
        "votingResult": "Результат голосування",
        "textUrl": "Адреса тексту проєкту (рішення)",
    },
    "votings": {
        "motionUid": "Ідентифікатор голосування",
        "voterId": "Ідентифікатор депутата в системі голосування",
        "voterName": "Прізвище, ім'я та по батькові депутата",
        "motionTitle": "Питання, що голосувалося",
        "result": "Як голосував депутат: За / Проти / Утримався / Не голосував / Відсутній",
    },
    "deputies": {
        "id": "Ідентифікатор депутата",
        "votingIdentifier": "Ідентифікатор у системі голосування",
        "fullName": "Прізвище, ім'я та по батькові",
        "convocation": "Скликання",
        "faction": "Фракція",
        "district": "Виборчий округ",
        "startDate": "Початок повноважень",
        "endDate": "Кінець повноважень",
    },
}
VOTE_TYPES = {
    "motions": {
        "date": "datetime",
        "convocation": "integer",
        "num": "integer",
        "votingFor": "integer",
        "votingAgainst": "integer",
        "votingAbstain": "integer",
        "notVoting": "integer",
        "absent": "integer",
    },
    "votings": {},
    "deputies": {"id": "integer", "convocation": "integer", "startDate": "date", "endDate": "date"},
}
VOTE_TABLE_TITLES = {
    "motions": "Голосування (motions)",
    "votings": "Голоси депутатів (votings)",
    "deputies": "Депутати (deputies)",
}


def _meeting(key: str):
    from ratusha.council.models import Meeting

    if not key.isdigit():
        return None
    return Meeting.objects.select_related("convocation").filter(pk=int(key)).first()


def _vote_passport(key: str) -> dict | None:
    from ratusha.council import opendata as council_opendata

    meeting = _meeting(key)
    if meeting is None:
        return None
    if not council_opendata.published_events().filter(meeting_id=meeting.pk).exists():
        return None
    return {
        "identifier": f"council-votes-meeting-{meeting.pk}",
        "title": f"Результати поіменного голосування: {meeting.title}"[:254],
        "description": (
            f"Результати поіменного голосування депутатів: {meeting.title}, "
            f"{meeting.date:%d.%m.%Y}. Таблиці motions (голосування), votings (голос кожного "
            "депутата) і deputies (депутати). Набір створюється й оновлюється автоматично "
            "після оприлюднення результатів голосування."
        ),
        "theme": Theme.GOVE,
        "basis": ("Закон України «Про місцеве самоврядування в Україні» (ч. 3 ст. 59); " + BASIS),
        "purpose": (
            "Оприлюднення результатів поіменного голосування депутатів на офіційному вебсайті ради"
        ),
        "tags": ["голосування", "депутати", "сесія"],
        **_maintainer(),
    }


def _vote_tables(key: str) -> list[TableSpec]:
    from ratusha.council import opendata as council_opendata

    meeting = _meeting(key)
    scope = council_opendata.Scope(convocation=meeting.convocation, meeting=meeting)
    root = base_url() + "/"
    tables = []
    for name in council_opendata.TABLES:
        tables.append(
            TableSpec(
                name=name,
                title=VOTE_TABLE_TITLES[name],
                description=f"{VOTE_TABLE_TITLES[name]}: {meeting.title}",
                fields=council_opendata.FIELDS[name],
                types=VOTE_TYPES[name],
                titles=VOTE_TITLES[name],
                rows=lambda name=name: council_opendata.rows(name, scope, base_url=root),
                streams={
                    fmt.upper(): (
                        lambda name=name, fmt=fmt: council_opendata.stream(
                            name, fmt, scope, base_url=root
                        )
                    )
                    for fmt in council_opendata.FORMATS
                },
            )
        )
    return tables


# --- the register of datasets --------------------------------------------------------------

DATASET_FIELDS = (
    "identifier",
    "title",
    "description",
    "holder",
    "updateFrequency",
    "formats",
    "firstPublished",
    "lastModified",
    "actualityDate",
    "nextUpdateDue",
    "keywords",
    "dataUrl",
    "structureUrl",
    "basis",
    "purpose",
    "maintainerName",
    "maintainerEmail",
    "license",
    "resources",
)
DATASET_TYPES = {
    "firstPublished": "datetime",
    "lastModified": "datetime",
    "actualityDate": "date",
    "nextUpdateDue": "date",
    "resources": "integer",
}
DATASET_TITLES = {
    "identifier": "Ідентифікаційний номер набору даних",
    "title": "Назва набору даних",
    "description": "Опис набору даних",
    "holder": "Розпорядник інформації",
    "updateFrequency": "Частота оновлення",
    "formats": "Формати",
    "firstPublished": "Дата й час першого оприлюднення",
    "lastModified": "Дата й час внесення останніх змін",
    "actualityDate": "Дата актуальності",
    "nextUpdateDue": "Наступне оновлення — не пізніше",
    "keywords": "Ключові слова",
    "dataUrl": "Посилання на набір даних",
    "structureUrl": "Посилання на структуру набору даних",
    "basis": "Підстава збору або отримання",
    "purpose": "Мета збору інформації",
    "maintainerName": "Відповідальна особа",
    "maintainerEmail": "Адреса електронної пошти відповідальної особи",
    "license": "Ліцензія",
    "resources": "Кількість ресурсів",
}


def _datasets_passport(_key: str) -> dict | None:
    return {
        "identifier": "datasets-register",
        "title": "Перелік наборів даних, що оприлюднюються у формі відкритих даних",
        "description": (
            "Паспорти всіх оприлюднених наборів даних громади: ідентифікатор, назва, опис, "
            "розпорядник, частота оновлення, формати, дати оприлюднення й останніх змін, "
            "ключові слова, посилання на дані та їхню структуру, відповідальна особа. Набір "
            "оновлюється автоматично після кожної зміни будь-якого набору."
        ),
        "theme": Theme.GOVE,
        "basis": BASIS,
        "purpose": "Облік і оприлюднення наборів даних розпорядника інформації",
        "tags": ["відкриті дані", "набори даних", "паспорт"],
        **_maintainer(),
    }


def _dataset_tables(_key: str) -> list[TableSpec]:
    from . import selectors

    root = base_url()

    def rows() -> Iterator[dict]:
        for record in selectors.register_rows(exclude_generator=Generator.DATASETS):
            yield {
                "identifier": record["identifier"],
                "title": record["title"],
                "description": record["description"],
                "holder": record["holder"],
                "updateFrequency": FREQUENCY_PASSPORT.get(
                    record["update_frequency"], record["update_frequency"]
                ),
                "formats": ", ".join(record["formats"]),
                "firstPublished": _iso(record["published_at"]),
                "lastModified": _iso(record["metadata_modified_at"]),
                "actualityDate": (
                    record["actuality_date"].isoformat() if record["actuality_date"] else ""
                ),
                "nextUpdateDue": record["next_due"].isoformat() if record["next_due"] else "",
                "keywords": ", ".join(record["tags"]),
                "dataUrl": record["data_url"] or root + record["url"],
                "structureUrl": root + record["structure_url"],
                "basis": record["basis"],
                "purpose": record["purpose"],
                "maintainerName": record["maintainer_name"],
                "maintainerEmail": record["maintainer_email"],
                "license": record["license"],
                "resources": record["resources"],
            }

    return [
        TableSpec(
            name="datasets",
            title="Набори даних",
            description="Паспорти наборів даних",
            fields=DATASET_FIELDS,
            types=DATASET_TYPES,
            titles=DATASET_TITLES,
            rows=rows,
        )
    ]


PASSPORTS: dict[str, Callable[[str], dict | None]] = {
    Generator.ACTS: _act_passport,
    Generator.COUNCIL_VOTES: _vote_passport,
    Generator.DATASETS: _datasets_passport,
}
TABLES: dict[str, Callable[[str], list[TableSpec]]] = {
    Generator.ACTS: _act_tables,
    Generator.COUNCIL_VOTES: _vote_tables,
    Generator.DATASETS: _dataset_tables,
}


def passport(generator: str, key: str) -> dict | None:
    """The passport of a generated dataset, or ``None`` while its register has nothing public."""
    return PASSPORTS[generator](key)


def all_keys() -> Iterator[tuple[str, str]]:
    """Every register that could publish itself now."""
    from ratusha.acts.models import ActKind
    from ratusha.council import opendata as council_opendata

    for code in ActKind.objects.order_by("sort_order", "name").values_list("code", flat=True):
        yield Generator.ACTS, code
    meetings = (
        council_opendata.published_events()
        .order_by("meeting__date", "meeting_id")
        .values_list("meeting_id", flat=True)
        .distinct()
    )
    for meeting_id in dict.fromkeys(meetings):
        yield Generator.COUNCIL_VOTES, str(meeting_id)
    yield Generator.DATASETS, ""


# --- writing -------------------------------------------------------------------------------


def _safe(value):
    """A text cell a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return f"'{value}"
    return value


class _HashingWriter:
    """A binary temporary file that counts and hashes what is written to it."""

    def __init__(self, suffix: str):
        handle, self.path = tempfile.mkstemp(prefix="ratusha-opendata-", suffix=suffix)
        self.file = os.fdopen(handle, "wb")
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.size += len(data)
        self.file.write(data)

    def close(self) -> None:
        self.file.close()


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_pieces(table: TableSpec) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    yield writer.writerow(table.fields).encode("utf-8")
    text = [table.types.get(name, "string") == "string" for name in table.fields]
    chunk = []
    for record in table.rows():
        chunk.append(
            writer.writerow(
                [
                    _safe(record[name]) if is_text else record[name]
                    for name, is_text in zip(table.fields, text, strict=True)
                ]
            )
        )
        if len(chunk) >= 500:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    if chunk:
        yield "".join(chunk).encode("utf-8")


def _json_pieces(table: TableSpec) -> Iterator[bytes]:
    from ratusha.council.opendata import write_json

    for piece in write_json(table.rows(), table.fields):
        yield piece.encode("utf-8")


def _write_xlsx(table: TableSpec) -> tuple[_HashingWriter, dict, int]:
    """The XLSX of a table, with the preview and the row count taken on the way."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.name[:31])
    sheet.append(list(table.fields))
    rows: list[list[str]] = []
    count = 0
    for record in table.rows():
        values = [record[name] for name in table.fields]
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
            cells.append(cell)
        sheet.append(cells)
        count += 1
        if len(rows) < PREVIEW_ROWS:
            rows.append(["" if value is None else str(value) for value in values])
    target = _HashingWriter(".xlsx")
    target.close()
    _save_reproducibly(workbook, target.path)
    digest = hashlib.sha256()
    with open(target.path, "rb") as saved:
        for block in iter(lambda: saved.read(1024 * 1024), b""):
            digest.update(block)
    target.digest = digest
    target.size = os.path.getsize(target.path)
    return target, {"fields": list(table.fields), "rows": rows}, count


def _save_reproducibly(workbook, path: str) -> None:
    """Save a workbook so that the same data gives the same bytes: a fixed creation and change
    time in its properties and every member of the ZIP dated 1980-01-01 (openpyxl stamps «now»
    on both), so an unchanged table keeps its checksum and adds no version. The moment the
    data changed is the version's ``created_at``."""
    import datetime as dt
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    workbook.properties.created = dt.datetime(2000, 1, 1)
    workbook.properties.modified = dt.datetime(2000, 1, 1)
    raw = f"{path}.raw"
    try:
        ExcelWriter(
            workbook, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        ).save()
        with (
            zipfile.ZipFile(raw) as source,
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as target,
        ):
            for item in source.infolist():
                fixed = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
                fixed.compress_type = zipfile.ZIP_DEFLATED
                fixed.external_attr = item.external_attr
                with source.open(item) as member, target.open(fixed, "w") as out:
                    for block in iter(lambda member=member: member.read(1024 * 1024), b""):
                        out.write(block)
    finally:
        if os.path.exists(raw):
            os.unlink(raw)


def _write_pieces(pieces: Iterable[bytes], suffix: str) -> _HashingWriter:
    target = _HashingWriter(suffix)
    try:
        for piece in pieces:
            target.write(piece)
    finally:
        target.close()
    return target


def build(dataset) -> list[Output]:
    """The files of a generated dataset: every table in every format."""
    tables = TABLES[dataset.generator](dataset.generator_key)
    outputs: list[Output] = []
    try:
        for table in tables:
            schema = table.schema()
            xlsx, preview, count = _write_xlsx(table)
            written = {ResourceFormat.XLSX: xlsx}
            for fmt, pieces in (
                (ResourceFormat.CSV, _csv_pieces),
                (ResourceFormat.JSON, _json_pieces),
            ):
                stream = table.streams.get(fmt)
                source = stream() if stream is not None else pieces(table)
                written[fmt] = _write_pieces(source, f".{fmt.lower()}")
            for fmt in FORMATS:
                target = written[fmt]
                outputs.append(
                    Output(
                        key=f"{table.name}.{fmt.lower()}",
                        title=f"{table.title} ({fmt})",
                        description=table.description,
                        format=fmt,
                        filename=f"{dataset.identifier}-{table.name}.{fmt.lower()}",
                        path=target.path,
                        size=target.size,
                        sha256=target.digest.hexdigest(),
                        schema=schema,
                        preview=preview,
                        row_count=count,
                    )
                )
    except BaseException:
        for output in outputs:
            output.close()
        raise
    return outputs
