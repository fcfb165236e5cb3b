"""The quarterly report and dashboard benchmark (issue 9): with 100,000 EHAs and 20,000 submitted
audits rated over 8 quarters, the time to build the quarterly report's figures
(`earlyhelp.reports.figures.build_report`) and the dashboard's (`earlyhelp.reports.dashboard.
dashboard`), with the number of queries each makes, against a same-run baseline.

    .venv/bin/python -m bench.reports [--database sqlite|postgres|both] [--ehas N] [--audits N]

For each database it makes a throw-away database (a file for SQLite; a database on the local
PostgreSQL server, as the import benchmark does), migrates it, and runs this module again as a
child (`--child`) with DATABASE_URL pointing at it. The child creates the data with bulk_create
(not measured), then measures each piece of work REPEATS times and prints one JSON object.

Baselines, measured in the same run on the same data: one `SELECT COUNT(*)` of the audits, and
one GROUP BY of every rating by standard and option (the largest single read a compliance table
needs). Goals: the report under 2 s, the dashboard under 0.5 s. Exit 0 when both are met on every
database, 1 when a goal is missed, 2 when a measurement failed.
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPORT_LIMIT = 2.0  # seconds
DASHBOARD_LIMIT = 0.5  # seconds
REPEATS = 3
QUARTERS = 8
DISTRICTS = ["Allerdale", "Barrow", "Carlisle", "Copeland", "Eden", "South Lakeland"]
AGENCY_TYPES = ["School", "Health", "Early Help Team", "Voluntary sector", "Police"]
THEMES = ["Voice of the child", "Plans not SMART", "Fathers not involved", "Drift"]
BATCH = 5000


def _say(text=""):
    print(text, flush=True)


# The child: data and measurements --------------------------------------------------------------


def _create_data(ehas, audits, seed):
    """Districts, agencies, families and EHAs, then `audits` submitted audits spread over the
    QUARTERS quarters to the latest complete one, each with a judgement, an impact score, a
    rating for every standard, a check for every bottom line and, for one in five, a theme."""
    import datetime
    import random

    from django.utils import timezone

    from earlyhelp.accounts.models import Agency, AgencyType, District
    from earlyhelp.accounts.roles import Role
    from earlyhelp.audits.models import Audit, BottomLineCheck, StandardRating
    from earlyhelp.cases.models import EarlyHelpAssessment, Family
    from earlyhelp.learning.models import AuditTheme, LearningTheme
    from earlyhelp.reports.dashboard import latest_complete_quarter
    from earlyhelp.standards.models import (
        BottomLine,
        FrameworkVersion,
        JudgementGrade,
        RatingOption,
        Standard,
    )
    from tests.factories import UserFactory

    rng = random.Random(seed)  # noqa: S311 - made-up data, not secrets
    districts = [
        District.objects.get_or_create(name__iexact=name, defaults={"name": name})[0]
        for name in DISTRICTS
    ]
    types = [
        AgencyType.objects.get_or_create(name__iexact=name, defaults={"name": name})[0]
        for name in AGENCY_TYPES
    ]
    agencies = [
        Agency.objects.create(name=f"Bench agency {n}", agency_type=types[n % len(types)])
        for n in range(20)
    ]
    families = Family.objects.bulk_create(
        (Family(reference=f"BF{n:07d}") for n in range(ehas)), batch_size=BATCH
    )
    start = datetime.date(2020, 1, 1)
    eha_rows = []
    for n, family in enumerate(families):
        agency = agencies[n % len(agencies)]
        opened = start + datetime.timedelta(days=rng.randrange(2400))
        closed = opened + datetime.timedelta(days=rng.randrange(60, 500))
        eha_rows.append(
            EarlyHelpAssessment(
                reference=f"BE{n:07d}",
                family=family,
                district=rng.choice(districts),
                lead_agency=agency,
                agency_type=agency.agency_type,
                start_date=opened,
                status="closed" if closed < datetime.date.today() else "open",
                closure_date=closed if closed < datetime.date.today() else None,
                source_hash=f"{n:032x}",
            )
        )
    assessments = EarlyHelpAssessment.objects.bulk_create(eha_rows, batch_size=BATCH)

    version = FrameworkVersion.objects.get(framework__ref_id="cscp-early-help-qaf")
    grades = list(JudgementGrade.objects.filter(version=version).order_by("order"))
    options = list(RatingOption.objects.filter(version=version).order_by("order"))
    standards = list(Standard.objects.filter(section__version=version))
    lines = list(BottomLine.objects.filter(version=version))
    auditor = UserFactory(roles=[Role.AUDITOR])
    lead = UserFactory(roles=[Role.QA_LEAD])
    themes = [
        LearningTheme.objects.get_or_create(name__iexact=name, defaults={"name": name})[0]
        for name in THEMES
    ]

    last = latest_complete_quarter()
    first_day = last.end - datetime.timedelta(days=91 * QUARTERS)
    span = (last.end - first_day).days
    audit_rows = []
    for _ in range(audits):
        day = first_day + datetime.timedelta(days=rng.randrange(span) + 1)
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(11)))
        audit_rows.append(
            Audit(
                assessment=assessments[rng.randrange(len(assessments))],
                framework_version=version,
                audit_type=Audit.Type.DIP_SAMPLE,
                status=Audit.Status.SUBMITTED,
                auditor=auditor,
                created_by=lead,
                due_date=day,
                started_at=moment,
                submitted_at=moment,
                judgement=rng.choices(grades, weights=[1, 5, 3, 1])[0],
                impact_score=rng.randrange(11),
            )
        )
    created = Audit.objects.bulk_create(audit_rows, batch_size=BATCH)
    weights = [6, 3, 2, 1][: len(options)]

    def ratings():
        for audit in created:
            for standard in standards:
                yield StandardRating(
                    audit=audit, standard=standard, rating=rng.choices(options, weights)[0]
                )

    def checks():
        for audit in created:
            for line in lines:
                yield BottomLineCheck(audit=audit, bottom_line=line, evidenced=rng.random() > 0.2)

    def tags():
        for audit in created:
            if rng.random() < 0.2:
                yield AuditTheme(audit=audit, theme=rng.choice(themes), tagged_by=auditor)

    for model, rows in (
        (StandardRating, ratings()),
        (BottomLineCheck, checks()),
        (AuditTheme, tags()),
    ):
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                model.objects.bulk_create(batch)
                batch = []
        model.objects.bulk_create(batch)
    return last


def _child(args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from earlyhelp.audits.models import Audit, StandardRating
    from earlyhelp.cases.models import EarlyHelpAssessment
    from earlyhelp.reports.dashboard import dashboard

    started = time.perf_counter()
    period = _create_data(args.ehas, args.audits, args.seed)
    created_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def measure(work):
        times, queries = [], []
        for _ in range(REPEATS):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                work()
                times.append(time.perf_counter() - began)
            queries.append(len(captured.captured_queries))
        return {"seconds": statistics.median(times), "runs": times, "queries": max(queries)}

    def count_audits():
        Audit.objects.count()

    def group_ratings():
        list(StandardRating.objects.values("standard_id", "rating_id").annotate(n=Count("pk")))

    result = {
        "database": connection.vendor,
        "ehas": EarlyHelpAssessment.objects.count(),
        "audits": Audit.objects.count(),
        "ratings": StandardRating.objects.count(),
        "period": period.quarter,
        "period_audits": Audit.objects.filter(
            submitted_at__date__gte=period.start, submitted_at__date__lte=period.end
        ).count(),
        "created_seconds": created_seconds,
        "count": measure(count_audits),
        "group": measure(group_ratings),
        "dashboard": measure(lambda: dashboard(period)),
    }
    district = EarlyHelpAssessment.objects.select_related("district").first().district
    result["dashboard_narrowed"] = measure(lambda: dashboard(period, district=district))
    try:
        from earlyhelp.reports.figures import build_report
    except ImportError as error:
        result["report_error"] = f"build_report is not available: {error}"
    else:
        result["report"] = measure(lambda: build_report(period))
        result["report_sections"] = _report_sections(period, connection, CaptureQueriesContext)
    print(json.dumps(result))
    return 0


def _report_sections(period, connection, CaptureQueriesContext):
    """Each section builder of the report once, in the same order as build_report, so a slow
    report can be traced to the section (and its queries) that costs the time."""
    from earlyhelp.learning.findings import findings
    from earlyhelp.reports import figures
    from earlyhelp.reports.figures_tables import grades

    timings = []

    def timed(label, work):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            value = work()
            seconds = time.perf_counter() - began
        timings.append([label, seconds, len(captured.captured_queries)])
        return value

    found = timed("findings(period)", lambda: findings(period))
    graded = timed("grades()", grades)
    calls = {
        "audits": lambda: figures.audits_section(period),
        "judgements": lambda: figures.judgements_section(found, graded),
        "impact": lambda: figures.impact_section(period),
        "compliance": lambda: figures.compliance_section(found),
        "districts-and-agencies": lambda: figures.districts_section(period, graded),
        "trend": lambda: figures.trend_section(period, graded),
        "escalations": lambda: figures.escalations_section(period),
        "drift": lambda: figures.drift_section(period),
        "family-feedback": lambda: figures.family_feedback_section(period),
        "staff-survey": lambda: figures.staff_survey_section(period),
        "actions-and-themes": lambda: figures.actions_and_themes_section(period, found),
    }
    for label, work in calls.items():
        try:
            timed(label, work)
        except (AttributeError, TypeError) as error:  # the builder's shape has changed
            timings.append([f"{label} (not measured: {error})", 0.0, 0])
    return timings


# The parent: databases and the printed figures -------------------------------------------------


def _run_database(kind, args, work_dir):
    from .import_benchmark import (
        PYTHON,
        PostgresDatabase,
        SQLiteDatabase,
        _child_env,
        _migrate,
        _run,
    )

    name = f"bench_reports_{os.getpid()}"
    if kind == "sqlite":
        database = SQLiteDatabase(work_dir, name)
    else:
        database = PostgresDatabase(args.postgres_url, name, work_dir)
    database.create()
    try:
        env = _child_env(database.url)
        _migrate(env, work_dir)
        child = [PYTHON, "-m", "bench.reports", "--child", "--ehas", str(args.ehas)]
        child += ["--audits", str(args.audits), "--seed", str(args.seed)]
        stdout, _, _, peak_kb = _run(child, env, work_dir)
        result = json.loads(stdout.strip().splitlines()[-1])
        result["peak_mb"] = peak_kb * 1024 / 1e6
        return database.label, result
    finally:
        database.drop()


def _row(label, figures, baseline):
    ratio = figures["seconds"] / baseline["seconds"] if baseline["seconds"] else float("nan")
    runs = ", ".join(f"{s:.3f}" for s in figures["runs"])
    return f"| {label} | {figures['seconds']:.3f} | {runs} | {figures['queries']} | {ratio:,.1f} |"


def _report(label, r):
    _say(
        f"\n### {label}: {r['ehas']:,} EHAs, {r['audits']:,} audits ({r['ratings']:,} ratings); "
        f"{r['period']}: {r['period_audits']:,} audits; data made in {r['created_seconds']:.0f} s; "
        f"peak {r['peak_mb']:.0f} MB\n"
    )
    count, group = r["count"], r["group"]
    _say("| measurement | median s | runs (s) | queries | ratio to COUNT(*) |")
    _say("| --- | ---: | --- | ---: | ---: |")
    _say(_row("baseline: SELECT COUNT(*) of the audits", count, count))
    _say(_row("baseline: GROUP BY standard, rating over every rating", group, count))
    _say(_row("dashboard (every card)", r["dashboard"], count))
    _say(_row("dashboard narrowed to a district", r["dashboard_narrowed"], count))
    missed = []
    if "report" in r:
        _say(_row("quarterly report: build_report(period)", r["report"], count))
    else:
        _say(f"\nQuarterly report not measured: {r['report_error']}")
        missed.append("report not measured")
    if r.get("report_sections"):
        _say("\nThe report's sections, once each:\n")
        _say("| section | s | queries |")
        _say("| --- | ---: | ---: |")
        for section, seconds, queries in r["report_sections"]:
            _say(f"| {section} | {seconds:.3f} | {queries} |")
    dash = max(r["dashboard"]["seconds"], r["dashboard_narrowed"]["seconds"])
    if dash >= DASHBOARD_LIMIT:
        missed.append(f"dashboard {dash:.2f} s (goal under {DASHBOARD_LIMIT} s)")
    if "report" in r and r["report"]["seconds"] >= REPORT_LIMIT:
        missed.append(f"report {r['report']['seconds']:.2f} s (goal under {REPORT_LIMIT} s)")
    report = f"{r['report']['seconds']:.3f} s" if "report" in r else "not measured"
    ratio = dash / group["seconds"] if group["seconds"] else float("nan")
    _say(
        f"\nGoals: report {report} < {REPORT_LIMIT} s; dashboard {dash:.3f} s < "
        f"{DASHBOARD_LIMIT} s ({ratio:.1f} x the GROUP BY baseline): "
        f"{'MISSED: ' + '; '.join(missed) if missed else 'met'}"
    )
    return missed


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.reports")
    parser.add_argument("--ehas", type=int, default=100_000)
    parser.add_argument("--audits", type=int, default=20_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.child:
        return _child(args)
    from .import_benchmark import BenchmarkError, _postgres_version

    kinds = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    work_dir = Path(tempfile.mkdtemp(prefix="earlyhelp-reports-bench-"))
    missed, failed = [], False
    try:
        if "postgres" in kinds:
            _say(f"PostgreSQL {_postgres_version(args.postgres_url, work_dir)}")
        _say(
            f"Median of {REPEATS} runs each; goals: report < {REPORT_LIMIT} s, dashboard < "
            f"{DASHBOARD_LIMIT} s."
        )
        for kind in kinds:
            try:
                label, result = _run_database(kind, args, work_dir)
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
