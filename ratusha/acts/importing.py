"""Bulk import of acts from a folder of files, with an optional manifest CSV.

One path for every door: ``manage.py import_acts`` and the admin's ZIP import both call
``import_folder``. Files are read, checked and their text extracted in worker processes
(``documents.inspect_document``, ``propose_fields``); each good file is then registered (and
published) through ``services`` in the main process, one transaction per file, so a refused file
changes nothing and does not undo the others. A file whose checksum is already in the registry is
skipped, so a second run changes nothing. Every refused file is reported with its reason.

The manifest (UTF-8 with or without BOM, or Windows-1251; comma, semicolon or tab separated) has
the columns ``kind, number, date, title, file`` and optionally ``published`` (the date the act was
first published elsewhere); Ukrainian headers (вид, номер, дата, назва, файл, опубліковано) work
too. A blank cell is filled from the document's text; a file without a row takes the ``kind``
given to the import and its number, date and title from the text — a file whose date or title
cannot be found there is reported, never guessed.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import multiprocessing
import os
import re
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .choices import TextStatus
from .documents import (
    DocumentRejected,
    InspectedDocument,
    OcrFailed,
    check_size,
    inspect_document,
    ocr_image_or_pdf,
    propose_fields,
)

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("kind", "number", "date", "title", "file", "published")
MANIFEST_ALIASES = {
    "вид": "kind",
    "вид акта": "kind",
    "номер": "number",
    "дата": "date",
    "назва": "title",
    "заголовок": "title",
    "файл": "file",
    "опубліковано": "published",
    "дата оприлюднення": "published",
}
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
KYIV = ZoneInfo("Europe/Kyiv")


class ImportSetupError(Exception):
    """The import cannot start at all (no folder, unreadable manifest, unknown kind)."""


IMPORTED, SKIPPED, FAILED = "imported", "skipped", "failed"


@dataclass
class FileOutcome:
    file: str
    result: str
    reason: str = ""
    act_id: int | None = None
    act: str = ""
    published: bool = False

    @property
    def result_label(self) -> str:
        return {
            IMPORTED: pgettext("import result", "imported"),
            SKIPPED: pgettext("import result", "skipped"),
            FAILED: pgettext("import result", "failed"),
        }[self.result]


@dataclass
class ImportReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, outcome: FileOutcome) -> None:
        self.outcomes.append(outcome)

    def _of(self, result: str) -> list[FileOutcome]:
        return sorted((o for o in self.outcomes if o.result == result), key=lambda o: o.file)

    @property
    def imported(self) -> list[FileOutcome]:
        return self._of(IMPORTED)

    @property
    def skipped(self) -> list[FileOutcome]:
        return self._of(SKIPPED)

    @property
    def failed(self) -> list[FileOutcome]:
        return self._of(FAILED)

    @property
    def published_count(self) -> int:
        return sum(1 for o in self.outcomes if o.published)

    def summary_lines(self) -> list[str]:
        """The report for a person: counts, then «файл: причина» for every refused file."""
        lines = [
            _("Imported: %(count)d (published: %(published)d)")
            % {"count": len(self.imported), "published": self.published_count},
            _("Skipped (already in the registry): %(count)d") % {"count": len(self.skipped)},
            _("Failed: %(count)d") % {"count": len(self.failed)},
        ]
        lines += [f"  {o.file}: {o.reason}" for o in self.failed]
        return lines

    def write_csv(self, path: str | os.PathLike) -> None:
        """The report as CSV (UTF-8 with BOM, so Excel opens it): file, result, act, reason."""
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                [
                    pgettext("import report", "file"),
                    pgettext("import report", "result"),
                    pgettext("import report", "act"),
                    pgettext("import report", "reason"),
                ]
            )
            for outcome in sorted(self.outcomes, key=lambda o: o.file):
                writer.writerow([outcome.file, outcome.result_label, outcome.act, outcome.reason])


# --- the manifest ------------------------------------------------------------------------------


@dataclass
class ManifestRow:
    line: int
    file: str
    kind: str = ""
    number: str = ""
    date: str = ""
    title: str = ""
    published: str = ""


def decode_text(raw: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1251."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1251")


def _normal_path(value: str) -> str:
    value = value.strip().replace("\\", "/")
    while value.startswith("./"):
        value = value[2:]
    return value


def read_manifest(path: str | os.PathLike) -> list[ManifestRow]:
    try:
        text = decode_text(Path(path).read_bytes())
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportSetupError(
            _("The manifest %(path)s cannot be read: %(error)s") % {"path": path, "error": exc}
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise ImportSetupError(_("The manifest %(path)s is empty.") % {"path": path}) from exc
    columns = []
    for name in header:
        key = name.strip().strip("\ufeff").lower()
        columns.append(MANIFEST_ALIASES.get(key, key))
    if "file" not in columns:
        raise ImportSetupError(
            _("The manifest %(path)s has no column «file» (columns: %(columns)s).")
            % {"path": path, "columns": ", ".join(MANIFEST_COLUMNS)}
        )
    rows = []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            values = {
                column: (record[index].strip() if index < len(record) else "")
                for index, column in enumerate(columns)
                if column in MANIFEST_COLUMNS
            }
            values["file"] = _normal_path(values.get("file", ""))
            rows.append(ManifestRow(line=reader.line_num, **values))
    except csv.Error as exc:
        raise ImportSetupError(
            _("The manifest %(path)s cannot be read: %(error)s") % {"path": path, "error": exc}
        ) from exc
    return rows


_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(value: str) -> dt.date:
    """ДД.ММ.РРРР or РРРР-ММ-ДД; a ``ValueError`` with a Ukrainian message otherwise."""
    value = value.strip()
    if match := _DMY.match(value):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.match(value):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise ValueError(
            _("unreadable date «%(value)s» (expected ДД.ММ.РРРР or РРРР-ММ-ДД)") % {"value": value}
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(
            _("the date %(date)s does not exist") % {"date": f"{day:02d}.{month:02d}.{year}"}
        ) from None


class Kinds:
    """Kinds of acts by code or by name (either may be given)."""

    def __init__(self):
        from .models import ActKind

        self.by_key = {}
        for kind in ActKind.objects.all():
            for key in (kind.code, kind.name, kind.name_plural):
                self.by_key.setdefault(key.strip().casefold(), kind)

    def get(self, value):
        return self.by_key.get((value or "").strip().casefold())


# --- the work in worker processes --------------------------------------------------------------


@dataclass
class _Job:
    path: str
    relative: str
    needs_fields: bool
    ocr: bool
    max_size: int | None
    language: str


@dataclass
class _Inspected:
    document: InspectedDocument | None = None
    proposed: dict | None = None
    problem: str = ""
    known: bool = False


def inspect_job(job: _Job, known: Iterable[str] | frozenset[str] = frozenset()) -> _Inspected:
    """Read one file, check it, extract its text and propose its fields (no database here)."""
    import hashlib

    name = os.path.basename(job.path)
    with translation.override(job.language):
        try:
            check_size(name, os.stat(job.path).st_size, job.max_size)
            with open(job.path, "rb") as handle:
                content = handle.read()
            if hashlib.sha256(content).hexdigest() in known:
                return _Inspected(known=True)
            document = inspect_document(name, content, max_size=job.max_size)
        except DocumentRejected as exc:
            return _Inspected(problem=exc.problem)
        except OSError as exc:
            return _Inspected(
                problem=_("the file cannot be read: %(error)s") % {"error": exc.strerror or exc}
            )
        if job.ocr and job.needs_fields and document.text_status == TextStatus.OCR_PENDING:
            try:
                text = ocr_image_or_pdf(content, document.file_format)
            except OcrFailed as exc:
                return _Inspected(document=document, problem=str(exc))
            if text:
                document.text, document.text_status = text, TextStatus.DONE_OCR
        proposed = propose_fields(document.text) if document.text else None
        return _Inspected(document=document, proposed=proposed)


def _reader_main(connection, known: frozenset[str]) -> None:
    """A reader process: inspect the files it is sent, one at a time, in order. It yields the
    CPU to the registering process, the import's bottleneck, which it keeps well ahead of."""
    with contextlib.suppress(OSError):
        os.nice(10)
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            break
        if job is None:
            break
        connection.send(inspect_job(job, known))
    connection.close()


