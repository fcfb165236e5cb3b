"""Which EHA references a file has shown so far, and on which row each first appeared.

A second row with the same reference is rejected as "duplicate of row N", so the importer must
remember every reference of the file until its end. A dictionary in memory grows with the file
(about 14 MB per 100,000 rows); this keeps them in a private, temporary SQLite database instead:
a few pages stay cached and the rest is on disk, so memory is the same whatever the file's size.

It is not the service's database: it takes part in no transaction and holds no lock there, it
works the same for a dry run, and SQLite deletes it when it is closed (or the process ends).
"""

import sqlite3
from itertools import chain

_CACHE_KB = 2048  # SQLite's default page cache: the rest of the table stays on disk
_ROWS = 1000  # (reference, row) pairs stored by one statement
_STORE = "INSERT OR IGNORE INTO seen VALUES " + ", ".join(["(?, ?)"] * _ROWS)  # noqa: S608


class SeenReferences:
    def __init__(self):
        # "" is a private, temporary database on disk, deleted when the connection closes.
        self._db = sqlite3.connect("", isolation_level=None)
        # Nothing here needs to survive a crash: no journal, no waiting for the disk.
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute(f"PRAGMA cache_size=-{_CACHE_KB}")
        self._db.execute(
            "CREATE TABLE seen (reference TEXT PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID"
        )
        self._db.execute("CREATE TABLE batch (reference TEXT NOT NULL, row INTEGER NOT NULL)")
        self._db.execute("BEGIN")

    def earlier_rows(self, references):
        """Records [(reference, row number)] in file order; returns {reference: the row it first
        appeared on} for the references met here on a later row than their first (duplicates,
        in this batch or since an earlier one)."""
        if not references:
            return {}
        # The first row with a reference is stored; a later one leaves it as it is.
        stored_before = self._db.total_changes
        for start in range(0, len(references), _ROWS):
            part = references[start : start + _ROWS]
            # Always the same statement, its places not needed filled with NULLs: a primary
            # key cannot be NULL, so OR IGNORE leaves those rows out. (Many rows to a statement
            # is faster than one statement run for each row.)
            self._db.execute(
                _STORE, [*chain.from_iterable(part), *[None, None] * (_ROWS - len(part))]
            )
        if self._db.total_changes - stored_before == len(references):
            return {}  # every one was new: no duplicate (the usual case, and the fast one)
        # The batch goes in a table of its own so that one statement finds its duplicates,
        # whatever their number (a list of values would make a new statement for each length).
        self._db.executemany("INSERT INTO batch VALUES (?, ?)", references)
        found = self._db.execute(
            "SELECT seen.reference, seen.row FROM batch"
            " JOIN seen ON seen.reference = batch.reference WHERE seen.row <> batch.row"
        ).fetchall()
        self._db.execute("DELETE FROM batch")
        return dict(found)

    def close(self):
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
