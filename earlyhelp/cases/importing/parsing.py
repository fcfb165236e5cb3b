"""Checking one row of the data report: each cell against its column's rule, then the rules
between columns. Every problem is reported, with the column it belongs to."""

import datetime
import operator
import re
from functools import partial
from itertools import repeat

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .columns import COLUMNS, NOT_BEFORE_START, PAST_DATES

_YES = {"y", "yes", "true", "1"}
_NO = {"n", "no", "false", "0"}
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_HEADER = {column.field: column.header for column in COLUMNS}


class RowError(Exception):
    """A cell breaks its column's rule."""


# Columns whose values repeat a great deal (dates, yes/no, districts, e-mail addresses): each
# distinct text is checked once per import and remembered. A limit keeps memory flat.
_REMEMBERED_KINDS = {"date", "yesno", "count", "status", "email", "district", "agency_type"}
_REMEMBER_AT_MOST = 20_000
_ROW = operator.itemgetter(0)
_MISSING_DAY = {None: datetime.date.max}
_MISSING_START = {None: datetime.date.min}
_CLOSED_WITHOUT_DATE = "Closure Date is missing: the EHA is Closed"
_OPEN_WITH_DATE = "must be empty while the Status is Open"


def parse_date(text: str) -> datetime.date:
    match = _DMY.fullmatch(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _YMD.fullmatch(text)
        if not match:
            raise RowError(f"“{text}” is not a date: use dd/mm/yyyy, like 27/03/2026")
        year, month, day = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise RowError(f"“{text}” is not a real date") from None


def parse_yes_no(text: str) -> bool:
    lowered = text.lower()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    raise RowError(f"“{text}” is not yes or no: use Yes, No, Y, N, True, False, 1 or 0")


def parse_count(text: str, minimum: int) -> int:
    if not (text.isascii() and text.isdigit()):  # "¹" is a digit to Python, not to int()
        raise RowError(f"“{text}” is not a whole number of {minimum} or more")
    value = int(text)
    if value < minimum:
        raise RowError(f"{value} is less than {minimum}")
    return value


def parse_email(text: str) -> str:
    try:
        validate_email(text)
    except ValidationError:
        raise RowError(f"“{text}” is not a valid e-mail address") from None
    return text.lower()


def parse_status(text: str) -> str:
    lowered = text.lower()
    if lowered not in ("open", "closed"):
        raise RowError(f"“{text}” is not a status: use Open or Closed")
    return lowered


class _Outcomes(dict):
    """A column's cells as they came (spaces and all) -> their values, each distinct text
    checked once, when first met; `wrong` holds the texts that break the column's rule, with
    the reason (their value is None)."""

    def __init__(self, check):
        super().__init__()
        self.check = check
        self.wrong = {}

    def __missing__(self, text):
        value, error = self.check(text.strip())
        if error:
            self.wrong[text] = error
        self[text] = value
        return value

    def clear(self):
        super().clear()
        self.wrong.clear()


class RowParser:
    """Checks the cells of many rows at once: each column down the batch, then the rules between
    columns. Reference data (districts, agency types) is looked up in dictionaries made once per
    import, so checking a row costs no query.
    """

    def __init__(self, *, districts, agency_types, today):
        # name -> id, looked up without regard to case
        self.districts = {name.lower(): pk for name, pk in districts.items()}
        self.agency_types = {name.lower(): pk for name, pk in agency_types.items()}
        self.today = today
        self.district_names = ", ".join(sorted(districts))
        self.remembered = [
            _Outcomes(partial(self._checked, c)) if c.kind in _REMEMBERED_KINDS else None
            for c in COLUMNS
        ]

    def check(self, rows):
        """The values of many rows, by column, and their errors: ({field: [value of each row]},
        {index of a row: [(column, message)]}). Cells may still have spaces around them.

        Each column is checked down the whole batch, mostly by lookups in the remembered
        outcomes run by Python's own loops (map), which is several times faster than visiting
        every cell of every row in turn. A row's errors are in the order of the columns, then
        the rules between columns.
        """
        if not rows:
            return {column.field: [] for column in COLUMNS}, {}
        values = {}
        errors = {}  # index of a row in the batch -> [(column, message)]
        failed = {}  # field -> indexes of the rows whose cell in it is wrong
        for column, outcomes, cells in zip(
            COLUMNS, self.remembered, zip(*rows, strict=True), strict=True
        ):
            if outcomes is None:
                values[column.field] = self._free_text(column, cells, errors)
                continue
            if len(outcomes) >= _REMEMBER_AT_MOST:  # between batches, so memory stays flat
                outcomes.clear()
            # A text not met before is checked by outcomes.__missing__.
            values[column.field] = list(map(outcomes.__getitem__, cells))
            if outcomes.wrong and not outcomes.wrong.keys().isdisjoint(cells):
                wrong = failed[column.field] = set()
                for index, text in enumerate(cells):
                    message = outcomes.wrong.get(text)
                    if message:
                        errors.setdefault(index, []).append((column.header, message))
                        wrong.add(index)
        for index, error in self._between_columns(values, failed):
            errors.setdefault(index, []).append(error)
        return values, errors

    @staticmethod
    def _free_text(column, cells, errors):
        """The values of a free-text column ("" where empty): only presence and length are
        checked."""
        cells = list(map(str.strip, cells))
        if column.required and not all(cells):
            for index, text in enumerate(cells):
                if not text:
                    errors.setdefault(index, []).append(
                        (column.header, f"{column.header} is missing")
                    )
        limit = column.max_length
        if limit and max(map(len, cells)) > limit:
            for index, text in enumerate(cells):
                if len(text) > limit:
                    errors.setdefault(index, []).append(
                        (column.header, f"is longer than {limit} characters")
                    )
        return cells

    def _checked(self, column, text):
        """(value, None) for a good cell, (None, message) for a bad one."""
        if not text:
            # An empty e-mail address is kept as "", as Django keeps text that is not there.
            empty = "" if column.kind == "email" else None
            return empty, (f"{column.header} is missing" if column.required else None)
        try:
            return self._cell(column, text), None
        except RowError as error:
            return None, str(error)

    def _cell(self, column, text):
        kind = column.kind
        if kind == "date":
            return parse_date(text)
        if kind == "yesno":
            return parse_yes_no(text)
        if kind == "count":
            return parse_count(text, column.minimum)
        if kind == "status":
            return parse_status(text)
        if kind == "email":
            return parse_email(text)
        if kind == "district":
            found = self.districts.get(text.lower())
            if found is None:
                raise RowError(
                    f"“{text}” is not one of the configured districts ({self.district_names})"
                )
            return found
        if kind == "agency_type":
            found = self.agency_types.get(text.lower())
            if found is None:
                raise RowError(f"“{text}” is not one of the configured agency types")
            return found
        raise ValueError(f"{column.header} is not a column whose values are remembered")

    def _between_columns(self, values, failed):
        """[(index of a row, (column, message))] for the rules between columns, row by row in
        the order of the rules; a cell already in error is not blamed twice (its value is None).

        Each rule runs down whole columns; the usual batch, which breaks none, costs a few
        passes in Python's own loops, and only a batch that breaks a rule is visited row by
        row."""
        found = []
        today = self.today
        for field in PAST_DATES:
            dates = values[field]
            if max(filter(None, dates), default=today) > today:
                found += [
                    (index, (_HEADER[field], f"{day:%d/%m/%Y} is after today"))
                    for index, day in enumerate(dates)
                    if day and day > today
                ]
        starts = values["start_date"]
        # A missing date (None) is taken as the latest possible, a missing start as the
        # earliest, so that only two dates that are both there are compared (dict.get with the
        # value itself as the default keeps the loop in C).
        starts_or_earliest = list(map(_MISSING_START.get, starts, starts))
        for field in NOT_BEFORE_START:
            days = values[field]
            if any(map(operator.lt, map(_MISSING_DAY.get, days, days), starts_or_earliest)):
                found += [
                    (
                        index,
                        (
                            _HEADER[field],
                            f"{day:%d/%m/%Y} is before the Start Date ({start:%d/%m/%Y})",
                        ),
                    )
                    for index, (day, start) in enumerate(zip(days, starts, strict=True))
                    if day and start and day < start
                ]
        statuses, closures = values["status"], values["closure_date"]
        # The pairs (status, closure date missing) in the batch: a closed EHA without a date,
        # or an open one with a date, breaks the rule.
        pairs = set(zip(statuses, map(operator.is_, closures, repeat(None)), strict=False))
        if ("closed", True) in pairs or ("open", False) in pairs:
            closure_failed = failed.get("closure_date", ())
            for index, (status, closed_on) in enumerate(zip(statuses, closures, strict=True)):
                if status == "closed" and closed_on is None and index not in closure_failed:
                    found.append((index, ("Closure Date", _CLOSED_WITHOUT_DATE)))
                elif status == "open" and closed_on is not None:
                    found.append((index, ("Closure Date", _OPEN_WITH_DATE)))
        # Sorted by row only (stable), so each row keeps its errors in the order of the rules.
        found.sort(key=_ROW)
        return found
