"""A first import checks the file in a second process while this one writes (ahead.py): what
that process may and may not do, and how its end and its errors reach the import."""

import fcntl
import io
import multiprocessing
import os
import signal

import pytest
from django.db import connection

from earlyhelp.cases.importing import ImportRefused, ahead, importer, run_import
from earlyhelp.cases.importing.ahead import checked_ahead
from earlyhelp.cases.models import EarlyHelpAssessment, Family

from .import_files import csv_bytes, row


def test_the_batches_are_made_in_another_process_and_come_in_order():
    made = list(checked_ahead((n, os.getpid()) for n in range(5)))
    assert [n for n, _ in made] == [0, 1, 2, 3, 4]
    assert {pid for _, pid in made} != {os.getpid()}
    assert not multiprocessing.active_children(), "the reader has ended"


def _refused_after_two():
    yield 1
    yield 2
    raise ImportRefused("Row 4 could not be read as CSV (field larger than field limit).")


def test_an_error_in_the_reader_is_raised_here_after_the_batches_before_it():
    made = []

    def take_all():
        made.extend(checked_ahead(_refused_after_two()))

    with pytest.raises(ImportRefused, match="Row 4 could not be read"):
        take_all()
    assert made == [1, 2]


class _Unsendable(Exception):
    def __init__(self, reason, detail):  # two arguments: pickle cannot make it again
        super().__init__(f"{reason}: {detail}")

    def __reduce__(self):
        raise TypeError("not picklable")


def _fails_unsendably():
    yield 1
    raise _Unsendable("broken", "beyond words")


def test_an_error_that_cannot_be_sent_is_described():
    with pytest.raises(RuntimeError, match=r"reader process failed: .*beyond words"):
        list(checked_ahead(_fails_unsendably()))


def _killed():
    yield 1
    os.kill(os.getpid(), signal.SIGKILL)
    yield 2


def test_a_reader_that_dies_stops_the_import_with_a_clear_message():
    with pytest.raises(RuntimeError, match=r"reader process stopped unexpectedly \(-9\)"):
        list(checked_ahead(_killed()))


def _queries():
    yield Family.objects.count()


@pytest.mark.django_db
def test_the_reader_may_not_use_the_database():
    with pytest.raises(RuntimeError, match="must not use the database"):
        list(checked_ahead(_queries()))
    assert Family.objects.count() == 0, "this process's connection still works"


def _endless():
    n = 0
    while True:
        yield n
        n += 1


def test_stopping_early_ends_the_reader_by_itself():
    batches = checked_ahead(_endless())
    assert next(batches) == 0
    [reader] = multiprocessing.active_children()
    batches.close()
    assert reader.exitcode == 0, "the reader ended when its next batch could not be sent"
    assert not multiprocessing.active_children()


@pytest.fixture
def checked_where(monkeypatch):
    """Records whether each import checked its batches in a second process."""
    used = []

    def recorded(batches):
        used.append(True)
        return checked_ahead(batches)

    monkeypatch.setattr(importer, "checked_ahead", recorded)
    return used


@pytest.mark.django_db
def test_only_an_import_into_an_empty_table_checks_in_a_second_process(checked_where):
    rows = [row(EHA_Reference=f"EHA-{n}") for n in range(3)]
    run_import(io.BytesIO(csv_bytes(rows)), dry_run=True)
    assert checked_where == [], "a dry run writes nothing: there is nothing to overlap"
    summary = run_import(io.BytesIO(csv_bytes(rows)))
    assert checked_where == [True]
    assert summary.created == 3
    run_import(io.BytesIO(csv_bytes([*rows, row(EHA_Reference="EHA-3")])))
    assert checked_where == [True], "checking rows against EHAs held needs queries"


@pytest.mark.django_db
def test_a_first_import_that_breaks_part_way_leaves_nothing(monkeypatch):
    monkeypatch.setattr(importer, "CHUNK_SIZE", 2)
    rows = [row(EHA_Reference=f"EHA-{n}") for n in range(5)]
    data = csv_bytes(rows) + b'"' + b"x" * 200_000 + b'"\n'  # past the CSV field size limit
    with pytest.raises(ImportRefused, match="Row 7 could not be read as CSV"):
        run_import(io.BytesIO(data))
    assert EarlyHelpAssessment.objects.count() == 0
    assert Family.objects.count() == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")  # the connection is still usable
    assert not multiprocessing.active_children()


@pytest.mark.django_db
def test_a_first_import_begins_with_a_small_batch_and_a_later_import_does_not(monkeypatch):
    # The writing process waits for the first batch: a small one reaches it sooner.
    monkeypatch.setattr(importer, "CHUNK_SIZE", 4)
    monkeypatch.setattr(importer, "FIRST_CHUNK_SIZE", 1)
    rows = [row(EHA_Reference=f"EHA-{n}") for n in range(10)]
    done = []
    run_import(io.BytesIO(csv_bytes(rows)), progress=done.append)
    assert done == [1, 5, 9, 10]
    done.clear()
    run_import(io.BytesIO(csv_bytes(rows)), progress=done.append)
    assert done == [4, 8, 10]


@pytest.mark.skipif(not hasattr(fcntl, "F_GETPIPE_SZ"), reason="Linux's pipe sizes")
def test_the_pipe_holds_a_whole_batch_so_the_reader_sends_it_in_one_write():
    receiving, sending = multiprocessing.Pipe(duplex=False)
    try:
        ahead._widen(sending)
        assert fcntl.fcntl(sending.fileno(), fcntl.F_GETPIPE_SZ) == 1 << 20
    finally:
        receiving.close()
        sending.close()