class _Readers:
    """Reader processes fed round-robin over pipes; results are taken back in job order.

    No threads in this process (a ``ProcessPoolExecutor``'s manager and feeder threads fight the
    registering thread for the GIL and slowed the import measurably), and a reader that dies or
    hangs is blamed exactly: each reads its files one by one, so the file whose result does not
    come is the culprit. The reader is replaced and given back its queued files."""

    AHEAD = 4  # files queued per reader

    def __init__(self, count: int, known: set[str], timeout: float):
        self.context = multiprocessing.get_context("fork")
        self.known = frozenset(known)
        self.timeout = timeout
        self.readers: list = [None] * count
        self.queued: list[deque] = [deque() for _ in range(count)]
        for slot in range(count):
            self._start(slot)

    def _start(self, slot: int) -> None:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_reader_main, args=(child, self.known), daemon=True)
        process.start()
        child.close()
        self.readers[slot] = (process, parent)
        for job in self.queued[slot]:
            parent.send(job)

    def send(self, slot: int, job: _Job) -> None:
        self.queued[slot].append(job)
        self.readers[slot][1].send(job)

    def receive(self, slot: int) -> _Inspected:
        process, connection = self.readers[slot]
        try:
            if connection.poll(self.timeout):
                result = connection.recv()
                self.queued[slot].popleft()
                return result
            problem = _("reading the file took too long and was stopped")
        except (EOFError, OSError):
            problem = _("the file crashed the document reader")
        self.queued[slot].popleft()
        self._stop(slot, kill=True)
        self._start(slot)
        return _Inspected(problem=problem)

    def _stop(self, slot: int, *, kill: bool = False) -> None:
        process, connection = self.readers[slot]
        if not kill:
            with contextlib.suppress(OSError):
                connection.send(None)
        connection.close()
        if kill:
            process.kill()
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()

    def close(self) -> None:
        for slot in range(len(self.readers)):
            self._stop(slot)


