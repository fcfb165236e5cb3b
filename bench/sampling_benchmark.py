"""The dip sample and drift benchmark (issue 6): on 100,000 EHAs, the time to draw a sample and
to scan for drift, with the number of queries each makes, against a same-run baseline.

    .venv/bin/python -m bench.sampling_benchmark [--rows N] [--database sqlite|postgres|both]

For each database it makes a throw-away database, migrates it, imports a generated data report
of N rows (bench/generate.py, the import benchmark's generator: realistic dates, reviews and
closures, so a realistic share of plans drift) through `manage.py import_cases` (not measured),
then runs bench/sampling_child.py and prints its figures. Goals: a draw under 1 s and a drift
scan under 3 s; exit 0 when both are met on every database, 1 when a goal is missed, 2 when a
measurement failed.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from .import_benchmark import (
    PYTHON,
    BenchmarkError,
    PostgresDatabase,
    SQLiteDatabase,
    _child_env,
    _generate,
    _migrate,
    _postgres_version,
    _run,
)

DRAW_LIMIT = 1.0  # seconds
SCAN_LIMIT = 3.0  # seconds


def _say(text=""):
    print(text, flush=True)


def _run_database(kind, report, args, work_dir):
    name = f"bench_sampling_{os.getpid()}"
    if kind == "sqlite":
        database = SQLiteDatabase(work_dir, name)
    else:
        database = PostgresDatabase(args.postgres_url, name, work_dir)
    database.create()
    try:
        env = _child_env(database.url)
        _migrate(env, work_dir)
        t = time.perf_counter()
        _run([PYTHON, "manage.py", "import_cases", str(report), "--json"], env, work_dir)
        _say(f"{database.label}: imported {args.rows:,} rows in {time.perf_counter() - t:.1f} s")
        stdout, _, _, peak_kb = _run([PYTHON, "-m", "bench.sampling_child"], env, work_dir)
        result = json.loads(stdout.strip().splitlines()[-1])
        result["peak_mb"] = peak_kb * 1024 / 1e6
        return database.label, result
    finally:
        database.drop()


def _row(label, figures, baseline=None):
    ratio = f"{figures['seconds'] / baseline['seconds']:.2f}" if baseline else "1.00"
    runs = ", ".join(f"{s:.3f}" for s in figures["runs"])
    return f"| {label} | {figures['seconds']:.3f} | {runs} | {figures['queries']} | {ratio} |"


def _report(label, r):
    _say(f"\n### {label}: {r['ehas']:,} EHAs ({r['open']:,} open), peak {r['peak_mb']:.1f} MB\n")
    _say("| measurement | median s | runs (s) | queries | ratio to its baseline |")
    _say("| --- | ---: | --- | ---: | ---: |")
    _say(_row("baseline: read id, district, reference of open EHAs", r["baseline"]))
    _say(_row("draw a sample (8, stratified by district)", r["draw"], r["baseline"]))
    _say(_row("drift baseline: read the dates of every EHA", r["drift_baseline"]))
    _say(_row("drift items (every rule, every EHA)", r["drift_items"], r["drift_baseline"]))
    _say(_row("drift scan, first (records notices)", r["scan_first"], r["drift_baseline"]))
    _say(_row("drift scan, next day (nothing new)", r["scan_again"], r["drift_baseline"]))
    _say(
        f"\nDrift found: {r['drift_found']:,} (EHA, reason) items on the first scan, "
        f"{r['drift_found_again']:,} new the next day; {r['notices']:,} notices recorded."
    )
    missed = []
    if r["draw"]["seconds"] >= DRAW_LIMIT:
        missed.append(f"draw {r['draw']['seconds']:.2f} s (goal under {DRAW_LIMIT} s)")
    scan = max(r["scan_first"]["seconds"], r["scan_again"]["seconds"])
    if scan >= SCAN_LIMIT:
        missed.append(f"scan {scan:.2f} s (goal under {SCAN_LIMIT} s)")
    _say(
        f"Goals: draw {r['draw']['seconds']:.3f} s < {DRAW_LIMIT} s; slowest scan {scan:.3f} s "
        f"< {SCAN_LIMIT} s: {'MISSED: ' + '; '.join(missed) if missed else 'met'}"
    )
    return missed


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.sampling_benchmark")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    kinds = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    work_dir = Path(tempfile.mkdtemp(prefix="earlyhelp-sampling-bench-"))
    missed, failed = [], False
    try:
        if "postgres" in kinds:
            _say(f"PostgreSQL {_postgres_version(args.postgres_url, work_dir)}")
        report = work_dir / f"report-{args.rows}.csv"
        _generate(work_dir, report, args.rows, args.seed)
        for kind in kinds:
            try:
                label, result = _run_database(kind, report, args, work_dir)
            except BenchmarkError as error:
                _say(f"FAILED on {kind}: {error}")
                failed = True
                continue
            missed += _report(label, result)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    if failed:
        return 2
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
