"""One archive with everything an installation holds: the database and the media files.

Layout of the archive (tar, gzip):

    database/db.sqlite3   SQLite, copied with SQLite's online backup API (a consistent
                          snapshot while the site and the worker keep writing), or
    database/db.pgdump    PostgreSQL, ``pg_dump --format=custom`` (one snapshot) by a pg_dump
                          of the server's major version (or newer);
    media/...             every file under MEDIA_ROOT, taken after the database;
    manifest.json         format and version, when, which database, the applied migrations,
                          and the SHA-256 and size of every other member.

``restore`` first unpacks the archive into a staging folder and checks every member against
the manifest (and the manifest against the members: nothing missing, nothing extra, no unsafe
path or link); only then does it touch the database and the media. It refuses a database that
already holds data unless forced. Errors are ``BackupError`` with a Ukrainian message.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "ratusha-backup"
VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/db.sqlite3"
PG_MEMBER = "database/db.pgdump"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Ukrainian."""


# Backup ---------------------------------------------------------------------------------------


class _HashingReader:
    """Reads exactly ``size`` bytes of a file for tarfile, hashing them on the way."""

    def __init__(self, handle, size):
        self.handle = handle
        self.left = size
        self.digest = hashlib.sha256()

    def read(self, n=-1):
        if self.left <= 0:
            return b""
        n = self.left if n is None or n < 0 else min(n, self.left)
        data = self.handle.read(n)
        if len(data) < n:  # the file shrank while read: pad, the checksum will tell
            data += b"\0" * (n - len(data))
        self.left -= len(data)
        self.digest.update(data)
        return data


def _add_file(archive: tarfile.TarFile, path: Path, name: str, files: dict) -> None:
    size = path.stat().st_size
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(path.stat().st_mtime)
    info.mode = 0o644
    with path.open("rb") as handle:
        reader = _HashingReader(handle, size)
        archive.addfile(info, reader)
    files[name] = {"sha256": reader.digest.hexdigest(), "size": size}


def _applied_migrations(db) -> list[str]:
    recorder = MigrationRecorder(db)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _dump_sqlite(db, target: Path) -> None:
    db.ensure_connection()
    with contextlib.closing(sqlite3.connect(target)) as destination:
        db.connection.backup(destination)


def _major(version_text: str) -> int:
    found = re.search(r"(\d+)(?:\.\d+)?", version_text)
    if not found:
        raise BackupError(_("Cannot tell the version from «%(text)s».") % {"text": version_text})
    return int(found.group(1))


def _pg_tool(name: str, db) -> str:
    """``pg_dump``/``pg_restore`` of the server's major version or newer, or a clear error."""
    tool = shutil.which(name)
    db.ensure_connection()
    server = db.connection.info.server_version // 10000
    if tool is None:
        raise BackupError(
            _(
                "%(tool)s was not found: install the PostgreSQL client of version %(server)s "
                "(the package postgresql-client-%(server)s or postgresql-client)."
            )
            % {"tool": name, "server": server}
        )
    output = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False)
    client = _major(output.stdout)
    if client < server:
        raise BackupError(
            _(
                "%(tool)s of version %(client)s cannot work with PostgreSQL server %(server)s: "
                "install the PostgreSQL client of version %(server)s."
            )
            % {"tool": name, "client": client, "server": server}
        )
    return tool


def _pg_environment(db) -> tuple[list[str], dict]:
    conf = db.settings_dict
    arguments = ["--dbname", conf["NAME"]]
    if conf.get("HOST"):
        arguments += ["--host", conf["HOST"]]
    if conf.get("PORT"):
        arguments += ["--port", str(conf["PORT"])]
    if conf.get("USER"):
        arguments += ["--username", conf["USER"]]
    environment = dict(os.environ)
    if conf.get("PASSWORD"):
        environment["PGPASSWORD"] = conf["PASSWORD"]
    return arguments, environment