def _run_jobs(jobs: list[_Job], workers: int, known: set[str]) -> Iterator[tuple[_Job, _Inspected]]:
    """Inspect the files, in order, on ``workers`` reader processes (in this process when
    ``workers`` is 1 or processes cannot be forked). At most a few files per reader are in
    flight, so memory stays bounded."""
    if workers <= 1 or len(jobs) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for job in jobs:
            yield job, inspect_job(job, known)
        return
    timeout = getattr(settings, "ACTS_IMPORT_FILE_TIMEOUT", 600)
    readers = _Readers(min(workers, len(jobs)), known, timeout)
    count = len(readers.readers)
    order: deque[tuple[_Job, int]] = deque()
    pending = deque(jobs)
    sent = 0
    try:
        while pending or order:
            while pending and len(order) < count * _Readers.AHEAD:
                slot = sent % count
                job = pending.popleft()
                readers.send(slot, job)
                order.append((job, slot))
                sent += 1
            job, slot = order.popleft()
            yield job, readers.receive(slot)
    finally:
        readers.close()


def _collect_files(folder: Path, exclude: set[Path]) -> tuple[list[Path], list[Path]]:
    """Files under ``folder`` (sorted), and symbolic links found there (never followed).
    Hidden and system files (.DS_Store, Thumbs.db, ~$ lock files, __MACOSX) are left out."""
    files, links = [], []
    for root, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__MACOSX")
        for name in sorted(names):
            if name.startswith((".", "~$")) or name.casefold() in IGNORED_NAMES:
                continue
            path = Path(root) / name
            if path.resolve() in exclude:
                continue
            (links if path.is_symlink() else files).append(path)
    return files, links


