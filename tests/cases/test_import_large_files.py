"""What a large data report changes in how the importer works, and what it must not change:
duplicates found across batches (the references are kept on disk, not in memory) and a bulk load
that builds the table's plain indexes once at the end, inside the import's transaction."""

import gc
import io

import pytest
from django.db import DatabaseError, connection, transaction

from earlyhelp.cases.importing import ImportRefused, importer, parsing, run_import
from earlyhelp.cases.importing.seen import SeenReferences
from earlyhelp.cases.models import EarlyHelpAssessment, Family

from .import_files import csv_bytes, eha_indexes, row

pytestmark = pytest.mark.django_db


def import_rows(rows, **options):
    return run_import(io.BytesIO(csv_bytes(rows)), **options)


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(importer, "CHUNK_SIZE", 2)


@pytest.fixture
def bulk_loads(monkeypatch):
    """Makes 3 new EHAs a bulk load, and counts the times the indexes are set aside."""
    monkeypatch.setattr(importer, "BULK_LOAD_AT", 3)
    monkeypatch.setattr(importer, "CHUNK_SIZE", 2)
    calls = []
    set_aside = importer.set_aside_indexes

    def counted():
        calls.append(1)
        return set_aside()

    monkeypatch.setattr(importer, "set_aside_indexes", counted)
    return calls


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_duplicate_in_a_later_batch_names_the_row_of_the_first(small_batches, dry_run):
    rows = [row(EHA_Reference=f"EHA-{n}") for n in (1, 2, 3, 4, 5)] + [row(EHA_Reference="EHA-2")]
    summary = import_rows(rows, dry_run=dry_run)
    assert (summary.created, summary.rejected) == (5, 1)
    assert summary.errors == [(7, "EHA Reference", "duplicate of row 3")]


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_duplicate_with_errors_of_its_own_lists_them_first_and_counts_once(
    small_batches, dry_run
):
    # A first import finds duplicates as it writes each batch, a dry run as it checks it: the
    # same rows are rejected for the same reasons, in the same order.
    rows = [row(EHA_Reference="EHA-1"), row(EHA_Reference="EHA-2")]
    rows += [row(EHA_Reference="EHA-1", District="Kendal", Plan_In_Place="Maybe")]
    rows += [row(EHA_Reference="EHA-3"), row(EHA_Reference="EHA-2")]
    summary = import_rows(rows, dry_run=dry_run)
    assert (summary.rows, summary.created, summary.rejected) == (5, 3, 2)
    assert [(r, c) for r, c, _ in summary.errors] == [
        (4, "District"),
        (4, "Plan In Place"),
        (4, "EHA Reference"),
        (6, "EHA Reference"),
    ]
    assert [m for _, c, m in summary.errors if c == "EHA Reference"] == [
        "duplicate of row 2",
        "duplicate of row 3",
    ]
    if not dry_run:
        assert sorted(EarlyHelpAssessment.objects.values_list("reference", flat=True)) == [
            "EHA-1",
            "EHA-2",
            "EHA-3",
        ]


def test_a_duplicate_of_a_rejected_row_is_still_a_duplicate(small_batches):
    rows = [row(EHA_Reference="EHA-1", District="Kendal"), row(EHA_Reference="EHA-2")]
    rows += [row(EHA_Reference="EHA-3"), row(EHA_Reference="EHA-1")]
    summary = import_rows(rows)
    assert (summary.created, summary.rejected) == (2, 2)
    assert [(r, c) for r, c, _ in summary.errors] == [(2, "District"), (5, "EHA Reference")]
    assert summary.errors[1][2] == "duplicate of row 2"


def test_a_duplicate_of_an_unchanged_row_is_a_duplicate_not_unchanged(small_batches):
    import_rows([row(EHA_Reference="EHA-1")])
    rows = [row(EHA_Reference="EHA-1"), row(EHA_Reference="EHA-2"), row(EHA_Reference="EHA-3")]
    summary = import_rows([*rows, row(EHA_Reference="EHA-1", Children_In_Family="5")])
    assert (summary.unchanged, summary.created, summary.updated) == (1, 2, 0)
    assert summary.errors == [(5, "EHA Reference", "duplicate of row 2")]
    assert EarlyHelpAssessment.objects.get(reference="EHA-1").children_in_family == 3


def test_seen_references_give_the_first_row_of_each_reference_met_again():
    with SeenReferences() as seen:
        assert seen.earlier_rows([("A", 2), ("B", 3), ("A", 4)]) == {"A": 2}
        assert seen.earlier_rows([("C", 5), ("B", 6), ("a\x00b", 7)]) == {"B": 3}
        # Whatever a reference holds, only the same reference is its duplicate.
        assert seen.earlier_rows([("a\x00c", 8), ("a", 9), ("a\x00b", 10)]) == {"a\x00b": 7}
        assert seen.earlier_rows([]) == {}


