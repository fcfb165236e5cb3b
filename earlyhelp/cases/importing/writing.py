"""The import's database work, in as few statements as the databases allow.

A large import is mostly INSERTs, so they bypass the ORM's per-object work: new EHAs go into a
staging table (on SQLite one statement run for many rows, on PostgreSQL COPY) and from there,
with their families, into the EHA table in two statements a batch. Updates on PostgreSQL go
through psycopg's own
cursor, which sends the statement once and the values separately (Django's cursor binds every
value into the SQL text on the client, which for many rows costs three times as long).
Everything here runs inside the import's transaction, on Django's connection.

The SQL is built only from the model's own table and column names, quoted by the database
backend; every value is a parameter.
"""

import operator

from django.db import connection

from earlyhelp.accounts.models import Agency, AgencyType, District

from ..models import EarlyHelpAssessment, Family
from .columns import DATA_FIELDS, DATE_FIELDS

_EHA = EarlyHelpAssessment._meta.db_table
_FAMILY = Family._meta.db_table
_UPDATE_FIELDS = ["family_id", *DATA_FIELDS, "source_hash", "updated_by_import_id", "updated_at"]


_SQLITE_LIST = 2000  # values in each SQLite lookup by reference


def _quote(name):
    return connection.ops.quote_name(name)


def _postgres():
    return connection.vendor == "postgresql"


def _copy_in(table, columns, rows):
    """PostgreSQL's COPY: the fastest way to add many rows, still inside the transaction."""
    names = ", ".join(_quote(c) for c in columns)
    connection.ensure_connection()
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {_quote(table)} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _insert_many(table, columns, rows):
    if not rows:
        return
    if _postgres():
        _copy_in(table, columns, rows)
        return
    names = ", ".join(_quote(c) for c in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {_quote(table)} ({names}) VALUES ({placeholders})",  # noqa: S608
            rows,
        )


def _executemany(sql, rows):
    if not rows:
        return
    if _postgres():
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    else:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _select_by_reference(table, columns, references):
    """Rows of `table` whose reference is one of `references`, as tuples of `columns`."""
    if not references:
        return []
    selected = ", ".join(_quote(c) for c in columns)
    with connection.cursor() as cursor:
        if _postgres():
            # One array parameter rather than thousands of literals in an IN list.
            cursor.execute(
                f"SELECT {selected} FROM {_quote(table)} WHERE reference = ANY(%s)",  # noqa: S608
                [list(references)],
            )
        else:
            # A fixed number of values per statement (unused places hold NULL, which matches
            # nothing): SQLite keeps each different statement it has prepared (about 0.4 MB for
            # 2,000 values), so lists of varying length made memory grow with every batch.
            rows = []
            references = list(references)
            marks = ", ".join(["%s"] * _SQLITE_LIST)
            for start in range(0, len(references), _SQLITE_LIST):
                part = references[start : start + _SQLITE_LIST]
                cursor.execute(
                    f"SELECT {selected} FROM {_quote(table)} WHERE reference IN ({marks})",  # noqa: S608
                    part + [None] * (_SQLITE_LIST - len(part)),
                )
                rows += cursor.fetchall()
            return rows
        return cursor.fetchall()