# --- the import --------------------------------------------------------------------------------


def import_folder(
    path: str | os.PathLike,
    *,
    actor,
    kind=None,
    manifest: str | os.PathLike | None = None,
    publish: bool = True,
    workers: int = 2,
    progress: bool = True,
    ocr: bool = False,
    max_size: int | None = None,
) -> ImportReport:
    """Import every file under ``path`` as an act (see the module's docstring).

    ``kind`` (an ``ActKind``, its code or name) is for files without a manifest row; without it
    the kind is read from the document's header. ``manifest`` defaults to ``manifest.csv`` in the
    folder when there is one. ``ocr`` recognises scans without a manifest row during the import
    (slow); otherwise their text is recognised later by the task worker and their fields must be
    in the manifest. Raises ``ImportSetupError`` only when the import cannot start.
    """
    from .models import ActFile, ActKind

    started = time.perf_counter()
    folder = Path(path)
    if not folder.is_dir():
        raise ImportSetupError(_("The folder %(path)s does not exist.") % {"path": path})
    kinds = Kinds()
    default_kind = None
    if kind is not None:
        default_kind = kind if isinstance(kind, ActKind) else kinds.get(kind)
        if default_kind is None:
            raise ImportSetupError(_("Unknown kind of act «%(kind)s».") % {"kind": kind})
    if manifest is None and (folder / MANIFEST_NAME).is_file():
        manifest = folder / MANIFEST_NAME
    rows = read_manifest(manifest) if manifest is not None else []
    exclude = {Path(manifest).resolve()} if manifest is not None else set()
    files, links = _collect_files(folder, exclude)

    report = ImportReport()
    by_relative = {file.relative_to(folder).as_posix(): file for file in files}
    row_of: dict[str, ManifestRow] = {}
    basenames: dict[str, list[str]] = {}
    for relative in by_relative:
        basenames.setdefault(os.path.basename(relative), []).append(relative)
    for row in rows:
        relative = row.file if row.file in by_relative else None
        if relative is None and len(basenames.get(row.file, [])) == 1:
            relative = basenames[row.file][0]
        if relative is None:
            report.add(
                FileOutcome(
                    file=row.file or f"{MANIFEST_NAME}:{row.line}",
                    result=FAILED,
                    reason=_("the file named in the manifest (line %(line)d) is not found")
                    % {"line": row.line},
                )
            )
            continue
        row_of[relative] = row
    for link in links:
        report.add(
            FileOutcome(
                file=link.relative_to(folder).as_posix(),
                result=FAILED,
                reason=_("a symbolic link, not a file: not imported"),
            )
        )

    language = translation.get_language() or "uk"
    jobs = []
    prepared: dict[str, dict] = {}
    for relative, file_path in by_relative.items():
        row = row_of.get(relative)
        try:
            prepared[relative] = _row_values(row, kinds)
        except ValueError as exc:
            report.add(FileOutcome(file=relative, result=FAILED, reason=str(exc)))
            continue
        values = prepared[relative]
        kind_known = values.get("kind") or default_kind
        needs_fields = not (values.get("date") and values.get("title") and kind_known)
        jobs.append(
            _Job(
                path=str(file_path),
                relative=relative,
                needs_fields=needs_fields,
                ocr=ocr,
                max_size=max_size,
                language=language,
            )
        )

    known = set(ActFile.objects.values_list("sha256", flat=True))
    bar = _progress_bar(len(jobs), progress)
    try:
        for job, inspected in _run_jobs(jobs, workers, known):
            outcome = _register(
                job.relative,
                inspected,
                prepared[job.relative],
                default_kind,
                kinds,
                actor=actor,
                publish=publish,
                known=known,
            )
            report.add(outcome)
            bar.update(1)
    finally:
        bar.close()
    report.seconds = time.perf_counter() - started
    return report


