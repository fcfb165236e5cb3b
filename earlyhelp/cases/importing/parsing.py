"""Checking one row of the data report: each cell against its column's rule, then the rules
between columns. Every problem is reported, with the column it belongs to."""

import datetime
import re

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
_UNSEEN = object()


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


class RowParser:
    """Turns the cells of one row into field values, or into a list of (column, message).

    Reference data (districts, agency types) is looked up in dictionaries made once per import,
    so checking a row costs no query.
    """

    def __init__(self, *, districts, agency_types, today):
        # name -> id, looked up without regard to case
        self.districts = {name.lower(): pk for name, pk in districts.items()}
        self.agency_types = {name.lower(): pk for name, pk in agency_types.items()}
        self.today = today
        self.district_names = ", ".join(sorted(districts))
        self.remembered = [{} if c.kind in _REMEMBERED_KINDS else None for c in COLUMNS]

    def parse(self, cells):
        values = {}
        errors = []
        for column, remembered, text in zip(COLUMNS, self.remembered, cells, strict=True):
            if not text:
                if column.required:
                    errors.append((column.header, f"{column.header} is missing"))
                values[column.field] = None
            elif remembered is None:  # free text: only its length is checked
                if column.max_length and len(text) > column.max_length:
                    errors.append((column.header, f"is longer than {column.max_length} characters"))
                    text = None
                values[column.field] = text
            else:
                outcome = remembered.get(text, _UNSEEN)
                if outcome is _UNSEEN:
                    if len(remembered) >= _REMEMBER_AT_MOST:
                        remembered.clear()
                    outcome = remembered[text] = self._checked(column, text)
                value, error = outcome
                values[column.field] = value
                if error:
                    errors.append((column.header, error))
        failed = {header for header, _ in errors}
        errors.extend(self._between_columns(values, failed))
        return values, errors

    def _checked(self, column, text):
        """(value, None) for a good cell, (None, message) for a bad one."""
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
        """Rules between columns; a cell already in error is not blamed twice."""
        errors = []
        start = values.get("start_date")
        for field in PAST_DATES:
            value = values.get(field)
            if value and value > self.today:
                errors.append((_HEADER[field], f"{value:%d/%m/%Y} is after today"))
        if start:
            for field in NOT_BEFORE_START:
                value = values.get(field)
                if value and value < start:
                    errors.append(
                        (
                            _HEADER[field],
                            f"{value:%d/%m/%Y} is before the Start Date ({start:%d/%m/%Y})",
                        )
                    )
        status = values.get("status")
        closure_missing = values.get("closure_date") is None and "Closure Date" not in failed
        if status == "closed" and closure_missing:
            errors.append(("Closure Date", "Closure Date is missing: the EHA is Closed"))
        if status == "open" and values.get("closure_date") is not None:
            errors.append(("Closure Date", "must be empty while the Status is Open"))
        return errors
