"""The import itself: check every row, then create, update or leave alone each EHA.

Rows are handled in chunks, with one query to find which references exist already, so the number
of queries grows with the number of chunks, not of rows. Memory stays flat: the references seen so
far (for "duplicate of row N") are kept on disk (seen.py), not in a dictionary. A row identical to
the one an EHA was last made from is recognised by its digest and costs nothing more. An import
into an empty table, or a large one into a table it at least doubles, is a bulk load: the
table's plain indexes (and on PostgreSQL some foreign keys) are built once at the end
(writing.set_aside_indexes). Everything, that included, is written inside one transaction: a
failure or a kill part-way leaves the database as it was.
"""

import gc
import operator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts.models import Agency, AgencyType, District

from ..linking import active_accounts, link_changed_since
from ..models import CaseChange, EarlyHelpAssessment
from .ahead import checked_ahead
from .columns import DATA_FIELDS, DATE_FIELDS, LINK_FIELDS
from .parsing import RowParser
from .reading import ImportRefused, open_report, row_digests
from .seen import SeenReferences
from .writing import (
    STAGE_FIELDS,
    assessments_to_change,
    count_assessments,
    create_stage,
    drop_stage,
    family_ids,
    insert_assessments,
    restamp_assessments,
    restore_indexes,
    set_aside_indexes,
    update_assessments,
)

__all__ = ["ImportRefused", "ImportSummary", "run_import"]

CHUNK_SIZE = 2000
# On a first import the writing process waits for the reader's first batch before it can begin:
# a small one reaches it sooner (the batches after it are CHUNK_SIZE rows).
FIRST_CHUNK_SIZE = 250
# From how many new EHAs an import into a table that holds some counts as a bulk load (when it
# also at least doubles the table); into an empty table every import is one, from its first
# batch. The table's plain indexes are then dropped inside the import's transaction and built
# again before it commits (writing.set_aside_indexes): on an empty table that costs nothing.
BULK_LOAD_AT = 10_000

# The fields of a record copied from the parsed values as they are: all but reference data
# and links to accounts, which are looked up.
_LOOKED_UP = {"district_id", "lead_agency_id", "agency_type_id", *LINK_FIELDS}
_COPIED = [name for name in DATA_FIELDS if name not in _LOOKED_UP]
_FIRST = operator.itemgetter(0)
_AGENCY_COLUMNS = (STAGE_FIELDS.index("lead_agency_id"), STAGE_FIELDS.index("agency_type_id"))
_DIGESTS = STAGE_FIELDS.index("source_hash")


@dataclass
class _Checked:
    """A batch, checked: what writing it needs (made in another process on a first import, so
    it holds only plain values)."""

    rows: int
    unchanged: int
    errors: list  # (row, column, message)
    rejected: int
    new: list  # columns of the new EHAs (_Importer._new_columns)
    updates: list  # (id, record) for EHAs held whose row changed


@dataclass
class ImportSummary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list = field(default_factory=list)  # (row, column, message)
    new_agencies: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)

    def as_dict(self):
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": [{"row": r, "column": c, "message": m} for r, c, m in self.errors],
            "new_agencies": self.new_agencies,
            "ignored_columns": self.ignored_columns,
        }


def run_import(binary, *, data_import=None, dry_run=False, today=None, progress=None):
    """Imports a data report from a binary file object; returns what happened.

    With `dry_run` nothing is written and the summary says what would happen. Raises
    ImportRefused, with the reason, when the file cannot be read as a data report.
    `progress(rows_done)` is called after each chunk.
    """
    report = open_report(binary)
    importer = _Importer(
        report,
        data_import=data_import,
        dry_run=dry_run,
        today=today or timezone.localdate(),
        progress=progress,
    )
    if dry_run:
        importer.run()
    else:
        with transaction.atomic():
            importer.run()
            link_changed_since(importer.people)
    return importer.summary