def assessments_to_change(digests):
    """From [(reference, digest of its row)], the references that need work: reference -> id of
    the EHA held, whose row was different last time, or None for an EHA not held yet. A
    reference left out is held and was last made from an identical row.

    On SQLite the database compares the digests, so an unchanged re-import brings back almost
    nothing; on PostgreSQL the held digests are read and compared here (see below).
    """
    if not digests:
        return {}
    eha, reference, source_hash = _quote(_EHA), _quote("reference"), _quote("source_hash")
    found = []
    with connection.cursor() as cursor:
        if _postgres():
            # Compared here: a join with the batch's references is planned from statistics of
            # the table as it was before the import (empty, the first time), which made each
            # batch read the whole table.
            wanted = dict(digests)
            held = _select_by_reference(_EHA, ["reference", "id", "source_hash"], wanted)
            to_change = dict.fromkeys(wanted)
            for held_reference, pk, held_digest in held:
                if held_digest == wanted[held_reference]:
                    del to_change[held_reference]
                else:
                    to_change[held_reference] = pk
            return to_change
        # As in _select_by_reference: a fixed number of (reference, digest) pairs per statement;
        # the unused places hold NULLs, which are left out.
        pairs = ", ".join(["(%s, %s)"] * _SQLITE_LIST)
        sql = (
            f"WITH batch(reference, digest) AS (VALUES {pairs})"  # noqa: S608
            f" SELECT batch.reference, e.id FROM batch"
            f" LEFT JOIN {eha} e ON e.{reference} = batch.reference"
            f" WHERE batch.reference IS NOT NULL"
            f" AND (e.id IS NULL OR e.{source_hash} <> batch.digest)"
        )
        for start in range(0, len(digests), _SQLITE_LIST):
            part = digests[start : start + _SQLITE_LIST]
            cursor.execute(
                sql,
                [value for pair in part for value in pair]
                + [None, None] * (_SQLITE_LIST - len(part)),
            )
            found += cursor.fetchall()
    return dict(found)


def family_ids(references):
    """reference -> id for these families, creating the ones not yet held."""
    held = dict(_select_by_reference(_FAMILY, ["reference", "id"], references))
    missing = sorted(references - held.keys())
    if missing:
        _insert_many(_FAMILY, ["reference"], [(reference,) for reference in missing])
        held.update(_select_by_reference(_FAMILY, ["reference", "id"], missing))
    return held


_DATA_VALUES = operator.itemgetter(*DATA_FIELDS)
_DATE_POSITIONS = [i for i, name in enumerate(DATA_FIELDS) if name in DATE_FIELDS]


def _value_maker(families):
    """A function from a record to its family id, DATA_FIELDS values and digest, in that order
    (decided once per batch, not once per row)."""
    dates_as_text = not _postgres()  # SQLite keeps dates as ISO text, as Django writes them

    def values(record):
        row = [families[record["family"]], *_DATA_VALUES(record)]
        if dates_as_text:
            for position in _DATE_POSITIONS:
                day = row[position + 1]
                if day is not None:
                    row[position + 1] = day.isoformat()
        row.append(record["source_hash"])
        return row

    return values


# --- new EHAs: through a staging table, the rest done by the database ----------------------
#
# A batch of new EHAs goes first into a temporary table with no index or constraint (as fast to
# fill as any table can be), then one statement adds the batch's new families and one copies the
# batch into the EHA table, finding each family's id by its reference. The database does per row
# what Python did before (look up families, add the ones not held, bind each value again), and
# runs the EHA table's once-per-statement work (such as AUTOINCREMENT's counter on SQLite) once
# per batch instead of once per row.

_STAGE = "cases_import_stage"
# The stage's columns: the family by its reference, the dates as ISO text (both databases read
# them so), and no id, import or timestamps, which are the same for the whole batch.
STAGE_FIELDS = ["reference", "family", *DATA_FIELDS, "source_hash"]