def _dump_postgresql(db, target: Path) -> None:
    tool = _pg_tool("pg_dump", db)
    arguments, environment = _pg_environment(db)
    result = subprocess.run(
        [tool, "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)]
        + arguments,
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(_("pg_dump failed: %(error)s") % {"error": result.stderr.strip()[:2000]})


def default_output() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"ratusha-{stamp}.tar.gz"


def make_backup(output: Path | None = None, *, db=None) -> dict:
    """Write the archive of the database ``db`` (default: the default connection); returns
    its manifest."""
    db = db or connections["default"]
    output = Path(output or default_output())
    output.parent.mkdir(parents=True, exist_ok=True)
    vendor = db.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(
            _("Backups of a %(vendor)s database are not supported.") % {"vendor": vendor}
        )
    files: dict[str, dict] = {}
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="ratusha-backup-") as staging:
        member = SQLITE_MEMBER if vendor == "sqlite" else PG_MEMBER
        dump = Path(staging) / Path(member).name
        if vendor == "sqlite":
            _dump_sqlite(db, dump)
        else:
            _dump_postgresql(db, dump)
        with tarfile.open(partial, "w:gz") as archive:
            _add_file(archive, dump, member, files)
            media_root = Path(settings.MEDIA_ROOT)
            if media_root.is_dir():
                for path in sorted(media_root.rglob("*")):
                    if path.is_file() and not path.is_symlink():
                        relative = path.relative_to(media_root).as_posix()
                        _add_file(archive, path, f"media/{relative}", files)
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": timezone.now().isoformat(),
                "database": {"vendor": vendor, "member": member},
                "migrations": _applied_migrations(db),
                "files": files,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(dt.datetime.now().timestamp())
            archive.addfile(info, _BytesReader(data))
    os.replace(partial, output)
    return manifest


class _BytesReader:
    def __init__(self, data: bytes):
        self.data = data
        self.offset = 0

    def read(self, n=-1):
        end = len(self.data) if n is None or n < 0 else self.offset + n
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk


# Restore --------------------------------------------------------------------------------------


@dataclass
class Unpacked:
    folder: Path
    manifest: dict

    def path(self, member: str) -> Path:
        return self.folder / member


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and bool(path.parts)
        and (name == MANIFEST or path.parts[0] in ("database", "media"))
    )


def unpack_and_verify(archive_path: Path, staging: Path) -> Unpacked:
    """Unpack into ``staging`` and check every member against the manifest."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(_("The archive «%(path)s» was not found.") % {"path": archive_path})
    digests: dict[str, tuple[str, int]] = {}
    manifest_data = None
    try:
        with tarfile.open(archive_path, "r:*") as archive:
            for member in archive:
                if not member.isfile():
                    raise BackupError(
                        _(
                            "The archive holds «%(name)s», which is not a plain file (a link, "
                            "a device or a folder): nothing was restored."
                        )
                        % {"name": member.name}
                    )
                if not _safe_member(member.name):
                    raise BackupError(
                        _(
                            "The archive holds a file with an unsafe path «%(name)s»: "
                            "nothing was restored."
                        )
                        % {"name": member.name}
                    )
                source = archive.extractfile(member)
                if member.name == MANIFEST:
                    manifest_data = source.read()
                    continue
                target = staging / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                digests[member.name] = (digest.hexdigest(), member.size)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(
            _("The archive «%(name)s» is damaged or is not a backup: %(error)s")
            % {"name": archive_path.name, "error": exc}
        ) from exc
    if manifest_data is None:
        raise BackupError(
            _("The archive «%(name)s» has no manifest (manifest.json).")
            % {"name": archive_path.name}
        )
    try:
        manifest = json.loads(manifest_data)
    except ValueError as exc:
        raise BackupError(_("The archive's manifest (manifest.json) is damaged.")) from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(_("This is not a Ratusha backup, or its version is not supported."))
    expected = manifest.get("files", {})
    missing = sorted(set(expected) - set(digests))
    extra = sorted(set(digests) - set(expected))
    if missing:
        raise BackupError(
            _("Files named in the manifest are missing from the archive: %(names)s.")
            % {"names": ", ".join(missing[:10])}
        )
    if extra:
        raise BackupError(
            _("The archive holds files the manifest does not name: %(names)s.")
            % {"names": ", ".join(extra[:10])}
        )
    damaged = [
        name
        for name, (sha, size) in digests.items()
        if sha != expected[name]["sha256"] or size != expected[name]["size"]
    ]
    if damaged:
        raise BackupError(
            _(
                "Checksums do not match (the files are damaged or were changed): %(names)s. "
                "Nothing was changed."
            )
            % {"names": ", ".join(sorted(damaged)[:10])}
        )
    return Unpacked(staging, manifest)


# Records a fresh installation has after `migrate`; anything else means the database is in use.
_FRESH_APPS = {"contenttypes", "auth.permission", "auth.group", "sessions", "django_tasks_db"}


def table_rows(db, table: str) -> int:
    with db.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {db.ops.quote_name(table)}")
        return cursor.fetchone()[0]


def records_present(db) -> dict[str, int]:
    """Rows of the models that hold an installation's data (empty after a fresh ``migrate``,
    except Wagtail's root and welcome pages and its default site and collection)."""
    tables = set(db.introspection.table_names())
    found = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if model._meta.db_table not in tables or model._meta.app_label in _FRESH_APPS:
            continue
        if label in _FRESH_APPS or label.startswith("auth.group_"):
            continue
        count = table_rows(db, model._meta.db_table)
        allowed = {
            "wagtailcore.page": 2,
            "wagtailcore.site": 1,
            "wagtailcore.locale": 1,
            "wagtailcore.collection": 1,
            "wagtailcore.revision": 0,
            "wagtailcore.grouppagepermission": 10**9,
            "wagtailcore.groupcollectionpermission": 10**9,
            "wagtailcore.workflow": 1,
            "wagtailcore.task": 1,
            "wagtailcore.workflowtask": 1,
            "wagtailcore.workflowpage": 1,
            "wagtailcore.workflowcontenttype": 10**9,
            "wagtailcore.referenceindex": 10**9,
        }.get(label, 0)
        if count > allowed:
            found[label] = count
    return found


