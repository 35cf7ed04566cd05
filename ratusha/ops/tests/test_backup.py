"""``manage.py backup`` and ``restore``: the demo hromada goes out and comes back whole, on
SQLite and on PostgreSQL (CI runs the suite on both); damaged or hostile archives are refused
before anything is touched."""

from __future__ import annotations

import hashlib
import io
import tarfile
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ratusha.ops import backup


def _model_counts(db) -> dict[str, int]:
    return {
        model._meta.label: backup.table_rows(db, model._meta.db_table)
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def _media_checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def empty_target(tmp_path):
    """A connection to a fresh, empty database of the same kind as the test database: a new
    SQLite file, or a PostgreSQL database created and dropped here."""
    from django.db.utils import load_backend

    settings_dict = dict(connection.settings_dict)
    created = None
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        created = f"ratusha_restore_{uuid.uuid4().hex[:12]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{created}"')
        settings_dict["NAME"] = created
    target = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "restore")
    yield target
    target.close()
    if created:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_demo_hromada_round_trips_every_record_and_file(settings, tmp_path, empty_target):
    # Given the small demo hromada with its photos and documents
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo_hromada", scale="small", seed=7, today="2026-11-21")
    counts = _model_counts(connection)
    files = _media_checksums(settings.MEDIA_ROOT)
    assert sum(counts.values()) > 1000 and len(files) > 20
    # When it is backed up and restored into an empty installation elsewhere
    archive = tmp_path / "ratusha.tar.gz"
    call_command("backup", output=archive)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    backup.restore_backup(archive, db=empty_target)
    # Then every model has the same number of records and every file the same checksum
    assert _model_counts(empty_target) == counts
    assert _media_checksums(settings.MEDIA_ROOT) == files
    if connection.vendor == "postgresql":  # and the audit log is append-only there too
        with empty_target.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE '%append_only'")
            assert cursor.fetchone()[0] == 2


@pytest.fixture
def small_installation(db, settings, tmp_path, unit):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "rishennia.pdf").write_bytes(b"%PDF-1.4 test\n")
    return settings.MEDIA_ROOT


def _archive(tmp_path) -> Path:
    path = tmp_path / "copy.tar.gz"
    backup.make_backup(path)
    return path


def _rewrite(archive: Path, change) -> Path:
    """A copy of ``archive`` with members changed by ``change(name, data) -> (name, data)``."""
    target = archive.with_name("changed.tar.gz")
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source:
            data = source.extractfile(member).read()
            result = change(member.name, data)
            if result is None:
                continue
            name, data = result
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return target


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_data(small_installation, tmp_path):
    archive = _archive(tmp_path)
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive))


@pytest.mark.django_db(transaction=True)
def test_tampered_file_is_found_before_anything_changes(
    small_installation, tmp_path, settings, empty_target
):
    archive = _archive(tmp_path)
    tampered = _rewrite(
        archive,
        lambda name, data: (name, b"%PDF-1.4 forged\n") if name.endswith(".pdf") else (name, data),
    )
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    with pytest.raises(backup.BackupError, match="documents/rishennia.pdf"):
        backup.restore_backup(tampered, db=empty_target)
    assert not settings.MEDIA_ROOT.exists()
    assert empty_target.introspection.table_names() == []


@pytest.mark.django_db(transaction=True)
def test_missing_member_and_traversal_are_refused(small_installation, tmp_path, empty_target):
    archive = _archive(tmp_path)
    without_pdf = _rewrite(archive, lambda n, d: None if n.endswith(".pdf") else (n, d))
    with pytest.raises(backup.BackupError, match="rishennia.pdf"):
        backup.restore_backup(without_pdf, db=empty_target)
    escaping = _rewrite(
        archive, lambda n, d: ("media/../../evil.txt", d) if n.endswith(".pdf") else (n, d)
    )
    with pytest.raises(backup.BackupError, match="evil.txt"):
        backup.restore_backup(escaping, db=empty_target)
    assert not (tmp_path / "evil.txt").exists()


def test_not_an_archive_gets_a_clear_error(tmp_path, db):
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_bytes(b"just text")
    with pytest.raises(CommandError, match="notes.tar.gz"):
        call_command("restore", str(bogus))
    with pytest.raises(CommandError, match="missing.tar.gz"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is PostgreSQL's tool")
@pytest.mark.django_db(transaction=True)
def test_backup_without_pg_dump_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(CommandError, match="postgresql-client"):
        call_command("backup", output=tmp_path / "x.tar.gz")