def create_stage():
    """The stage, empty, with the EHA table's own column types (made from a query that returns
    nothing, so nothing is written twice). Temporary: only this connection sees it, and it goes
    with the import's transaction if that fails; drop_stage removes it when the import ends."""
    q = _quote
    selected = ", ".join(
        [
            f"e.{q('reference')}",
            f"f.{q('reference')} AS {q('family')}",
            *(f"e.{q(name)}" for name in DATA_FIELDS),
            f"e.{q('source_hash')}",
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {q(_STAGE)} AS"  # noqa: S608
            f" SELECT {selected} FROM {q(_EHA)} e, {q(_FAMILY)} f WHERE 1 = 0"
        )


# On SQLite, values that are not there and yes/no go into the stage as "" and 1/0, and the copy
# turns "" back into NULL: Python's sqlite3 binds None, True and False through its adapter
# lookup, about six times as slow as text or a whole number, and new EHAs have a dozen such
# values each (a third of the time of filling the stage, measured). "" is never a real value
# of these columns (dates, numbers, yes/no and ids); text columns keep their "" as it is.
_STAGE_VALUE = {None: "", True: 1, False: 0}  # 1 and 0 look up as themselves (1 == True)
_NULLABLE = {
    name
    for name in STAGE_FIELDS
    if name in DATA_FIELDS and EarlyHelpAssessment._meta.get_field(name).null
}


def _stage_columns(columns):
    if _postgres():  # COPY sends None as NULL, with no cost
        return columns
    value = _STAGE_VALUE.get
    return [
        list(map(value, column, column)) if name in _NULLABLE else column
        for name, column in zip(STAGE_FIELDS, columns, strict=True)
    ]


def insert_assessments(columns, import_id, now):
    """Adds new EHAs, and the families they name that are not held yet, through the stage
    (create_stage). `columns` hold the new EHAs' values in the order of STAGE_FIELDS."""
    if not columns:
        return
    q = _quote
    stamp = connection.ops.adapt_datetimefield_value(now)
    stage, family, reference = q(_STAGE), q(_FAMILY), q("reference")
    with connection.cursor() as cursor:
        _insert_many(_STAGE, STAGE_FIELDS, list(zip(*_stage_columns(columns), strict=True)))
        # Each family looked up in the unique index on its reference (WHERE true is SQLite's
        # way of telling ON CONFLICT from a join). NOT EXISTS was planned on PostgreSQL as a
        # hash of the whole family table, made again for every batch.
        cursor.execute(
            f"INSERT INTO {family} ({reference})"  # noqa: S608
            f" SELECT DISTINCT {q('family')} FROM {stage} WHERE true"
            f" ON CONFLICT ({reference}) DO NOTHING"
        )
        names = ", ".join(q(name) for name in ["reference", "family_id", *DATA_FIELDS])
        copied = ", ".join(
            f"NULLIF(s.{q(name)}, '')" if name in _NULLABLE and not _postgres() else f"s.{q(name)}"
            for name in DATA_FIELDS
        )
        cursor.execute(
            f"INSERT INTO {q(_EHA)} ({names}, {q('source_hash')},"  # noqa: S608
            f" {q('created_by_import_id')}, {q('updated_by_import_id')},"
            f" {q('created_at')}, {q('updated_at')})"
            f" SELECT s.{reference},"
            f" (SELECT f.id FROM {family} f WHERE f.{reference} = s.{q('family')}),"
            f" {copied}, s.{q('source_hash')}, %s, %s, %s, %s FROM {stage} s",
            [import_id, import_id, stamp, stamp],
        )
        # Emptied for the next batch (TRUNCATE on PostgreSQL, so that no dead rows are left for
        # the next batch's statements to step over).
        cursor.execute(f"{'TRUNCATE' if _postgres() else 'DELETE FROM'} {stage}")


def drop_stage():
    # Named in the temporary schema, so that nothing but the stage could ever be dropped.
    schema = "pg_temp" if _postgres() else "temp"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {schema}.{_quote(_STAGE)}")


def update_assessments(updates, families, import_id, now):
    stamp = connection.ops.adapt_datetimefield_value(now)
    values = _value_maker(families)
    assignments = ", ".join(f"{_quote(c)} = %s" for c in _UPDATE_FIELDS)
    _executemany(
        f"UPDATE {_quote(_EHA)} SET {assignments} WHERE id = %s",  # noqa: S608
        [(*values(record), import_id, stamp, pk) for pk, record in updates],
    )


def restamp_assessments(digests):
    """Records the new digest of rows whose values did not change."""
    _executemany(
        f"UPDATE {_quote(_EHA)} SET {_quote('source_hash')} = %s WHERE id = %s",  # noqa: S608
        [(digest, pk) for pk, digest in digests],
    )


def count_assessments():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {_quote(_EHA)}")  # noqa: S608
        return cursor.fetchone()[0]


# --- a bulk load: the plain indexes built once at the end -----------------------------------
#
# Adding many rows to an indexed table updates every index row by row, in random order; building
# an index over the finished table sorts once and is several times faster (PostgreSQL's manual,
# "Populating a Database", advises the same). Only plain indexes are set aside (the EHA table's,
# and on PostgreSQL the family table's index for searching references by their start): the
# primary keys and unique references stay and are checked as always. On PostgreSQL the foreign
# keys from EHAs to families and reference data are set aside too, as the same manual advises:
# each would otherwise be checked by a query per row (about 0.3 s per 100,000 rows each), and
# added again it is checked by one query over the finished table. The foreign keys to people
# and to imports stay as they are (see below).
#
# Both databases change their schema inside a transaction, so all this is set aside and built
# again inside the import's own transaction: a failure or a kill leaves it, with everything
# else, as it was. The statements that build it again are the database's own record of it, so
# they stay right whatever later migrations do.
#
# While it runs: on SQLite, readers see the last committed state, indexes and all (WAL). On
# PostgreSQL, DROP INDEX and DROP CONSTRAINT lock the tables until the import commits: reads of
# EHAs, families, districts, agencies and agency types wait for the end of a bulk load (which
# only happens when the import at least doubles the table, in practice the first one). People
# and imports are not locked, so signing in and the import's own progress pages still answer
# (tests/cases/test_import_journey.py checks that those pages read no locked table).

# The foreign keys set aside on PostgreSQL: from EHAs to these tables.
_BULK_LOAD_FOREIGN_KEYS = [model._meta.db_table for model in (Family, District, Agency, AgencyType)]


def set_aside_indexes():
    """Drops what a bulk load builds again at the end; returns the statements that do it."""
    with connection.cursor() as cursor:
        if _postgres():
            return _set_aside_on_postgres(cursor)
        # Origin "c": made by CREATE INDEX, not for a primary key or a UNIQUE constraint.
        cursor.execute(f"PRAGMA index_list({_quote(_EHA)})")
        plain = {
            name for _, name, unique, origin, _ in cursor.fetchall() if origin == "c" and not unique
        }
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
            " AND sql IS NOT NULL ORDER BY name",
            [_EHA],
        )
        indexes = [(name, sql) for name, sql in cursor.fetchall() if name in plain]
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {_quote(name)}")
        return [sql for _, sql in indexes]


def _set_aside_on_postgres(cursor):
    eha = _quote(_EHA)
    cursor.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indexrelid"
        " WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"
        " ORDER BY c.relname",
        [[_EHA, _FAMILY]],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype = 'f'"
        " AND confrelid = ANY(%s::regclass[]) ORDER BY conname",
        [_EHA, _BULK_LOAD_FOREIGN_KEYS],
    )
    keys = cursor.fetchall()
    # The table cannot be altered while checks of rows already added wait for the commit: run
    # them now, then defer again as Django does.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for name, _ in keys:
        cursor.execute(f"ALTER TABLE {eha} DROP CONSTRAINT {_quote(name)}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {_quote(name)}")
    # Indexes first: the check of each foreign key added again reads the finished table.
    return [sql for _, sql in indexes] + [
        f"ALTER TABLE {eha} ADD CONSTRAINT {_quote(name)} {definition}" for name, definition in keys
    ]


def restore_indexes(statements):
    """Builds again what set_aside_indexes set aside."""
    with connection.cursor() as cursor:
        if _postgres():
            # An index cannot be built while the rows' deferred foreign-key checks are pending:
            # run them now (they would run at commit anyway), then defer again as Django does.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in statements:
            cursor.execute(statement)
        if _postgres():
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
