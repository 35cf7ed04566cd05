"""The ``ckanapi`` client (and its CLI) against a running server: list, show and search every
dataset, dump them all, and a harvester's paging."""

import json
import os
import subprocess
import sys
from pathlib import Path

import ckanapi
import pytest

from ratusha.core.permissions import SYSTEM
from ratusha.opendata import services
from ratusha.opendata.files import inspect_upload

from .conftest import SCHOOLS, csv_bytes, passport


@pytest.fixture
def published(transactional_db, unit):
    """Seven datasets with a file each; the register of datasets follows by itself (its files
    wait for the worker)."""
    names = ["datasets-register"]
    for n in range(7):
        item = services.dataset_create(
            actor=SYSTEM,
            data=passport(title=f"Набір даних {n}", identifier=f"nabir-{n}", holder=unit),
            tags=["освіта"],
            publish=True,
        )
        services.resource_upload(
            actor=SYSTEM, dataset=item, inspected=inspect_upload("s.csv", csv_bytes(SCHOOLS))
        )
        names.append(item.identifier)
    return names


def _uploaded(names):
    return [name for name in names if name != "datasets-register"]


def test_ckanapi_lists_shows_and_searches_every_dataset(live_server, published):
    remote = ckanapi.RemoteCKAN(live_server.url)
    assert sorted(remote.action.package_list()) == sorted(published)
    for name in published:
        package = remote.action.package_show(id=name)
        assert package["name"] == name
        found = remote.action.package_search(fq=f"name:{name}")
        assert [p["name"] for p in found["results"]] == [name]
    for name in _uploaded(published):
        package = remote.action.package_show(id=name)
        assert package["resources"][0]["format"] == "CSV"
    with pytest.raises(ckanapi.NotFound):
        remote.action.package_show(id="nemaie")
    with pytest.raises(ckanapi.ValidationError):
        remote.action.package_search(rows="x")
    get_only = ckanapi.RemoteCKAN(live_server.url, get_only=True)
    assert get_only.action.package_search(fq="tags:освіта", rows=3)["count"] == 7


def test_a_harvester_pages_through_all_datasets(live_server, published):
    remote = ckanapi.RemoteCKAN(live_server.url)
    seen, start = [], 0
    while True:
        page = remote.action.package_search(rows=3, start=start, sort="id asc")
        if not page["results"]:
            break
        seen.extend(p["id"] for p in page["results"])
        start += 3
    assert len(seen) == len(set(seen)) == len(published) == 8


def test_ckanapi_dump_datasets_all_writes_every_dataset(live_server, published, tmp_path):
    output = tmp_path / "datasets.jsonl"
    cli = Path(sys.executable).with_name("ckanapi")
    environment = {**os.environ, "PATH": f"{cli.parent}:{os.environ.get('PATH', '')}"}
    completed = subprocess.run(
        [
            str(cli),
            "dump",
            "datasets",
            "--all",
            "-r",
            live_server.url,
            "-O",
            str(output),
            "-p",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
    )
    assert completed.returncode == 0, completed.stderr
    records = [json.loads(line) for line in output.read_text().splitlines()]
    assert sorted(r["name"] for r in records) == sorted(published)
    uploaded = [r for r in records if r["name"] in _uploaded(published)]
    assert len(uploaded) == 7
    assert all(r["update_frequency"] == "щомісяця" for r in uploaded)
