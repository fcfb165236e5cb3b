"""The import benchmark: `make bench`, or `.venv/bin/python -m bench.import_benchmark`.

Generates a data report, then for each database (a throw-away SQLite file, a throw-away
PostgreSQL database) measures, each in a child process of its own:

- the baseline: the csv module parses the file and one executemany, in one transaction, inserts
  every row into a bare table of text columns (same database, same driver);
- the first import into the empty database, through `manage.py import_cases PATH --json`;
- a re-import of the same file, unchanged;
- a re-import of a file in which 10% of the rows differ in one or two fields;
- for the memory check, the first import of larger files (`--sizes`) into fresh databases.

It prints wall seconds, rows per second, peak resident memory (the child's ru_maxrss from
os.wait4) and each import's ratio to the baseline, checks the importer's counts against what the
generator wrote, and exits non-zero if a count is wrong or a goal is missed. See
docs/performance.md.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SETTINGS = "config.settings.dev"
POSTGRES_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
CHILD_TIMEOUT = 30 * 60  # seconds; a child that takes longer is killed and reported

# The goals (issue 3, "What it must show").
FIRST_IMPORT_LIMIT = 3.0  # x baseline
UNCHANGED_LIMIT = 1.5  # x baseline
MEMORY_LIMIT_MB = 300  # decimal megabytes (10^6 bytes), per import process
# "Not growing in proportion to the file size": from the smallest to the largest file, the peak
# may grow by at most this factor (proportional growth would be the ratio of the row counts).
MEMORY_GROWTH_LIMIT = 1.25

EXIT_GOAL_MISSED = 1
EXIT_BROKEN = 2


class BenchmarkError(Exception):
    """A measurement could not be made, or the importer's counts were wrong."""


@dataclass
class Measurement:
    label: str
    rows: int
    seconds: float  # the work itself, timed inside the child
    process_seconds: float  # the child's whole life: interpreter, Django, the work
    cpu_seconds: float  # the child's CPU time for the work (not the database server's)
    peak_kb: int  # ru_maxrss from os.wait4, or the import's and its reader's peaks added
    vm_hwm_kb: int | None  # the child's own VmHWM, a cross-check
    wait4_kb: int = 0  # ru_maxrss from os.wait4: the largest of the child and its reader
    reader_peak_kb: int = 0  # the peak of the process that checked the file, if there was one
    result: dict = field(default_factory=dict)

    @property
    def peak_mb(self):
        return self.peak_kb * 1024 / 1e6

    @property
    def rate(self):
        return self.rows / self.seconds if self.seconds else float("inf")


# --- databases ------------------------------------------------------------------------------


class SQLiteDatabase:
    label = "SQLite"

    def __init__(self, directory, name):
        self.path = Path(directory) / f"{name}.sqlite3"
        self.url = f"sqlite:///{self.path}"

    def create(self):
        self.drop()

    def drop(self):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


class PostgresDatabase:
    label = "PostgreSQL"

    def __init__(self, admin_url, name, work_dir):
        self.admin_url = admin_url
        self.name = name
        self.work_dir = work_dir
        base = admin_url.rsplit("/", 1)[0]
        self.url = f"{base}/{name}"

    def create(self):
        _postgres_sql(
            self.admin_url,
            self.work_dir,
            f"DROP DATABASE IF EXISTS {self.name}",
            f"CREATE DATABASE {self.name}",
        )

    def drop(self):
        _postgres_sql(
            self.admin_url, self.work_dir, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)"
        )


def _postgres_sql(admin_url, work_dir, *statements):
    """Runs statements on the server in a child process: this process never loads a database
    driver, so that its own memory stays small (see _run)."""
    stdout, *_ = _run(
        [PYTHON, "-m", "bench.child", "sql", *statements],
        {**os.environ, "DATABASE_URL": admin_url},
        work_dir,
    )
    return json.loads(stdout.strip().splitlines()[-1])["last"]


def _postgres_version(admin_url, work_dir):
    try:
        return _postgres_sql(admin_url, work_dir, "SHOW server_version")[0]
    except BenchmarkError as error:
        raise BenchmarkError(f"PostgreSQL is not reachable at {admin_url}: {error}") from None


# --- child processes ------------------------------------------------------------------------


def _child_env(database_url):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY="bench-only-" + os.urandom(32).hex(),
        # As in production: no query log kept in memory, no debug pages.
        DJANGO_DEBUG="false",
        LOG_LEVEL="WARNING",
    )
    return env