class _Importer:
    def __init__(self, report, *, data_import, dry_run, today, progress):
        self.report = report
        self.dry_run = dry_run
        self.import_id = data_import.pk if data_import else None
        self.progress = progress
        self.summary = ImportSummary(ignored_columns=report.ignored_columns)
        self.seen = None  # SeenReferences while the file is read
        # Into an empty table every EHA of the file is new: nothing need be looked up. An import
        # into an empty table, or a large one into a table it at least doubles, builds the
        # table's plain indexes once at the end instead of row by row (see _is_bulk_load).
        self.held_at_start = count_assessments()
        # Into an empty table no row can be unchanged, so the rows' digests are needed only to
        # be stored: they are made as the new EHAs are written (in the importing process, while
        # a reader process checks the next batch; and not at all in a dry run).
        self.digest_when_written = self.held_at_start == 0
        self.indexes_to_build = None
        districts = dict(District.objects.filter(is_active=True).values_list("name", "pk"))
        types = dict(AgencyType.objects.filter(is_active=True).values_list("name", "pk"))
        self.parser = RowParser(districts=districts, agency_types=types, today=today)
        self.agencies = {
            name.lower(): (pk, type_id)
            for pk, name, type_id in Agency.objects.values_list("pk", "name", "agency_type_id")
        }
        self.people = active_accounts()  # for the links, as the accounts are now
        self.names = _Names(districts, types, self.agencies)
        self.now = timezone.now()
        self.iso = _IsoDays()

    def run(self):
        if not self.dry_run:
            create_stage()
        checked = self._checked_batches()
        if self._checks_ahead():
            # Checking a batch then needs no query: it is done in a second process, while this
            # one writes the batch before (see ahead.py).
            checked = checked_ahead(checked)
        # on a failure here, the reader is stopped straight away
        with _cycle_collector_paused(), closing(checked):
            for batch in checked:
                self._write(batch)
        if self.indexes_to_build:
            restore_indexes(self.indexes_to_build)
        if not self.dry_run:
            drop_stage()

    def _checks_ahead(self):
        """Whether the file is read and checked in a second process (ahead.py): on a real
        import into an empty table."""
        return self.held_at_start == 0 and not self.dry_run

    def _checked_batches(self):
        """Each batch of the file, checked (_Checked)."""
        with SeenReferences() as self.seen:
            batches = self.report.batches(
                CHUNK_SIZE,
                digested=not self.digest_when_written,
                first=FIRST_CHUNK_SIZE if self._checks_ahead() else None,
            )
            for batch in batches:
                yield self._check(*batch)

    def _check(self, numbers, cells, digests):
        """Checks one batch: its rows' numbers, cells and digests (or texts: see
        digest_when_written). Makes no query unless the table held EHAs when the import began,
        and changes nothing but self.seen and the caches of values already checked (in a reader
        process, its own copies of them)."""
        references = list(map(str.strip, map(_FIRST, cells)))
        pairs = zip(references, numbers, strict=True)
        earlier = self.seen.earlier_rows(
            list(pairs) if all(references) else [(r, n) for r, n in pairs if r]
        )
        work, firsts, held = self._work(references, numbers, digests, earlier)
        if len(work) < len(numbers):
            cells = [cells[i] for i in work]
            digests = [digests[i] for i in work]
        values, errors = self.parser.check(cells)
        for index, first in enumerate(firsts):
            if first is not None:
                errors.setdefault(index, []).append(("EHA Reference", f"duplicate of row {first}"))
        if any(held):
            fresh = [i for i, pk in enumerate(held) if pk is None and i not in errors]
            changed = [i for i, pk in enumerate(held) if pk is not None and i not in errors]
        else:  # nothing held: every row without an error is new
            fresh = [i for i in range(len(held)) if i not in errors] if errors else range(len(held))
            changed = []
        data = self._data(values, digests)
        return _Checked(
            rows=len(numbers),
            unchanged=len(numbers) - len(work),
            errors=[
                (numbers[work[index]], column, message)
                for index in sorted(errors)
                for column, message in errors[index]
            ],
            rejected=len(errors),
            new=self._new_columns(data, fresh, len(work)),
            updates=[(held[i], {name: data[name][i] for name in STAGE_FIELDS}) for i in changed],
        )

    def _write(self, checked):
        """Counts a checked batch and writes it."""
        summary = self.summary
        summary.rows += checked.rows
        summary.unchanged += checked.unchanged
        summary.rejected += checked.rejected
        summary.errors += checked.errors
        columns = checked.new
        if columns:
            if self.digest_when_written and not self.dry_run:
                columns[_DIGESTS] = row_digests(columns[_DIGESTS])
            lead_agency, agency_type = _AGENCY_COLUMNS
            columns[lead_agency], columns[agency_type] = self._agencies(
                columns[lead_agency], columns[agency_type]
            )
        if checked.updates:
            records = [record for _, record in checked.updates]
            ids, types = self._agencies(
                [record["lead_agency_id"] for record in records],
                [record["agency_type_id"] for record in records],
            )
            for record, agency_id, type_id in zip(records, ids, types, strict=True):
                record["lead_agency_id"], record["agency_type_id"] = agency_id, type_id
        self._apply(columns, checked.updates)
        if self.progress:
            self.progress(summary.rows)

    def _work(self, references, numbers, digests, earlier):
        """The rows of a batch that need checking, as (their indexes in the batch, the row each
        repeats or None, the id of the EHA each would update or None). Rows identical to the
        ones their EHAs were last made from are left out (they are unchanged)."""
        if self.held_at_start == 0 and not earlier:
            # Into an empty table, with no duplicate: every row is a new EHA (the first
            # import's usual batch).
            return range(len(references)), [None] * len(references), [None] * len(references)
        if self.held_at_start == 0:
            to_change = None
        else:
            to_change = assessments_to_change(
                [
                    (reference, digest)
                    for reference, number, digest in zip(references, numbers, digests, strict=True)
                    if reference and earlier.get(reference, number) == number
                ]
            )
        work, firsts, held = [], [], []
        for index, (reference, number) in enumerate(zip(references, numbers, strict=True)):
            first = earlier.get(reference, number)  # the row a duplicate repeats
            pk = None
            if first == number:
                first = None
                if to_change is not None and reference:
                    if reference not in to_change:
                        continue  # made from an identical row last time: unchanged
                    pk = to_change[reference]
            work.append(index)
            firsts.append(first)
            held.append(pk)
        return work, firsts, held

    def _data(self, values, digests):
        """The checked values as the EHA's fields, column by column: reference data looked up
        (agencies by name until _write), text columns "" where empty. Rows in error are in it
        too (nothing reads them)."""
        data = {
            "reference": values["reference"],
            "family": values["family"],
            "district_id": values["district"],
            "lead_agency_id": values["lead_agency"],
            "agency_type_id": values["agency_type"],
            "coordinator_id": list(map(self.people.get, values["coordinator_email"])),
            "coordinator_manager_id": list(
                map(self.people.get, values["coordinator_manager_email"])
            ),
            "source_hash": digests,
        }
        for name in _COPIED:
            data[name] = values[name]
        return data

    def _new_columns(self, data, indexes, count):
        """The columns of the new EHAs at `indexes`, in the order of STAGE_FIELDS, dates as ISO
        text, lead agencies by name (their ids are found when the batch is written)."""
        if not indexes:
            return []
        if len(indexes) == count:
            picked = data
        elif len(indexes) == 1:  # (an itemgetter of one index gives the value, not a tuple)
            picked = {name: [column[indexes[0]]] for name, column in data.items()}
        else:
            pick = operator.itemgetter(*indexes)
            picked = {name: pick(column) for name, column in data.items()}
        columns = []
        for name in STAGE_FIELDS:
            column = picked[name]
            if name in DATE_FIELDS:
                column = list(map(self.iso.__getitem__, column))
            columns.append(column)
        return columns

    def _agencies(self, names, types):
        """The lead agencies' ids, and the agency types with each row that gives none filled
        in from its agency, for rows that are kept (agencies not known yet are added)."""
        # The first row to name an agency not known yet gives its type: read backwards, the
        # first row's type is the one left in the dictionary.
        first_types = dict(zip(reversed(names), reversed(types), strict=True))
        found = {name: self._agency(name, first_types[name]) for name in dict.fromkeys(names)}
        ids = [found[name][0] for name in names]
        if None in types:
            types = [
                found[name][1] if type_id is None else type_id
                for name, type_id in zip(names, types, strict=True)
            ]
        return ids, types

    def _agency(self, name, type_id):
        found = self.agencies.get(name.lower())
        if found:
            return found
        self.summary.new_agencies.append(name)
        pk = None
        if not self.dry_run:
            pk = Agency.objects.create(name=name, agency_type_id=type_id).pk
        self.agencies[name.lower()] = (pk, type_id)
        self.names.agencies[pk] = name
        return pk, type_id

    def _apply(self, creates, updates):
        """Writes a batch: `creates` are the new EHAs' columns (_new_columns), `updates` the
        (id, record) of EHAs held whose row changed."""
        changes = _compare(updates, self.names) if updates else {}
        changed = [(pk, record) for pk, record in updates if changes.get(pk)]
        self.summary.created += len(creates[0]) if creates else 0
        self.summary.updated += len(changed)
        self.summary.unchanged += len(updates) - len(changed)
        if self.dry_run:
            return
        if creates and self.indexes_to_build is None and self._is_bulk_load():
            self.indexes_to_build = set_aside_indexes()
        insert_assessments(creates, self.import_id, self.now)
        if changed:
            families = family_ids({record["family"] for _, record in changed})
            update_assessments(changed, families, self.import_id, self.now)
        # Written differently but meaning the same: only the digest of the row moves on.
        restamp_assessments([(pk, r["source_hash"]) for pk, r in updates if not changes.get(pk)])
        CaseChange.objects.bulk_create(
            CaseChange(
                assessment_id=pk,
                data_import_id=self.import_id,
                changed_at=self.now,
                changes=changes[pk],
            )
            for pk, _ in changed
            if self.import_id is not None
        )

    def _is_bulk_load(self):
        created = self.summary.created
        held = self.held_at_start
        return held == 0 or (created >= BULK_LOAD_AT and created >= held)


