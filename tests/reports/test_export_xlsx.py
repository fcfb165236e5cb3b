import io

import pytest
from openpyxl import load_workbook

from earlyhelp.reports.document import Document, Section, Table
from earlyhelp.reports.exports.wording import DRAFT_NOTICE, superseded
from earlyhelp.reports.exports.xlsx import xlsx_bytes

from .export_sample import COMPLIANCE, sample_document


@pytest.fixture(scope="module")
def document():
    return sample_document()


@pytest.fixture(scope="module")
def workbook(document):
    return load_workbook(io.BytesIO(xlsx_bytes(document)))


def _rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _sheet_for(workbook, table):
    """The sheet whose first cell is the table's caption."""
    return next(s for s in workbook.worksheets if s["A1"].value == table.caption)


def test_the_first_sheet_is_the_contents_with_title_period_and_date(workbook, document):
    contents = workbook.worksheets[0]
    assert contents.title == "Contents"
    rows = _rows(contents)
    assert rows[0][0] == document.title
    assert rows[1][:2] == ["Period", document.period_label]
    assert rows[2][:2] == ["Generated", "5 October 2026"]


def test_a_published_workbook_carries_no_marking(workbook):
    assert not any("DRAFT" in str(v) or "SUPERSEDED" in str(v) for v in _values(workbook))


def test_a_draft_workbook_says_draft_on_its_contents_sheet_under_the_title(document):
    contents = load_workbook(io.BytesIO(xlsx_bytes(document, draft=True)))["Contents"]
    rows = _rows(contents)
    assert rows[1][:2] == ["DRAFT: not yet published", DRAFT_NOTICE]
    assert contents["A2"].font.bold
    assert rows[2][:2] == ["Period", document.period_label]


def test_a_superseded_workbook_says_which_version_corrected_it(document):
    marking = superseded(2, "2026-11-03")
    workbook = load_workbook(io.BytesIO(xlsx_bytes(document, marking=marking)))
    rows = _rows(workbook["Contents"])
    assert rows[1][0] == "SUPERSEDED: corrected by version 2"
    assert "published on 3 November 2026" in rows[1][1]
    # The contents' list of sheets still links each sheet after the extra row.
    links = [c.hyperlink.location for c in workbook["Contents"]["A"] if c.hyperlink]
    assert len(links) == len(workbook.sheetnames) - 1


def _values(workbook):
    return [v for sheet in workbook.worksheets for row in _rows(sheet) for v in row if v]


def test_the_contents_lists_every_table_sheet_with_its_caption(workbook, document):
    listed = {row[0]: row[1] for row in _rows(workbook["Contents"])[5:]}
    for table in document.all_tables():
        sheet = _sheet_for(workbook, table)
        assert listed[sheet.title] == table.caption


def test_each_sheet_in_the_contents_links_to_that_sheet(workbook):
    names = [cell.value for cell in workbook["Contents"]["A"][5:]]
    links = [cell.hyperlink.location for cell in workbook["Contents"]["A"][5:]]
    assert names == workbook.sheetnames[1:]
    assert links == [f"'{name}'!A1" for name in names]


def test_every_table_has_its_own_sheet_with_caption_headers_rows_and_notes(workbook, document):
    for table in document.all_tables():
        sheet = _sheet_for(workbook, table)
        rows = _rows(sheet)
        assert rows[1][: len(table.columns)] == table.columns
        assert all(cell.font.bold for cell in sheet[2][: len(table.columns)])
        body = [row[: len(table.columns)] for row in rows[2 : 2 + len(table.rows)]]
        expected = [
            [("'" + v if isinstance(v, str) and v[:1] in "=@" else v) for v in row]
            for row in table.rows
        ]
        assert body == expected
        written = [row[0] for row in rows[2 + len(table.rows) :] if row[0]]
        assert written == table.notes


def test_numbers_stay_numbers(workbook):
    sheet = _sheet_for(workbook, COMPLIANCE)
    met, rated, compliance = (cell.value for cell in sheet[3][1:4])
    assert (met, rated, compliance) == (19, 24, 79.2)
    assert sheet[3][1].data_type == "n"
    assert sheet[3][3].data_type == "n"


def test_text_shaped_like_a_formula_is_written_as_text(workbook):
    sheet = _sheet_for(workbook, COMPLIANCE)
    labels = [row[0] for row in _rows(sheet)]
    assert "'=SUM(A1)" in labels
    assert "'@cmd" in labels
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_sheet_names_are_unique_short_and_use_only_characters_excel_allows(workbook, document):
    names = [sheet.title for sheet in workbook.worksheets]
    assert len({name.lower() for name in names}) == len(names)
    assert all(len(name) <= 31 for name in names)
    assert not any(set(name) & set("[]:*?/\\") for name in names)
    assert len(names) == len(document.all_tables()) + 2  # the Contents and the Summary


def test_the_summary_holds_every_section_title_and_sentence(workbook, document):
    written = [row[0] for row in _rows(workbook["Summary"])]
    for section in document.sections:
        assert section.title in written
        for paragraph in section.paragraphs:
            assert paragraph in written


def test_a_table_named_like_a_reserved_sheet_gets_a_name_of_its_own():
    # The naming rules are proved in tests/core/test_spreadsheet_safety.py; here the Contents
    # and Summary sheets keep their names and each table still gets a sheet.
    keys = ["contents", "Summary", "History", "x" * 40, "x" * 40, ""]
    tables = [
        Table(key=key, caption=f"Table {n}", columns=["A"], rows=[]) for n, key in enumerate(keys)
    ]
    document = Document(
        title="T",
        period_label="P",
        generated_on="2026-10-05",
        sections=[Section(key="s", title="S", tables=tables)],
    )
    names = load_workbook(io.BytesIO(xlsx_bytes(document))).sheetnames
    assert names == [
        "Contents",
        "Summary",
        "contents (2)",
        "Summary (2)",
        "History (2)",
        "x" * 31,
        "x" * 27 + " (2)",
        "Table",
    ]


def test_characters_a_workbook_cannot_hold_are_dropped():
    document = sample_document()
    document.sections[0].paragraphs = ["Bell\x07 rings"]
    workbook = load_workbook(io.BytesIO(xlsx_bytes(document)))
    assert "Bell rings" in [row[0] for row in _rows(workbook["Summary"])]
