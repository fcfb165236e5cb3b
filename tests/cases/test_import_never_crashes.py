"""Whatever a file holds, the importer answers with a refusal or a summary: it never crashes."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from earlyhelp.cases.importing import ImportRefused, run_import

from .import_files import HEADERS, csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _import(data, dry_run):
    try:
        summary = run_import(io.BytesIO(data), dry_run=dry_run)
    except ImportRefused as refusal:
        reason = str(refusal)
    else:
        reason = None
    if reason is not None:
        assert reason.strip(), "a refusal always says why"
        return None
    # Every row is accounted for, and every rejected row has at least one reason.
    assert summary.rows == summary.created + summary.updated + summary.unchanged + summary.rejected
    assert len({r for r, _, _ in summary.errors}) == summary.rejected
    assert all(message for _, _, message in summary.errors)
    return summary


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_are_refused_or_imported(data):
    _import(data, dry_run=True)


@FUZZ
@given(st.binary(max_size=500))
def test_arbitrary_bytes_after_a_valid_header(data):
    _import(",".join(HEADERS).encode() + b"\n" + data, dry_run=True)


def _row(n, changes):
    return row(
        **{"EHA_Reference": f"EHA-{n}", **{k.replace(" ", "_"): v for k, v in changes.items()}}
    )


cells = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", "31/02/2025", "2025-02-29", "Y", "n", "Closed", "Open", "-1", "0"]),
    st.dates().map(lambda d: f"{d:%d/%m/%Y}"),
)


@FUZZ
@given(st.lists(st.dictionaries(st.sampled_from(HEADERS), cells), min_size=1, max_size=5))
def test_arbitrary_cell_values_are_imported_or_rejected_with_reasons(changes):
    rows = [_row(n, c) for n, c in enumerate(changes)]
    _import(csv_bytes(rows), dry_run=False)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.dictionaries(st.sampled_from(HEADERS), cells), min_size=1, max_size=3))
def test_arbitrary_cell_values_in_a_workbook(changes):
    rows = [_row(n, c) for n, c in enumerate(changes)]
    _import(xlsx_bytes(rows), dry_run=False)