def _run(args, env, work_dir):
    """Runs a child to completion; returns (stdout, stderr, wall seconds, ru_maxrss KB).

    The child is reaped with os.wait4 so that its resource usage is its own. Its output goes to
    files, not pipes, so no reader is needed while it runs.

    On Linux a child's ru_maxrss starts from this process's own peak: the child runs in a copy of
    this process until it starts a new program, and the kernel counts that copy. So this process
    keeps its memory small: it generates no data and loads no driver itself.
    """
    out_path = Path(work_dir) / "child.out"
    err_path = Path(work_dir) / "child.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        # Our own interpreter and scripts, with arguments this module made.
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=err)  # noqa: S603
        timer = threading.Timer(CHILD_TIMEOUT, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    stdout = out_path.read_text(errors="replace")
    stderr = err_path.read_text(errors="replace")
    if process.returncode != 0:
        raise BenchmarkError(
            f"{' '.join(map(str, args[1:]))} exited with {process.returncode}:\n"
            + _tail(stderr or stdout)
        )
    return stdout, stderr, wall, usage.ru_maxrss


def _tail(text, lines=25):
    return "\n".join(text.strip().splitlines()[-lines:])


def _measure(label, what, path, rows, env, work_dir, profile=None):
    args = [PYTHON, "-m", "bench.child", what, str(path)]
    if profile:
        args.append(str(profile))
    stdout, _, wall, wait4_kb = _run(args, env, work_dir)
    result = json.loads(stdout.strip().splitlines()[-1])
    reader_kb = result.get("reader_peak_kb") or 0
    peak_kb = wait4_kb
    if reader_kb:
        # Two processes at once: their peaks added (memory they share counted twice), not the
        # larger of the two that os.wait4 gives.
        peak_kb = (result.get("vm_hwm_kb") or wait4_kb) + reader_kb
    return Measurement(
        label=label,
        rows=rows,
        seconds=result["seconds"],
        process_seconds=wall,
        cpu_seconds=result["cpu_seconds"],
        peak_kb=peak_kb,
        vm_hwm_kb=result.get("vm_hwm_kb"),
        wait4_kb=wait4_kb,
        reader_peak_kb=reader_kb,
        result=result,
    )


def _migrate(env, work_dir):
    started = time.perf_counter()
    _run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env, work_dir)
    return time.perf_counter() - started


# --- checks ---------------------------------------------------------------------------------


def _check_counts(measurement, expected):
    summary = measurement.result["summary"]
    wrong = [
        f"{name}: expected {value:,}, got {summary.get(name)!r}"
        for name, value in expected.items()
        if summary.get(name) != value
    ]
    if wrong:
        raise BenchmarkError(
            f"{measurement.label}: the importer's counts are wrong: "
            + "; ".join(wrong)
            + f"\nsummary: {json.dumps(summary)[:2000]}"
        )


def _expected_first(stats):
    return {
        "rows": stats["rows"],
        "created": stats["valid"],
        "updated": 0,
        "unchanged": 0,
        "rejected": stats["invalid"],
        "new_agencies": stats["agencies"],
    }


def _expected_unchanged(stats):
    return {
        "rows": stats["rows"],
        "created": 0,
        "updated": 0,
        "unchanged": stats["valid"],
        "rejected": stats["invalid"],
    }


def _expected_changed(stats):
    return {
        "rows": stats["rows"],
        "created": 0,
        "updated": stats["changed"],
        "unchanged": stats["valid"] - stats["changed"],
        "rejected": stats["invalid"],
    }


def _summary_counts(summary):
    counts = dict(summary)
    counts["new_agencies"] = len(summary.get("new_agencies", []))
    return counts


# --- the run --------------------------------------------------------------------------------

STEPS = [
    ("baseline", "baseline: csv + one executemany"),
    ("first", "first import (empty database)"),
    ("unchanged", "re-import, unchanged"),
    ("changed", "re-import, 10% of rows changed"),
]


@dataclass
class Step:
    """One measurement over the repeated runs: the median time, the median of the per-run
    ratios to the same run's baseline, and the largest peak memory."""

    label: str
    rows: int
    runs: list = field(default_factory=list)  # Measurement per run
    ratios: list = field(default_factory=list)  # seconds / the same run's baseline seconds

    @property
    def seconds(self):
        return statistics.median(m.seconds for m in self.runs)

    @property
    def process_seconds(self):
        return statistics.median(m.process_seconds for m in self.runs)

    @property
    def cpu_seconds(self):
        return statistics.median(m.cpu_seconds for m in self.runs)

    @property
    def ratio(self):
        return statistics.median(self.ratios) if self.ratios else None

    @property
    def peak(self):
        return max(self.runs, key=lambda m: m.peak_kb)

    @property
    def rate(self):
        return self.rows / self.seconds if self.seconds else float("inf")


