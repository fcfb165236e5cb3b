"""The import's database work, in as few statements as the databases allow.

A large import is mostly INSERTs, so they bypass the ORM's per-object work: on SQLite one
statement run for many rows, on PostgreSQL COPY. Updates on PostgreSQL go through psycopg's own
cursor, which sends the statement once and the values separately (Django's cursor binds every
value into the SQL text on the client, which for many rows costs three times as long).
Everything here runs inside the import's transaction, on Django's connection.

The SQL is built only from the model's own table and column names, quoted by the database
backend; every value is a parameter.
"""

from django.db import connection

from ..models import EarlyHelpAssessment, Family
from .columns import DATA_FIELDS, DATE_FIELDS

_EHA = EarlyHelpAssessment._meta.db_table
_FAMILY = Family._meta.db_table
_INSERT_FIELDS = [
    "reference",
    "family_id",
    *DATA_FIELDS,
    "source_hash",
    "created_by_import_id",
    "updated_by_import_id",
    "created_at",
    "updated_at",
]
_UPDATE_FIELDS = ["family_id", *DATA_FIELDS, "source_hash", "updated_by_import_id", "updated_at"]


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
            placeholders = ", ".join(["%s"] * len(references))
            cursor.execute(
                f"SELECT {selected} FROM {_quote(table)} WHERE reference IN ({placeholders})",  # noqa: S608
                list(references),
            )
        return cursor.fetchall()


def existing_assessments(references):
    """reference -> (id, source digest) for the EHAs already held."""
    rows = _select_by_reference(_EHA, ["reference", "id", "source_hash"], references)
    return {reference: (pk, digest) for reference, pk, digest in rows}


def family_ids(references):
    """reference -> id for these families, creating the ones not yet held."""
    held = dict(_select_by_reference(_FAMILY, ["reference", "id"], references))
    missing = sorted(references - held.keys())
    if missing:
        _insert_many(_FAMILY, ["reference"], [(reference,) for reference in missing])
        held.update(_select_by_reference(_FAMILY, ["reference", "id"], missing))
    return held


_DATE_POSITIONS = [i for i, name in enumerate(DATA_FIELDS) if name in DATE_FIELDS]


def _values(record, families):
    values = [families[record["family"]], *(record[name] for name in DATA_FIELDS)]
    if not _postgres():
        # SQLite keeps dates as ISO text, as Django writes them.
        for position in _DATE_POSITIONS:
            day = values[position + 1]
            if day is not None:
                values[position + 1] = day.isoformat()
    values.append(record["source_hash"])
    return values


def insert_assessments(creates, families, import_id, now):
    stamp = connection.ops.adapt_datetimefield_value(now)
    _insert_many(
        _EHA,
        _INSERT_FIELDS,
        [
            (record["reference"], *_values(record, families), import_id, import_id, stamp, stamp)
            for _, record in creates
        ],
    )


def update_assessments(updates, families, import_id, now):
    stamp = connection.ops.adapt_datetimefield_value(now)
    assignments = ", ".join(f"{_quote(c)} = %s" for c in _UPDATE_FIELDS)
    _executemany(
        f"UPDATE {_quote(_EHA)} SET {assignments} WHERE id = %s",  # noqa: S608
        [(*_values(record, families), import_id, stamp, pk) for pk, record in updates],
    )


def restamp_assessments(digests):
    """Records the new digest of rows whose values did not change."""
    _executemany(
        f"UPDATE {_quote(_EHA)} SET {_quote('source_hash')} = %s WHERE id = %s",  # noqa: S608
        [(digest, pk) for pk, digest in digests],
    )
