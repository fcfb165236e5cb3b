"""What every CSV download and workbook writes: cells that cannot run as formulas or break the
file, and sheet names Excel accepts."""

import datetime
import io

from openpyxl import Workbook, load_workbook

from earlyhelp.core.spreadsheet_safety import (
    CELL_TEXT_LIMIT,
    SHEET_NAME_LIMIT,
    neutralise,
    safe_cell,
    sheet_names,
)


def test_text_a_spreadsheet_would_run_as_a_formula_is_prefixed_with_an_apostrophe():
    for formula in ["=SUM(A1)", "+1", "-3 apples", "@cmd", "\tx", "\rx"]:
        assert safe_cell(formula) == "'" + formula
    assert safe_cell("Good or better") == "Good or better"


def test_numbers_dates_and_empty_cells_stay_as_they_are():
    day = datetime.date(2026, 11, 26)
    assert [safe_cell(v) for v in [-3, 2.5, 0, True, day, None]] == [-3, 2.5, 0, True, day, None]


def test_characters_a_workbook_cannot_hold_are_dropped():
    assert safe_cell("a\x00b\x1fc\x07") == "abc"
    assert safe_cell("line one\nline two") == "line one\nline two"


def test_a_character_dropped_from_the_start_does_not_hide_a_formula():
    assert safe_cell("\x00=SUM(A1)") == "'=SUM(A1)"


def test_text_is_cut_to_excels_cell_limit_keeping_the_apostrophe():
    assert safe_cell("x" * 40000) == "x" * CELL_TEXT_LIMIT
    cut = safe_cell("=" + "x" * 40000)
    assert len(cut) == CELL_TEXT_LIMIT
    assert cut.startswith("'=")


def test_neutralise_leaves_negative_numbers_as_numbers():
    assert neutralise(-3) == -3
    assert neutralise("-3") == "'-3"


def test_forbidden_characters_become_spaces_and_runs_of_spaces_one():
    assert sheet_names(["Feedback: by [district]?", "a/b\\c*d"]) == [
        "Feedback by district",
        "a b c d",
    ]


def test_a_long_name_is_cut_to_31_characters_and_a_repeat_numbered_within_them():
    names = sheet_names(["x" * 40, "x" * 40, "X" * 40])
    assert names == ["x" * 31, "x" * 27 + " (2)", "X" * 27 + " (3)"]
    assert all(len(name) <= SHEET_NAME_LIMIT for name in names)


def test_names_are_unique_ignoring_case_as_excel_compares_them():
    assert sheet_names(["Quotes", "QUOTES", "quotes"]) == ["Quotes", "QUOTES (2)", "quotes (3)"]


def test_a_name_taken_by_another_sheet_or_reserved_by_excel_gets_a_number():
    names = sheet_names(["contents", "History", "ABOUT"], taken=["Contents", "About"])
    assert names == ["contents (2)", "History (2)", "ABOUT (2)"]


def test_a_name_does_not_start_or_end_with_an_apostrophe():
    assert sheet_names(["'quoted'", "x" * 30 + "'y"]) == ["quoted", "x" * 30]


def test_an_empty_name_becomes_table():
    assert sheet_names(["", " ?* ", "\x00"]) == ["Table", "Table (2)", "Table (3)"]


def test_the_names_given_are_not_changed():
    taken = {"About"}
    sheet_names(["About"], taken=taken)
    assert taken == {"About"}


def test_excel_accepts_every_name_made():
    wanted = ["Feedback: by [district]?", "'x'" * 20, "history", "", "Quotes", "quotes", "a\x00b"]
    workbook = Workbook()
    for name in sheet_names(wanted, taken=[workbook.active.title]):
        workbook.create_sheet(name)
    out = io.BytesIO()
    workbook.save(out)
    assert len(load_workbook(out).sheetnames) == len(wanted) + 1