def test_a_bulk_load_creates_every_row_and_builds_every_index_again(bulk_loads):
    before = eha_indexes()
    summary = import_rows([row(EHA_Reference=f"EHA-{n}") for n in range(7)])
    assert summary.created == 7
    assert bulk_loads == [1], "seven new EHAs into an empty table is a bulk load"
    assert eha_indexes() == before
    assert EarlyHelpAssessment.objects.filter(status="open").count() == 7


def test_any_import_into_an_empty_table_is_a_bulk_load_from_its_first_batch(bulk_loads):
    before = eha_indexes()
    summary = import_rows([row(EHA_Reference="EHA-1")])
    assert summary.created == 1
    assert bulk_loads == [1], "fewer rows than BULK_LOAD_AT, but the table was empty"
    assert eha_indexes() == before


def test_a_bulk_load_leaves_an_eha_already_held_as_it_was(bulk_loads):
    import_rows([row(EHA_Reference="EHA-0")])
    bulk_loads.clear()
    summary = import_rows([row(EHA_Reference=f"EHA-{n}") for n in range(7)])
    assert bulk_loads == [1]
    assert (summary.created, summary.unchanged) == (6, 1)
    assert EarlyHelpAssessment.objects.filter(reference="EHA-0").count() == 1


def test_no_bulk_load_when_the_new_rows_are_fewer_than_the_table_holds(bulk_loads):
    import_rows([row(EHA_Reference=f"OLD-{n}") for n in range(10)])
    bulk_loads.clear()
    summary = import_rows([row(EHA_Reference=f"NEW-{n}") for n in range(5)])
    assert summary.created == 5
    assert bulk_loads == []


def test_a_dry_run_sets_no_index_aside(bulk_loads):
    summary = import_rows([row(EHA_Reference=f"EHA-{n}") for n in range(7)], dry_run=True)
    assert summary.created == 7
    assert bulk_loads == []


def test_a_file_that_breaks_during_a_bulk_load_leaves_rows_and_indexes_as_they_were(bulk_loads):
    import_rows([row(EHA_Reference="EHA-KEEP")])
    bulk_loads.clear()
    before = eha_indexes()
    rows = [row(EHA_Reference=f"EHA-{n}") for n in range(9)]
    data = csv_bytes(rows) + b'"' + b"x" * 200_000 + b'"\n'  # past the CSV field size limit
    with pytest.raises(ImportRefused, match="could not be read as CSV"):
        run_import(io.BytesIO(data))
    assert bulk_loads == [1], "the indexes were set aside before the file broke"
    assert eha_indexes() == before
    assert not staging_table_exists(), "the staging table went with the transaction"
    assert list(EarlyHelpAssessment.objects.values_list("reference", flat=True)) == ["EHA-KEEP"]


def test_a_row_of_spaces_counts_as_blank_and_spaces_around_cells_are_ignored():
    padded = {name: f"  {value} " for name, value in row(EHA_Reference="EHA-2").items()}
    summary = import_rows([row(), dict.fromkeys(row(), "   "), padded])
    assert (summary.rows, summary.created, summary.rejected) == (2, 2, 0)
    assert EarlyHelpAssessment.objects.get(reference="EHA-2").district.name == "Carlisle"


def test_families_named_in_several_batches_are_added_once(small_batches):
    import_rows([row(EHA_Reference="EHA-0", Family_Reference="FAM-HELD")])
    rows = [
        row(EHA_Reference=f"EHA-{n}", Family_Reference=family)
        for n, family in enumerate(["FAM-A", "FAM-B", "FAM-A", "FAM-HELD", "FAM-B"], start=1)
    ]
    summary = import_rows(rows)
    assert summary.created == 5
    assert sorted(Family.objects.values_list("reference", flat=True)) == [
        "FAM-A",
        "FAM-B",
        "FAM-HELD",
    ]
    assert EarlyHelpAssessment.objects.filter(family__reference="FAM-B").count() == 2
    assert EarlyHelpAssessment.objects.filter(family__reference="FAM-HELD").count() == 2


def staging_table_exists():
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM cases_import_stage")
    except DatabaseError:
        return False
    return True


def test_no_staging_table_is_left_after_an_import_or_a_refused_file(small_batches):
    import_rows([row(EHA_Reference=f"EHA-{n}") for n in range(5)])
    assert not staging_table_exists()
    with pytest.raises(ImportRefused):
        run_import(io.BytesIO(b"not,a,report\n1,2,3\n"))
    assert not staging_table_exists()


