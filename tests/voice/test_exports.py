"""The voice results downloads: a CSV file and a workbook that open, hold every table of the
page, and in which text starting with =, +, - or @ cannot run as a formula."""

import csv
import io

import pytest
from openpyxl import load_workbook

from earlyhelp.accounts.models import District
from earlyhelp.accounts.roles import Role
from earlyhelp.core.spreadsheet_safety import sheet_names
from earlyhelp.voice.results import parse_quarter, voice_results

from .factories import FeedbackResponseFactory, QuoteFactory

pytestmark = pytest.mark.django_db

FORMULAS = ["=1+1", "+x", "-x", "@x"]
QUERY = {"quarter": "2026-Q3"}


@pytest.fixture
def dangerous_results():
    """Six responses in a district whose name is a formula, with a publishable quote of each
    formula."""
    place = District.objects.create(name='=HYPERLINK("http://evil.example")')
    responses = FeedbackResponseFactory.create_batch(
        6,
        invitation__assessment__district=place,
        answers={"difference-score": "7", "listened-to": "Agree"},
    )
    for response, text in zip(responses, FORMULAS, strict=False):
        QuoteFactory(response=response, moderated_text=text)
    return responses


def csv_rows(body: bytes):
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def workbook(body: bytes):
    return load_workbook(io.BytesIO(body))


def all_cells(book):
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("role", [Role.QA_LEAD, Role.PARTNERSHIP_VIEWER])
def test_the_csv_opens_and_holds_the_figures(client_for, dangerous_results, role):
    response = client_for(role).get("/voice/results.csv", QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="voice-results-2026-Q3-'
    )
    rows = csv_rows(response.content)
    assert rows[0] == ["Early Help voice results"]
    assert rows[1] == ["Period", "2026-Q3 (July to September 2026)"]
    assert ["Invitations sent", "6"] in rows
    assert ["Agree", "6", "100"] in rows
    assert ["Average (mean)", "7"] in rows


def test_the_csv_neutralises_formulas_in_quotes_and_labels(client_for, dangerous_results):
    rows = csv_rows(client_for(Role.PARTNERSHIP_VIEWER).get("/voice/results.csv", QUERY).content)
    cells = [cell for row in rows for cell in row]
    for formula in FORMULAS:
        assert formula not in cells
        assert f"'{formula}" in cells
    assert '\'=HYPERLINK("http://evil.example")' in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]


@pytest.mark.parametrize("role", [Role.QA_LEAD, Role.PARTNERSHIP_VIEWER])
def test_the_workbook_opens_with_every_table_on_its_own_sheet(client_for, dangerous_results, role):
    response = client_for(role).get("/voice/results.xlsx", QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = workbook(response.content)
    results = voice_results(parse_quarter("2026-Q3"))
    tables = list(results.tables())
    assert len(book.sheetnames) == len(tables) + 1
    assert book.sheetnames[0] == "About"
    assert [sheet["A1"].value for sheet in book.worksheets[1:]] == [t.title for t in tables]
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert "Feedback quotes" in book.sheetnames
    summary = book["Feedback summary"]
    assert [summary.cell(row=n, column=1).value for n in range(1, 7)][3:] == [
        "Invitations sent",
        "Responses",
        "Response rate (per cent)",
    ]
    assert summary["B4"].value == 6  # a number, not text


def test_the_workbook_neutralises_formulas(client_for, dangerous_results):
    book = workbook(client_for(Role.PARTNERSHIP_VIEWER).get("/voice/results.xlsx", QUERY).content)
    cells = all_cells(book)
    assert not [cell for cell in cells if cell.data_type == "f"]
    values = [cell.value for cell in cells if isinstance(cell.value, str)]
    for formula in FORMULAS:
        assert formula not in values
        assert f"'{formula}" in values
    assert not [value for value in values if value[:1] in ("=", "+", "-", "@")]


def test_each_table_sheet_is_named_by_the_shared_sheet_rules(client_for, dangerous_results):
    # The rules themselves (length, characters, case, reserved names) are proved in
    # tests/core/test_spreadsheet_safety.py; here the workbook uses them, after the About sheet.
    book = workbook(client_for(Role.PARTNERSHIP_VIEWER).get("/voice/results.xlsx", QUERY).content)
    tables = list(voice_results(parse_quarter("2026-Q3")).tables())
    assert book.sheetnames[1:] == sheet_names([t.sheet for t in tables], taken=["About"])
    about_listing = [row[0] for row in book["About"].iter_rows(min_row=5, values_only=True)]
    assert about_listing == book.sheetnames[1:]


def test_text_that_a_workbook_cannot_hold_is_left_out_of_the_downloads(client_for):
    place = District.objects.create(name="Bell\x07 district")
    FeedbackResponseFactory.create_batch(
        6,
        invitation__assessment__district=place,
        answers={"difference-score": "7", "listened-to": "Agree"},
    )
    client = client_for(Role.PARTNERSHIP_VIEWER)
    book = workbook(client.get("/voice/results.xlsx", QUERY).content)
    values = [cell.value for cell in all_cells(book) if isinstance(cell.value, str)]
    assert "Bell district" in values
    text = client.get("/voice/results.csv", QUERY).content.decode("utf-8")
    assert "Bell district" in text
    assert "\x07" not in text


def test_a_period_of_dates_names_the_files(client_for):
    query = {
        **{"date_from_0": "1", "date_from_1": "4", "date_from_2": "2026"},
        **{"date_to_0": "30", "date_to_1": "6", "date_to_2": "2026"},
    }
    response = client_for(Role.QA_LEAD).get("/voice/results.xlsx", query)
    assert 'filename="voice-results-2026-04-01-to-2026-06-30-' in response["Content-Disposition"]
    book = workbook(response.content)
    assert book["About"]["B2"].value == "1 April 2026 to 30 June 2026"