def _restore_sqlite(unpacked: Unpacked, db) -> None:
    name = db.settings_dict["NAME"]
    db.close()
    source_path = unpacked.path(unpacked.manifest["database"]["member"])
    with (
        contextlib.closing(sqlite3.connect(source_path)) as source,
        contextlib.closing(sqlite3.connect(str(name), uri=str(name).startswith("file:"))) as dest,
    ):
        source.backup(dest)


def _restore_postgresql(unpacked: Unpacked, db) -> None:
    tool = _pg_tool("pg_restore", db)
    arguments, environment = _pg_environment(db)
    db.close()
    result = subprocess.run(
        [
            tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *arguments,
            str(unpacked.path(unpacked.manifest["database"]["member"])),
        ],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(
            _("pg_restore failed; the database was not changed (one transaction): %(error)s")
            % {"error": result.stderr.strip()[:2000]}
        )


def _restore_media(unpacked: Unpacked) -> int:
    media_root = Path(settings.MEDIA_ROOT)
    count = 0
    for name in unpacked.manifest["files"]:
        if not name.startswith("media/"):
            continue
        target = media_root / name.removeprefix("media/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(unpacked.path(name), target)
        count += 1
    return count


def restore_backup(archive_path: Path, *, force: bool = False, db=None) -> dict:
    """Restore the archive into the database ``db`` (default: the default connection) and
    MEDIA_ROOT; returns what was done."""
    db = db or connections["default"]
    vendor = db.vendor
    with tempfile.TemporaryDirectory(prefix="ratusha-restore-") as staging:
        unpacked = unpack_and_verify(Path(archive_path), Path(staging))
        archived_vendor = unpacked.manifest["database"]["vendor"]
        if archived_vendor != vendor:
            raise BackupError(
                _(
                    "The backup was made from a %(archived)s database and this installation "
                    "uses %(vendor)s: restore into a database of the same kind."
                )
                % {"archived": archived_vendor, "vendor": vendor}
            )
        present = records_present(db)
        if present and not force:
            listing = ", ".join(f"{label}: {count}" for label, count in sorted(present.items())[:8])
            raise BackupError(
                _(
                    "The database is not empty (%(records)s). Restoring would write the backup "
                    "over the data it holds; to do so deliberately, add --force."
                )
                % {"records": listing}
            )
        if vendor == "sqlite":
            _restore_sqlite(unpacked, db)
        else:
            _restore_postgresql(unpacked, db)
        files = _restore_media(unpacked)
    db.close()
    from ratusha.core import cache as page_cache

    with contextlib.suppress(Exception):
        page_cache._bump()
    return {"vendor": vendor, "media_files": files, "created_at": unpacked.manifest["created_at"]}