@dataclass
class DatabaseRun:
    label: str
    steps: dict = field(default_factory=dict)  # key -> Step
    memory: dict = field(default_factory=dict)  # rows -> Step of a first import
    failures: list = field(default_factory=list)


def _say(text=""):
    print(text, flush=True)


def _show(m, repetition=None):
    counts = ""
    if "summary" in m.result:
        s = m.result["summary"]
        counts = (
            f"  [created {s['created']:,}, updated {s['updated']:,}, "
            f"unchanged {s['unchanged']:,}, rejected {s['rejected']:,}]"
        )
    run = f"run {repetition}: " if repetition else ""
    _say(
        f"  {run}{m.label:<32} {m.seconds:8.2f} s {m.rate:10,.0f} rows/s "
        f"{m.peak_mb:7.1f} MB{counts}"
    )


def _run_database(kind, files, stats, args, work_dir):
    label = "SQLite" if kind == "sqlite" else "PostgreSQL"
    run = DatabaseRun(label)
    rows = args.rows
    expected = {
        "first": _expected_first,
        "unchanged": _expected_unchanged,
        "changed": _expected_changed,
    }
    for key, step_label in STEPS:
        run.steps[key] = Step(step_label, rows)

    def database(suffix):
        name = f"bench_{os.getpid()}{suffix}"
        if kind == "sqlite":
            return SQLiteDatabase(work_dir, name)
        return PostgresDatabase(args.postgres_url, name, work_dir)

    def profile_path(step):
        return Path(args.profile) / f"{kind}-{step}.pstats" if args.profile else None

    _say(f"\n== {label}: {rows:,} rows, {args.repeat} run(s) ==")
    for repetition in range(1, args.repeat + 1):
        # Each run starts from a new, empty database.
        db = database(f"_run{repetition}")
        try:
            db.create()
            env = _child_env(db.url)
            migrate_seconds = _migrate(env, work_dir)
            _say(f"  run {repetition}: migrate {migrate_seconds:.2f} s (not measured)")
            base = None
            for key, step_label in STEPS:
                step = run.steps[key]
                if key == "baseline":
                    m = _measure(step_label, "baseline", files["first"], rows, env, work_dir)
                    if m.result["inserted"] != stats[rows]["rows"]:
                        raise BenchmarkError(
                            f"the baseline inserted {m.result['inserted']:,} rows, "
                            f"not {stats[rows]['rows']:,}"
                        )
                    base = m
                else:
                    path = files["changed" if key == "changed" else "first"]
                    profile = profile_path(f"{key}-run{repetition}")
                    m = _measure(step_label, "import", path, rows, env, work_dir, profile)
                    m.result["summary"] = _summary_counts(m.result["summary"])
                _show(m, repetition)
                if key != "baseline":
                    _check_counts(m, expected[key](stats[rows]))
                step.runs.append(m)
                step.ratios.append(m.seconds / base.seconds)
        except BenchmarkError as error:
            run.failures.append(str(error))
            _say(f"  FAILED: {error}")
            return run
        finally:
            db.drop()
    run.memory[rows] = run.steps["first"]

    for size in args.sizes:
        if size == rows:
            continue
        db = database(f"_{size}")
        try:
            db.create()
            env = _child_env(db.url)
            _migrate(env, work_dir)
            m = _measure(
                f"first import, {size:,} rows",
                "import",
                files[size],
                size,
                env,
                work_dir,
                profile_path(f"first-{size}"),
            )
            m.result["summary"] = _summary_counts(m.result["summary"])
            _show(m)
            _check_counts(m, _expected_first(stats[size]))
            run.memory[size] = Step(m.label, size, runs=[m])
        except BenchmarkError as error:
            run.failures.append(str(error))
            _say(f"  FAILED: {error}")
        finally:
            db.drop()
    return run