@contextmanager
def _cycle_collector_paused():
    """Pauses Python's collector of reference cycles while the file is read and written (and
    in the reader process, which starts inside). Reading makes a list and some twenty strings
    for every row, and no cycle: each is freed as soon as it is no longer used, and the
    collector, started by every 700 new objects, only walks through them for nothing (about
    250 times for 100,000 rows, 13% of an unchanged re-import's time, measured; decision
    0016)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _IsoDays(dict):
    """date -> its ISO text, each day written once per import (None stays None)."""

    def __init__(self):
        super().__init__({None: None})

    def __missing__(self, day):
        self[day] = text = day.isoformat()
        return text


class _Names:
    """Readable names for ids, so a change is recorded as "Eden → Carlisle", not "5 → 3"."""

    def __init__(self, districts, types, agencies):
        self.districts = {pk: name for name, pk in districts.items()}
        self.types = {pk: name for name, pk in types.items()}
        self.agencies = dict(Agency.objects.values_list("pk", "name"))


_COMPARED = [name for name in DATA_FIELDS if name not in LINK_FIELDS]


def _compare(updates, names):
    """{id: {field: [before, after]}} for the rows whose values really differ (a row may differ
    from last time only in how it was written, such as "Y" for "Yes"). Links to accounts are
    not compared: they follow the e-mail addresses, which are."""
    held = {
        row["pk"]: row
        for row in EarlyHelpAssessment.objects.filter(pk__in=[pk for pk, _ in updates]).values(
            "pk", "family__reference", *_COMPARED
        )
    }
    changes = {}
    for pk, record in updates:
        before = held[pk]
        diff = {}
        if before["family__reference"] != record["family"]:
            diff["family"] = [before["family__reference"], record["family"]]
        for name in _COMPARED:
            if before[name] != record[name]:
                diff[name.removesuffix("_id")] = [
                    _readable(name, before[name], names),
                    _readable(name, record[name], names),
                ]
        changes[pk] = diff
    return changes


def _readable(name, value, names):
    if value is None:
        return None
    lookup = {
        "district_id": names.districts,
        "agency_type_id": names.types,
        "lead_agency_id": names.agencies,
    }.get(name)
    if lookup is not None:
        return lookup.get(value, value)
    if name in DATE_FIELDS:
        return value.isoformat()
    return value