def _progress_bar(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(
        total=total,
        disable=not enabled,
        file=sys.stderr,
        unit=" файл",
        desc=_("Import of acts"),
        dynamic_ncols=True,
    )


def _row_values(row: ManifestRow | None, kinds: Kinds) -> dict:
    """The fields a manifest row gives (blank cells are left out); ``ValueError`` with the
    Ukrainian reason for an unknown kind or an unreadable or impossible date."""
    if row is None:
        return {}
    values: dict = {}
    if row.kind:
        values["kind"] = kinds.get(row.kind)
        if values["kind"] is None:
            raise ValueError(_("unknown kind of act «%(kind)s»") % {"kind": row.kind})
    if row.number:
        values["number"] = row.number
    if row.date:
        values["date"] = parse_date(row.date)
    if row.title:
        values["title"] = " ".join(row.title.split())
    if row.published:
        day = parse_date(row.published)
        values["published"] = dt.datetime(day.year, day.month, day.day, 12, tzinfo=KYIV)
    return values


def _register(
    relative: str,
    inspected: _Inspected,
    values: dict,
    default_kind,
    kinds: Kinds,
    *,
    actor,
    publish: bool,
    known: set[str],
) -> FileOutcome:
    """Register (and publish) one inspected file in its own transaction."""
    from . import services
    from .models import ActFile

    if inspected.known:
        return FileOutcome(
            file=relative, result=SKIPPED, reason=_("the same file is already in the registry")
        )
    if inspected.problem:
        return FileOutcome(file=relative, result=FAILED, reason=inspected.problem)
    document = inspected.document
    if document.sha256 in known or ActFile.objects.filter(sha256=document.sha256).exists():
        return FileOutcome(
            file=relative, result=SKIPPED, reason=_("the same file is already in the registry")
        )
    proposed = inspected.proposed or {}
    kind = values.get("kind") or default_kind or kinds.get(proposed.get("kind_hint") or "")
    date = values.get("date") or proposed.get("date")
    title = values.get("title") or proposed.get("title")
    number = values.get("number") or proposed.get("number") or ""
    problem = None
    if kind is None:
        problem = _("the kind of act is not known: give it to the import or in the manifest")
    elif date is None or not title:
        problem = _missing_fields_problem(document, proposed, date, title)
    if problem:
        return FileOutcome(file=relative, result=FAILED, reason=problem)
    data = {"kind": kind, "number": number, "date": date, "title": title}
    published = False
    try:
        with transaction.atomic():
            act = services.act_register(actor=actor, data=data, documents=[document])
            if publish and not act.is_internal:
                services.act_publish(actor=actor, act=act, as_of=values.get("published"))
                published = True
    except ValidationError as exc:
        return FileOutcome(file=relative, result=FAILED, reason=" ".join(exc.messages))
    except PermissionDenied as exc:
        return FileOutcome(file=relative, result=FAILED, reason=str(exc))
    known.add(document.sha256)
    return FileOutcome(
        file=relative, result=IMPORTED, act_id=act.pk, act=str(act), published=published
    )


def _missing_fields_problem(document: InspectedDocument, proposed: dict, date, title) -> str:
    if document.text_status == TextStatus.OCR_PENDING and not document.text:
        return _(
            "the file is a scan whose text is not recognised yet: give its date and title in "
            "the manifest, or import with OCR"
        )
    if not document.text:
        return _("the document has no text: give its date and title in the manifest")
    problems = list(proposed.get("warnings") or [])
    if date is None and not problems:
        problems.append(_("the date is not found in the text: give it in the manifest"))
    if not title:
        problems.append(_("the title («Про …») is not found in the text: give it in the manifest"))
    return "; ".join(problems)
