import io
import os
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document as WordDocument
from openpyxl import load_workbook

from earlyhelp.reports.management.commands.build_report import Command, parse_period

from .pdf_text import pdf_info, pdf_text
from .real_quarter import submitted_quarter

pytestmark = pytest.mark.django_db


def build(*arguments):
    out = io.StringIO()
    call_command("build_report", *arguments, stdout=out)
    return out.getvalue()


@pytest.fixture
def quarter():
    return submitted_quarter()


def test_writes_the_draft_report_as_a_tagged_pdf(quarter, tmp_path):
    path = tmp_path / "report.pdf"
    said = build("--period", "2026-Q3", "--format", "pdf", "--output", str(path))
    pdf = path.read_bytes()
    assert pdf_info(pdf)["Tagged"] == "yes"
    text = pdf_text(pdf)
    assert "DRAFT" in text
    assert "2026-Q3 (July to September 2026)" in text
    assert "3 of 4" in text  # Good or better
    assert f"as a tagged PDF to {path}" in said


def test_writes_the_draft_report_as_a_word_paper(quarter, tmp_path):
    path = tmp_path / "report.docx"
    build("--period", "2026-Q3", "--format", "docx", "--output", str(path))
    word = WordDocument(str(path))
    assert "DRAFT" in word.sections[0].header.paragraphs[0].text
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    assert "Inadequate" in cells
    assert len(word.inline_shapes) >= 1


def test_writes_the_report_as_a_workbook(quarter, tmp_path):
    path = tmp_path / "report.xlsx"
    build("--period", "2026-q3", "--format", "XLSX", "--output", str(path))
    workbook = load_workbook(path)
    assert workbook.sheetnames[:2] == ["Contents", "Summary"]
    assert workbook["Contents"]["A2"].value.startswith("DRAFT")
    judgements = workbook["judgements"]
    rows = {row[0]: row for row in judgements.iter_rows(min_row=3, values_only=True)}
    assert rows["Good"][1:3] == (3, 4)
    assert rows["Inadequate"][1:3] == (1, 4)


def test_a_custom_period_is_two_dates(quarter, tmp_path):
    path = tmp_path / "custom.xlsx"
    said = build("--period", "2026-08-01..2026-08-31", "--format", "xlsx", "--output", str(path))
    contents = load_workbook(path)["Contents"]
    assert contents["B3"].value == "1 August 2026 to 31 August 2026"
    assert "1 August 2026 to 31 August 2026" in said


def test_the_file_replaces_an_older_one_whole_and_leaves_no_temporary_file(quarter, tmp_path):
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"last quarter's")
    build("--period", "2026-Q3", "--format", "xlsx", "--output", str(path))
    assert load_workbook(path).sheetnames[0] == "Contents"
    assert os.listdir(tmp_path) == ["report.xlsx"]
    assert stat.S_IMODE(path.stat().st_mode) & 0o044  # not mkstemp's owner-only 0600


def test_a_write_that_fails_leaves_the_older_file_as_it_was(quarter, tmp_path, monkeypatch):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"last quarter's")

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(CommandError, match="No space left on device") as refused:
        build("--period", "2026-Q3", "--format", "xlsx", "--output", str(path))
    assert refused.value.returncode == 2
    assert path.read_bytes() == b"last quarter's"
    assert os.listdir(tmp_path) == ["report.pdf"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--period", "2026-Q5", "--format", "pdf"], '"2026-Q5" is not a period'),
        (["--period", "Q3 2026", "--format", "pdf"], '"Q3 2026" is not a period'),
        (["--period", "2026-09-30..2026-07-01", "--format", "pdf"], "is not a period"),
        (["--period", "2026-07-01..2026-09-31", "--format", "pdf"], "is not a period"),
        (["--period", "2026-Q3", "--format", "csv"], '"csv" is not a format'),
    ],
)
def test_bad_input_exits_with_status_2_and_writes_nothing(arguments, message, tmp_path):
    path = tmp_path / "report"
    with pytest.raises(CommandError, match=message) as refused:
        build(*arguments, "--output", str(path))
    assert refused.value.returncode == 2
    assert list(tmp_path.iterdir()) == []


def test_a_path_that_cannot_be_written_exits_with_status_2(tmp_path):
    for path, reason in [
        (tmp_path / "missing" / "report.pdf", "does not exist"),
        (tmp_path, "it is a folder"),
    ]:
        with pytest.raises(CommandError, match=reason) as refused:
            build("--period", "2026-Q3", "--format", "pdf", "--output", str(path))
        assert refused.value.returncode == 2
    assert list(tmp_path.iterdir()) == []


def test_from_the_command_line_bad_input_says_why_on_stderr_and_exits_2(capsys, tmp_path):
    path = tmp_path / "report.pdf"
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(
            ["manage.py", "build_report", "--period", "2026-Q9", "--format", "pdf",
             "--output", str(path)]
        )  # fmt: skip
    assert exited.value.code == 2
    assert '"2026-Q9" is not a period' in capsys.readouterr().err
    assert not path.exists()


def test_periods_are_quarters_or_two_dates_in_order():
    assert parse_period("2026-Q3").quarter == "2026-Q3"
    assert parse_period(" 2026-07-01..2026-07-01 ").start.isoformat() == "2026-07-01"
    assert parse_period("2026-07-01..") is None
    assert parse_period("") is None