def _goals(run):
    """[(goal, figure, met)] for one database; met is None for a goal this run cannot check."""
    goals = []
    first = run.steps["first"]
    unchanged = run.steps["unchanged"]
    if first.ratios:
        goals.append(
            (
                f"first import <= {FIRST_IMPORT_LIMIT:g}x baseline",
                f"{first.ratio:.2f}x{_each(first.ratios)}",
                first.ratio <= FIRST_IMPORT_LIMIT,
            )
        )
    if unchanged.ratios:
        goals.append(
            (
                f"unchanged re-import <= {UNCHANGED_LIMIT:g}x baseline",
                f"{unchanged.ratio:.2f}x{_each(unchanged.ratios)}",
                unchanged.ratio <= UNCHANGED_LIMIT,
            )
        )
    imports = [step.peak for key, step in run.steps.items() if key != "baseline" and step.runs]
    imports += [step.peak for step in run.memory.values()]
    if imports:
        worst = max(imports, key=lambda m: m.peak_kb)
        goals.append(
            (
                f"peak memory < {MEMORY_LIMIT_MB} MB (every import)",
                f"max {worst.peak_mb:.1f} MB ({worst.label})",
                worst.peak_mb < MEMORY_LIMIT_MB,
            )
        )
    if len(run.memory) == 1 and not run.failures:
        goals.append(("memory not growing with file size", "one size only (--sizes)", None))
    if len(run.memory) >= 2:
        small, large = min(run.memory), max(run.memory)
        small_mb, large_mb = run.memory[small].peak.peak_mb, run.memory[large].peak.peak_mb
        growth = large_mb / small_mb
        per_100k = (large_mb - small_mb) / (large - small) * 100_000
        goals.append(
            (
                f"memory not growing with file size (<= {MEMORY_GROWTH_LIMIT:g}x for "
                f"{large / small:g}x rows)",
                f"{small:,}: {small_mb:.1f} MB, {large:,}: {large_mb:.1f} MB "
                f"({growth:.2f}x, {per_100k:+.1f} MB per 100,000 rows)",
                growth <= MEMORY_GROWTH_LIMIT,
            )
        )
    return goals


def _each(ratios):
    """The per-run ratios behind a median, when there is more than one run."""
    if len(ratios) < 2:
        return ""
    return " (runs: " + ", ".join(f"{r:.2f}" for r in ratios) + ")"


def _print_report(runs, stats, files, args, started, parent_peak_kb):
    rows = args.rows
    _say("\n" + "=" * 118)
    _say(
        f"Import benchmark, {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}: "
        f"{rows:,} rows ({stats[rows]['valid']:,} valid, {stats[rows]['invalid']:,} invalid; "
        f"{stats[rows]['changed']:,} changed in the second file), "
        f"{files['first'].stat().st_size / 1e6:.1f} MB CSV; {args.repeat} run(s) per database"
    )
    _say(
        f"Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; load average before the run "
        f"{args.load_before}, after {_load_average()}"
    )
    _say(
        "wall s: median over the runs of the work itself, timed in the child (min-max beside "
        "it);\nx base: median of each run's ratio to the same run's baseline; peak MB: largest "
        "over the runs;\ncpu s: median of the child's own CPU time for the work (the database "
        "server's is not included);\nprocess s: median of the child's whole life (interpreter, "
        "Django, work)."
    )
    header = (
        f"{'database':<11} {'measurement':<32} {'rows':>8} {'wall s':>7} {'min-max':>13} "
        f"{'rows/s':>8} {'peak MB':>8} {'x base':>7} {'cpu s':>6} {'process s':>9}"
    )
    _say(header)
    _say("-" * len(header))
    for run in runs:
        listed = [step for step in run.steps.values() if step.runs]
        listed += [step for step in run.memory.values() if step not in listed]
        for step in listed:
            ratio = f"{step.ratio:.2f}" if step.ratio is not None else "-"
            times = [m.seconds for m in step.runs]
            spread = f"{min(times):.2f}-{max(times):.2f}" if len(times) > 1 else ""
            _say(
                f"{run.label:<11} {step.label:<32} {step.rows:>8,} {step.seconds:>7.2f} "
                f"{spread:>13} {step.rate:>8,.0f} {step.peak.peak_mb:>8.1f} {ratio:>7} "
                f"{step.cpu_seconds:>6.2f} {step.process_seconds:>9.2f}"
            )
    _say(
        f"(peak MB: the child's ru_maxrss from os.wait4, 1 MB = 10^6 bytes. It cannot be below "
        f"this benchmark's own peak, {parent_peak_kb * 1024 / 1e6:.1f} MB,\nwhich a child "
        "inherits until it starts Python: only the baseline's figure comes near it. A first\n"
        "import checks the file in a second process: its figure is the two processes' peaks "
        "added, memory they share counted twice.)"
    )

    gaps = [
        abs(m.wait4_kb - max(m.vm_hwm_kb, m.reader_peak_kb)) * 1024 / 1e6
        for run in runs
        for key, step in [*run.steps.items(), *run.memory.items()]
        if key != "baseline"
        for m in step.runs
        if m.vm_hwm_kb
    ]
    if gaps:
        _say(
            f"(cross-check: each import's own VmHWM, or its reader's peak where larger, is within "
            f"{max(gaps):.1f} MB of os.wait4's figure.)"
        )

    missed = False
    _say("\nGoals")
    for run in runs:
        for goal, figure, met in _goals(run):
            missed |= met is False
            verdict = "not checked" if met is None else "met" if met else "MISSED"
            _say(f"  {run.label:<11} {goal:<58} {figure:<52} {verdict}")
        for failure in run.failures:
            _say(f"  {run.label:<11} FAILED: {failure.splitlines()[0]}")
    _say(f"\nTotal time {time.perf_counter() - started:.0f} s. Command: {_command(args.argv)}")
    return missed


