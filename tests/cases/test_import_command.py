"""`manage.py import_cases`: what it prints, its exit codes, and that a kill part-way through a
large import leaves the database exactly as it was."""

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from earlyhelp.accounts.models import AgencyType, District
from earlyhelp.cases.models import DataImport, EarlyHelpAssessment, ImportRowError

from .import_files import csv_bytes, eha_indexes, row

PROJECT = Path(__file__).resolve().parents[2]


def run_command(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_cases", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def report(tmp_path):
    def write(rows, name="report.csv"):
        path = tmp_path / name
        path.write_bytes(csv_bytes(rows))
        return path

    return write


@pytest.mark.django_db
def test_json_prints_exactly_one_object_with_the_counts_and_errors(report):
    path = report([row(), row(EHA_Reference="EHA-2", District="Kendal"), row()])
    code, out, _ = run_command(str(path), "--json")
    assert code == 0
    result = json.loads(out)
    assert list(result) == [
        "rows",
        "created",
        "updated",
        "unchanged",
        "rejected",
        "errors",
        "new_agencies",
        "ignored_columns",
    ]
    assert (result["rows"], result["created"], result["rejected"]) == (3, 1, 2)
    assert result["errors"][0]["row"] == 3
    assert result["errors"][0]["column"] == "District"
    assert result["errors"][1] == {
        "row": 4,
        "column": "EHA Reference",
        "message": "duplicate of row 2",
    }


@pytest.mark.django_db
def test_an_import_is_recorded_in_the_history_with_its_errors(report):
    path = report([row(), row(EHA_Reference="EHA-2", District="Kendal")])
    run_command(str(path))
    data_import = DataImport.objects.get()
    assert data_import.source == DataImport.Source.COMMAND
    assert data_import.file_name == "report.csv"
    assert len(data_import.sha256) == 64
    assert (data_import.created, data_import.rejected) == (1, 1)
    assert data_import.status == DataImport.Status.COMPLETED
    assert ImportRowError.objects.get().row == 3


@pytest.mark.django_db
def test_dry_run_writes_nothing_and_says_what_would_happen(report):
    code, out, _ = run_command(str(report([row()])), "--dry-run")
    assert code == 0
    assert "Would import 1 rows: 1 created" in out
    assert EarlyHelpAssessment.objects.count() == 0
    assert DataImport.objects.count() == 0


@pytest.mark.django_db
def test_a_refused_file_exits_2_with_the_reason_on_stderr(tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"name,age\nJo,3\n")
    code, out, err = run_command(str(path), "--json")
    assert code == 2
    assert out == ""
    assert "missing required columns" in err
    assert DataImport.objects.count() == 0


@pytest.mark.django_db
def test_a_missing_file_is_refused(tmp_path):
    code, _, err = run_command(str(tmp_path / "nowhere.csv"))
    assert code == 2
    assert "no file at" in err


def _database_url():
    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def _command(path, *extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": _database_url(),
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(  # noqa: S603 - our own command, with our own arguments
        [sys.executable, "manage.py", "import_cases", str(path), "-v", "2", *extra],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _reading(path, within):
    """The ids of processes whose command line names `path`, once none is left or after
    `within` seconds (Linux's /proc)."""
    deadline = time.monotonic() + within
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and str(path).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:  # the process ended while it was looked at
                continue
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_killing_a_large_import_part_way_leaves_the_database_unchanged(tmp_path):
    # A transactional test starts from an emptied database: put back the reference data the
    # rows need, or every row would be rejected and there would be nothing to interrupt.
    District.objects.get_or_create(name="Carlisle")
    AgencyType.objects.get_or_create(name="Family Support")
    rows = [row(EHA_Reference=f"EHA-{n:06}", Family_Reference=f"F-{n}") for n in range(20_000)]
    path = tmp_path / "large.csv"
    path.write_bytes(csv_bytes(rows))

    indexes = eha_indexes()
    process = _command(path)
    seen = []
    for line in process.stderr:
        seen.append(line)
        # Past BULK_LOAD_AT new EHAs: the table's plain indexes (and on PostgreSQL some of its
        # foreign keys) have been set aside by then.
        if line.startswith("rows read: ") and int(line.split(": ")[1]) >= 14_000:
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "".join(seen)
    # The process that read and checked the file beside it (a first import) ends too: its next
    # batch cannot be sent. Left running, it would keep the import's connection, and on
    # PostgreSQL its locks, open.
    assert _reading(path, within=30) == [], "a process reading the file was left running"
    assert EarlyHelpAssessment.objects.count() == 0
    assert DataImport.objects.count() == 0
    assert eha_indexes() == indexes

    # The same import left to finish does write every row: the kill is what stopped it.
    finished = _command(path, "--json")
    out, err = finished.communicate(timeout=300)
    assert finished.returncode == 0, err
    assert json.loads(out)["created"] == 20_000, out[:2000]
    assert EarlyHelpAssessment.objects.count() == 20_000