def test_a_row_breaking_two_rules_between_columns_has_its_errors_in_column_order():
    summary = import_rows(
        [
            row(
                Start_Date="01/01/2026",
                TAF_Meeting_Date="01/12/2025",
                Last_Review_Date="02/12/2025",
                Status="Closed",
                Closure_Date="",
            )
        ]
    )
    assert [(column, message) for _, column, message in summary.errors] == [
        ("TAF Meeting Date", "01/12/2025 is before the Start Date (01/01/2026)"),
        ("Last Review Date", "02/12/2025 is before the Start Date (01/01/2026)"),
        ("Closure Date", "Closure Date is missing: the EHA is Closed"),
    ]


def test_a_wrong_value_met_again_after_the_remembered_values_are_cleared_is_still_wrong(
    monkeypatch, small_batches
):
    # Checked values are remembered up to a limit, then forgotten between batches so that
    # memory stays flat; what was forgotten is checked again, wrong values included.
    monkeypatch.setattr(parsing, "_REMEMBER_AT_MOST", 2)
    dates = ["01/02/2025", "31/02/2025", "03/02/2025", "04/02/2025", "31/02/2025", "01/02/2025"]
    summary = import_rows(
        [row(EHA_Reference=f"EHA-{n}", Start_Date=day) for n, day in enumerate(dates)]
    )
    assert (summary.created, summary.rejected) == (4, 2)
    assert [(number, column) for number, column, _ in summary.errors] == [
        (3, "Start Date"),
        (6, "Start Date"),
    ]
    assert {message for *_, message in summary.errors} == {"“31/02/2025” is not a real date"}


def test_a_new_ehas_values_not_there_are_stored_as_null_and_yes_no_as_yes_or_no():
    # New EHAs pass through the stage, where on SQLite a value not there is written as "" (and
    # yes/no as 1/0) and turned back on the way into the EHA table: none may stay as "".
    empty = dict.fromkeys(
        [
            "Agency Type",
            "Coordinator Email",
            "TAF Meeting Date",
            "Plan In Place",
            "Last Review Date",
            "Number Of Reviews",
            "Next Review Date",
            "Step Down From Social Care",
            "Stepped Up To Social Care",
            "Children In Family",
            "Genogram Recorded",
            "Chronology Recorded",
        ],
        "",
    )
    rows = [
        row(EHA_Reference="EHA-EMPTY", Lead_Agency="A New Agency", **empty),
        row(EHA_Reference="EHA-CLOSED", Status="Closed", Closure_Date="01/06/2025"),
    ]
    assert import_rows(rows).created == 2

    not_there = {
        f"{name}__isnull": True
        for name in [
            "agency_type",
            "coordinator",
            "taf_meeting_date",
            "plan_in_place",
            "last_review_date",
            "number_of_reviews",
            "next_review_date",
            "closure_date",
            "step_down_from_social_care",
            "stepped_up_to_social_care",
            "children_in_family",
            "genogram_recorded",
            "chronology_recorded",
        ]
    }
    assert EarlyHelpAssessment.objects.filter(reference="EHA-EMPTY", **not_there).exists()
    closed = EarlyHelpAssessment.objects.get(
        reference="EHA-CLOSED",
        plan_in_place=True,
        step_down_from_social_care=False,
        genogram_recorded=True,
        chronology_recorded=False,
        number_of_reviews=2,
        children_in_family=3,
    )
    assert (closed.closure_date.isoformat(), closed.taf_meeting_date.isoformat()) == (
        "2025-06-01",
        "2025-02-20",
    )
    assert closed.coordinator_email == "jo.bloggs@agency.test"
    assert EarlyHelpAssessment.objects.get(reference="EHA-EMPTY").coordinator_email == ""


def test_the_cycle_collector_is_paused_while_batches_are_written_and_runs_again_after(
    monkeypatch,
):
    states = []
    write = importer._Importer._write

    def recorded(self, batch):
        states.append(gc.isenabled())
        return write(self, batch)

    monkeypatch.setattr(importer._Importer, "_write", recorded)
    assert import_rows([row()]).created == 1
    assert states == [False]
    assert gc.isenabled()

    def broken(self, batch):
        raise DatabaseError("the disk is full")

    monkeypatch.setattr(importer._Importer, "_write", broken)
    with pytest.raises(DatabaseError):
        import_rows([row(EHA_Reference="EHA-2")])
    assert gc.isenabled(), "a failed import leaves the collector running"
