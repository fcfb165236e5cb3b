"""One measurement, run by the benchmark in a process of its own (so that its peak memory is its
own): `python -m bench.child import PATH` or `python -m bench.child baseline PATH`. Also
`python -m bench.child sql STATEMENT...`, which runs statements with autocommit on the
PostgreSQL server (CREATE/DROP DATABASE), so that the benchmark itself never loads a driver.

Both read the database from DATABASE_URL and print one JSON object on their last line of
standard output with `seconds`: the wall time of the work itself, measured here with a
monotonic clock, after the interpreter (and, for the import, Django) has started, and
`cpu_seconds`: this process's CPU time for the same work (not the database server's).
`vm_hwm_kb` is the process's own peak resident memory from /proc/self/status, a cross-check on
the figure the parent takes from os.wait4; for an import, `reader_peak_kb` is the peak of the
process that checked the file beside it, if there was one (the parent adds the two).
"""

import csv
import json
import os
import resource
import sys
import time
from pathlib import Path
from urllib.parse import unquote

BASELINE_TABLE = "bench_baseline"


def _vm_hwm_kb():
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _import(path, profile=None):
    """The command line's own path: `manage.py import_cases PATH --json`, in this process."""
    import io

    import django

    django.setup()
    from django.core.management import call_command

    out = io.StringIO()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    started, cpu_started = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    call_command("import_cases", str(path), json=True, stdout=out)
    if profiler:
        profiler.disable()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    if profiler:
        profiler.dump_stats(profile)
    summary = json.loads(out.getvalue())
    errors = summary.pop("errors")
    summary["error_count"] = len(errors)
    summary["errors_sample"] = errors[:5]
    # A first import checks the file in a process of its own (ahead.py), ended and reaped by
    # now: its peak is the largest of this process's reaped children (0 when there is none).
    reader_peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "summary": summary,
        "reader_peak_kb": reader_peak_kb,
    }


def _connect():
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        import sqlite3

        # The same pragmas as the service's own SQLite connections (config/settings/base.py).
        connection = sqlite3.connect(unquote(url.removeprefix("sqlite:///")))
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        return connection, "sqlite", "?"
    import psycopg

    return psycopg.connect(url), "postgres", "%s"


def _baseline(path):
    """Parses the file with the csv module and inserts every row into a bare table of text
    columns with one executemany in one transaction."""
    started, cpu_started = time.perf_counter(), time.process_time()
    connection, kind, mark = _connect()
    with open(path, encoding="utf-8-sig", newline="") as text:
        reader = csv.reader(text)
        header = next(reader)
        columns = ", ".join(f"c{n} text" for n in range(len(header)))
        marks = ", ".join([mark] * len(header))
        cursor = connection.cursor()
        cursor.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")
        cursor.execute(f"CREATE TABLE {BASELINE_TABLE} ({columns})")
        connection.commit()
        # One transaction: both drivers open it implicitly before the first INSERT.
        cursor.executemany(f"INSERT INTO {BASELINE_TABLE} VALUES ({marks})", reader)  # noqa: S608
        connection.commit()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    cursor.execute(f"SELECT count(*) FROM {BASELINE_TABLE}")  # noqa: S608
    inserted = cursor.fetchone()[0]
    cursor.execute(f"DROP TABLE {BASELINE_TABLE}")
    connection.commit()
    connection.close()
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "inserted": inserted,
        "database": kind,
    }


def _sql(statements):
    import psycopg

    last = None
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True, connect_timeout=5) as db:
        for statement in statements:
            cursor = db.execute(statement)
            last = cursor.fetchone() if cursor.description else None
    return {"last": last}


def main(argv):
    if argv[0] == "sql":
        sys.stdout.write(json.dumps(_sql(argv[1:])) + "\n")
        return
    what, path, *rest = argv
    profile = rest[0] if rest else None
    if what == "import":
        result = _import(Path(path), profile)
    elif what == "baseline":
        result = _baseline(Path(path))
    else:
        raise SystemExit(f"unknown measurement {what!r}")
    result["vm_hwm_kb"] = _vm_hwm_kb()
    sys.stdout.write("\n" + json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
