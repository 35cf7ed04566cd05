import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args, **env):
    # A clean server environment: nothing the test session itself set (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; a deployment never does).
    dropped = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = _manage(
        "check",
        RATUSHA_MODE="production",
        ALLOWED_HOSTS="rada.example.gov.ua",
        RATUSHA_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = _manage(
        "check", RATUSHA_MODE="production", SECRET_KEY="x" * 60, RATUSHA_VAR_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_deploy_check_reports_nothing(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        RATUSHA_MODE="production",
        SECRET_KEY="k3y-" + "Zq8#vL2$pW9!" * 6,
        ALLOWED_HOSTS="rada.example.gov.ua",
        RATUSHA_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_local_mode_generates_and_keeps_a_secret_key(tmp_path):
    first = _manage("check", RATUSHA_VAR_DIR=str(tmp_path))
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    second = _manage("check", RATUSHA_VAR_DIR=str(tmp_path))
    assert second.returncode == 0
    assert (tmp_path / "secret_key").read_text() == key
    assert len(key) >= 50


def test_unknown_mode_is_refused(tmp_path):
    result = _manage("check", RATUSHA_MODE="staging", RATUSHA_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "RATUSHA_MODE" in result.stderr


@pytest.mark.django_db
def test_interface_is_ukrainian_with_kyiv_time_and_dotted_dates(settings):
    from django.utils import formats, timezone, translation

    assert settings.LANGUAGE_CODE == "uk"
    assert settings.TIME_ZONE == "Europe/Kyiv"
    import datetime as dt

    with translation.override("uk"):
        assert formats.date_format(dt.date(2024, 3, 8)) == "08.03.2024"
        assert formats.date_format(dt.date(2024, 3, 8), "SHORT_DATE_FORMAT") == "08.03.2024"
    with translation.override("en"):
        assert formats.date_format(dt.date(2024, 3, 8)) == "08.03.2024"
    assert str(timezone.get_current_timezone()) == "Europe/Kyiv"
