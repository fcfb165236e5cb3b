"""The voice results downloads: a CSV file and a workbook that open, hold every table of the
page, and in which text starting with =, +, - or @ cannot run as a formula."""

import csv
import io

import pytest
from openpyxl import load_workbook

from earlyhelp.accounts.models import District
from earlyhelp.accounts.roles import Role
from earlyhelp.voice import exports
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


def test_sheet_names_are_made_safe_and_unique():
    taken = set()
    assert exports._sheet_name("Feedback: by [district]?", taken) == "Feedback  by  district"
    assert exports._sheet_name("x" * 40, taken) == "x" * 31
    assert exports._sheet_name("x" * 40, taken) == "x" * 29 + " 2"
    assert exports._sheet_name("ABOUT", {"about"}) == "ABOUT 2"


def test_text_that_a_workbook_cannot_hold_is_left_out():
    assert exports._safe("a\x00b\x1fc") == "abc"
    assert exports._safe("-3 apples") == "'-3 apples"
    assert exports._safe(-3) == -3


def test_a_period_of_dates_names_the_files(client_for):
    query = {
        **{"date_from_0": "1", "date_from_1": "4", "date_from_2": "2026"},
        **{"date_to_0": "30", "date_to_1": "6", "date_to_2": "2026"},
    }
    response = client_for(Role.QA_LEAD).get("/voice/results.xlsx", query)
    assert 'filename="voice-results-2026-04-01-to-2026-06-30-' in response["Content-Disposition"]
    book = workbook(response.content)
    assert book["About"]["B2"].value == "1 April 2026 to 30 June 2026"