def _load_average():
    try:
        return ", ".join(f"{n:.2f}" for n in os.getloadavg())
    except OSError:
        return "unknown"


def _generate(work_dir, path, rows, seed, changed=None):
    """Writes a data report in a child process (bench/generate.py); returns what it holds."""
    args = [PYTHON, "-m", "bench.generate", str(path), str(rows), "--seed", str(seed)]
    if changed:
        args += ["--changed", str(changed)]
    stdout, *_ = _run(args, dict(os.environ), work_dir)
    return json.loads(stdout.strip().splitlines()[-1])


def _command(argv):
    return " ".join([".venv/bin/python -m bench.import_benchmark", *argv]).strip()


def _sizes(text):
    try:
        sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of row counts: {text!r}") from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("row counts must be 1 or more")
    return sizes


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench.import_benchmark",
        description="Measures the data report import against a csv + executemany baseline.",
    )
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the main file")
    parser.add_argument(
        "--database", choices=["sqlite", "postgres", "both"], default="both", help="default both"
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=[100_000, 400_000],
        help="row counts for the memory check (first import of each); default 100000,400000",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", POSTGRES_ADMIN_URL),
        help="a database to connect to for CREATE/DROP DATABASE (default %(default)s)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of the main measurements, each on a new database; medians are reported "
        "(default %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help="write a cProfile .pstats file per import into DIR (slows the imports down: "
        "do not judge the goals from a profiled run)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args(argv)
    args.argv = list(argv)
    if args.rows < 1:
        parser.error("--rows must be 1 or more")
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.perf_counter()
    args.load_before = _load_average()
    kinds = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    if args.profile:
        # The children run in the project's directory: give them an absolute path.
        args.profile = str(Path(args.profile).resolve())
        Path(args.profile).mkdir(parents=True, exist_ok=True)
        _say("Profiling: the timings of this run are inflated and the goals do not apply.")
    work_dir = Path(tempfile.mkdtemp(prefix="earlyhelp-bench-"))
    runs = []
    try:
        if "postgres" in kinds:
            try:
                version = _postgres_version(args.postgres_url, work_dir)
            except BenchmarkError as error:
                _say(f"FAILED: {error}")
                return EXIT_BROKEN
            _say(f"PostgreSQL {version} at {args.postgres_url.rsplit('@', 1)[-1]}")
        files, stats = {}, {}
        t = time.perf_counter()
        files["first"] = work_dir / f"report-{args.rows}.csv"
        files["changed"] = work_dir / f"report-{args.rows}-changed.csv"
        stats[args.rows] = _generate(
            work_dir, files["first"], args.rows, args.seed, changed=files["changed"]
        )
        for size in args.sizes:
            if size != args.rows:
                files[size] = work_dir / f"report-{size}.csv"
                stats[size] = _generate(work_dir, files[size], size, args.seed)
        _say(
            f"Generated {', '.join(p.name for p in files.values())} in {work_dir} "
            f"({time.perf_counter() - t:.1f} s)"
        )
        runs = [_run_database(kind, files, stats, args, work_dir) for kind in kinds]
        parent_peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        missed = _print_report(runs, stats, files, args, started, parent_peak_kb)
    finally:
        if args.keep:
            _say(f"Kept {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    if any(run.failures for run in runs):
        _say("\nThe benchmark FAILED: see the errors above.")
        return EXIT_BROKEN
    if missed:
        _say("\nA goal was MISSED.")
        return EXIT_GOAL_MISSED
    _say("\nEvery goal met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
