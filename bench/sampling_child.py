"""The dip sample and drift measurements, run by bench/sampling_benchmark.py in a Django process
of its own against a database that already holds the EHAs: `python -m bench.sampling_child`.

Prints one JSON object on its last line: for each measurement the median wall seconds of the
repeats (monotonic clock, after Django has started), every repeat, and the number of queries.

- baseline: one query reading the id, district and reference of every open EHA, in reference
  order: the least any stratified draw must read.
- draw: `services.draw` for a month (population counts by district, allocation, the strata,
  the random choice), a different seed each repeat; nothing saved.
- drift baseline: one query reading the status and dates of every EHA (what the rules look at).
- drift items: `drift.drift_items`, every (EHA, reason) drifting today.
- scan (first): `drift.scan` on a database that has never been scanned: finds every item,
  records a notice for each and tells the officers; scan (again): the next day's scan, which
  finds nothing new (the steady state).
"""

import datetime
import json
import os
import statistics
import sys
import time

REPEATS = 5


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from earlyhelp.accounts.roles import Role
    from earlyhelp.cases.models import EarlyHelpAssessment
    from earlyhelp.sampling import drift, services
    from earlyhelp.sampling.models import DriftNotice
    from tests.factories import UserFactory

    today = datetime.date.today()
    month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    UserFactory(roles=[Role.AUDITOR])  # an officer for the scan to tell

    def measure(work, repeats=REPEATS):
        times, queries = [], []
        for n in range(repeats):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                work(n)
                times.append(time.perf_counter() - started)
            queries.append(len(captured.captured_queries))
        return {"seconds": statistics.median(times), "runs": times, "queries": max(queries)}

    def baseline(_):
        list(
            EarlyHelpAssessment.objects.filter(status="open")
            .order_by("reference")
            .values_list("pk", "district", "reference")
        )

    def draw(n):
        services.draw(month=month, seed=1000 + n, today=today)

    def drift_baseline(_):
        list(
            EarlyHelpAssessment.objects.values_list(
                "pk",
                "status",
                "start_date",
                "taf_meeting_date",
                "last_review_date",
                "number_of_reviews",
                "source_hash",
            )
        )

    def items(_):
        drift.drift_items(today)

    found = {}

    def first_scan(_):
        found["first"] = drift.scan(today)

    def next_scan(_):
        found["again"] = drift.scan(today + datetime.timedelta(days=1))

    result = {
        "ehas": EarlyHelpAssessment.objects.count(),
        "open": EarlyHelpAssessment.objects.filter(status="open").count(),
        "baseline": measure(baseline),
        "draw": measure(draw),
        "drift_baseline": measure(drift_baseline),
        "drift_items": measure(items),
        # Once only: a second first scan would find nothing new.
        "scan_first": measure(first_scan, repeats=1),
        "scan_again": measure(next_scan),
    }
    result["drift_found"] = found["first"]
    result["drift_found_again"] = found["again"]
    result["notices"] = DriftNotice.objects.count()
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
