"""Text that came from outside must not run as a formula, or break the file, when a CSV or
workbook is opened; and a workbook's sheets need names that Excel accepts.

`safe_cell` is for every value written to a CSV download or a workbook; `sheet_names` for the
sheets of a workbook made from tables whose names come from data or code.
"""

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CELL_TEXT_LIMIT = 32767  # Excel's: a longer text makes Excel "repair" the file
SHEET_NAME_LIMIT = 31  # Excel's
# Excel refuses these in a sheet name (and a name that starts or ends with an apostrophe).
_NOT_IN_SHEET_NAMES = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
# Excel keeps "History" for its change tracking.
RESERVED_SHEET_NAMES = frozenset({"history"})
UNNAMED_SHEET = "Table"


def neutralise(value):
    """Prefixes text that a spreadsheet would read as a formula with an apostrophe.

    Numbers are left alone: -3 is a number, not a formula, and stays one.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def safe_cell(value):
    """A cell value that cannot run as a formula or break the file: characters a workbook cannot
    hold are dropped, formula text is neutralised, and text is cut to Excel's 32,767 characters
    (the apostrophe that neutralises it kept). Numbers, dates and None stay as they are."""
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))[:CELL_TEXT_LIMIT]
    return value


def sheet_names(wanted: list[str], taken=()) -> list[str]:
    """A sheet name for each wanted name, in order, that Excel accepts: at most 31 characters,
    none that Excel forbids, not starting or ending with an apostrophe, and none the same as
    another, as one in `taken` (the workbook's other sheets) or as a reserved name, ignoring case
    as Excel does. A name already used gets a number: "Feedback (2)"."""
    taken = {name.lower() for name in taken} | RESERVED_SHEET_NAMES
    names = []
    for name in wanted:
        cleaned = ILLEGAL_CHARACTERS_RE.sub("", name).translate(_NOT_IN_SHEET_NAMES)
        base = _trimmed(" ".join(cleaned.split()), SHEET_NAME_LIMIT) or UNNAMED_SHEET
        candidate, number = base, 2
        while candidate.lower() in taken:
            suffix = f" ({number})"
            candidate = base[: SHEET_NAME_LIMIT - len(suffix)].rstrip() + suffix
            number += 1
        taken.add(candidate.lower())
        names.append(candidate)
    return names


def _trimmed(name: str, limit: int) -> str:
    return name.strip("' ")[:limit].rstrip("' ")
