"""The data officer's web journey: upload, preview, confirm, import, history."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from earlyhelp.accounts.roles import Role
from earlyhelp.cases import services
from earlyhelp.cases.models import DataImport, EarlyHelpAssessment

from .import_files import csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def run_tasks_on_commit(django_capture_on_commit_callbacks):
    # Tasks are queued when the request's transaction commits; the test's own transaction never
    # commits, so run the queued work at the end of each block as a real commit would.
    def post(client, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(*args, **kwargs)

    return post


@pytest.fixture
def officer(client_for, run_tasks_on_commit):
    client = client_for(Role.DATA_OFFICER)
    client.post_and_commit = lambda *a, **k: run_tasks_on_commit(client, *a, **k)
    return client


def upload(client, content, name="report.csv"):
    post = getattr(client, "post_and_commit", client.post)
    return post("/imports/upload/", {"report": SimpleUploadedFile(name, content)})


def test_upload_checks_the_file_and_shows_a_preview_without_importing(officer):
    rows = [row(), row(EHA_Reference="EHA-2", District="Kendal")]
    response = upload(officer, csv_bytes(rows), name="march.csv")
    data_import = DataImport.objects.get()
    assert response["Location"] == f"/imports/{data_import.pk}/"
    assert data_import.status == DataImport.Status.CHECKED
    assert (data_import.rows, data_import.created, data_import.rejected) == (2, 1, 1)
    assert EarlyHelpAssessment.objects.count() == 0
    page = officer.get(response["Location"]).content.decode()
    assert "Check the import before you confirm it" in page
    assert "is not one of the configured districts" in page


def test_confirming_imports_and_records_who_when_and_the_counts(officer):
    upload(officer, csv_bytes([row(), row(EHA_Reference="EHA-2")]))
    data_import = DataImport.objects.get()
    response = officer.post_and_commit(f"/imports/{data_import.pk}/confirm/")
    assert response["Location"] == f"/imports/{data_import.pk}/"
    data_import.refresh_from_db()
    assert data_import.status == DataImport.Status.COMPLETED
    assert data_import.confirmed_by == data_import.uploaded_by
    assert data_import.created == 2
    assert EarlyHelpAssessment.objects.count() == 2
    page = officer.get(f"/imports/{data_import.pk}/").content.decode()
    assert "Import complete" in page


def test_confirming_twice_does_not_import_twice(officer):
    upload(officer, csv_bytes([row()]))
    data_import = DataImport.objects.get()
    officer.post_and_commit(f"/imports/{data_import.pk}/confirm/")
    response = officer.post_and_commit(f"/imports/{data_import.pk}/confirm/", follow=True)
    assert "not waiting to be confirmed" in response.content.decode()
    assert EarlyHelpAssessment.objects.count() == 1


def test_cancelling_imports_nothing(officer):
    upload(officer, csv_bytes([row()]))
    data_import = DataImport.objects.get()
    officer.post(f"/imports/{data_import.pk}/cancel/")
    data_import.refresh_from_db()
    assert data_import.status == DataImport.Status.CANCELLED
    assert officer.post_and_commit(f"/imports/{data_import.pk}/confirm/").status_code == 302
    assert EarlyHelpAssessment.objects.count() == 0


def test_confirm_and_cancel_only_accept_post(officer):
    upload(officer, csv_bytes([row()]))
    pk = DataImport.objects.get().pk
    assert officer.get(f"/imports/{pk}/confirm/").status_code == 405
    assert officer.get(f"/imports/{pk}/cancel/").status_code == 405


def test_an_excel_report_goes_through_the_same_journey(officer):
    upload(officer, xlsx_bytes([row()]), name="march.xlsx")
    data_import = DataImport.objects.get()
    assert data_import.status == DataImport.Status.CHECKED
    assert data_import.created == 1


def test_a_refused_file_says_why_and_imports_nothing(officer):
    upload(officer, b"name,age\nJo,3\n")
    data_import = DataImport.objects.get()
    assert data_import.status == DataImport.Status.REFUSED
    page = officer.get(f"/imports/{data_import.pk}/").content.decode()
    assert "The file could not be imported" in page
    assert "missing required columns" in page
    assert officer.post_and_commit(f"/imports/{data_import.pk}/confirm/").status_code == 302
    assert EarlyHelpAssessment.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"%PDF-1.4", "must be a CSV or an Excel (.xlsx) file"),
        ("report.csv", b"", "The selected file is empty"),
    ],
)
def test_upload_form_refuses_the_wrong_kind_of_file(officer, name, content, message):
    response = upload(officer, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert DataImport.objects.count() == 0


def test_upload_without_a_file(officer):
    response = officer.post("/imports/upload/", {})
    assert "Select a data report to upload" in response.content.decode()


def test_a_file_over_the_size_limit_is_refused_with_the_limit(officer, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    response = upload(officer, b"x" * (1024 * 1024 + 1))
    assert "must be smaller than 1 MB" in response.content.decode()
    assert DataImport.objects.count() == 0


def test_errors_download_lists_every_reason_and_defuses_formulas(officer):
    rows = [row(EHA_Reference=f"EHA-{n}", District="=HYPERLINK(1)") for n in range(400)]
    upload(officer, csv_bytes(rows))
    data_import = DataImport.objects.get()
    response = officer.get(f"/imports/{data_import.pk}/errors.csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="import-{data_import.pk}-errors.csv"'
    )
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == ["Row", "Column", "Message"]
    assert len(lines) == 401
    assert lines[1][:2] == ["2", "District"]
    assert lines[1][2].startswith("“=HYPERLINK(1)”")
    # The preview shows the first 300 and says so.
    page = officer.get(f"/imports/{data_import.pk}/").content.decode()
    assert page.count('<td class="govuk-table__cell govuk-table__cell--numeric">') == 300
    assert "The first 300 are shown here" in page


def test_history_lists_imports_with_who_when_file_and_digest(officer):
    upload(officer, csv_bytes([row()]), name="first.csv")
    page = officer.get("/imports/").content.decode()
    data_import = DataImport.objects.get()
    assert "first.csv" in page
    assert data_import.sha256[:14] in page
    assert data_import.uploaded_by.full_name in page


def test_history_is_empty_before_any_import(officer):
    assert "No data report has been imported yet" in officer.get("/imports/").content.decode()


def test_progress_reports_rows_done_from_the_cache(officer):
    upload(officer, csv_bytes([row()]))
    data_import = DataImport.objects.get()
    services._progress_reporter(data_import.pk)(1500)
    progress = officer.get(f"/imports/{data_import.pk}/progress.json").json()
    assert progress["rows_done"] == 1500
    assert progress["status"] == "checked"


def test_a_failed_import_is_recorded_and_nothing_is_half_written(officer, monkeypatch):
    upload(officer, csv_bytes([row(), row(EHA_Reference="EHA-2")]))
    data_import = DataImport.objects.get()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    # Fail after every row has been written inside the import's transaction.
    monkeypatch.setattr(services, "_store_summary", broken)
    officer.post_and_commit(f"/imports/{data_import.pk}/confirm/")
    data_import.refresh_from_db()
    assert data_import.status == DataImport.Status.FAILED
    assert "Nothing was imported" in data_import.refusal_reason
    assert EarlyHelpAssessment.objects.count() == 0


@pytest.mark.parametrize("role", [r for r in Role if r != Role.DATA_OFFICER])
def test_only_data_officers_may_import(client_for, role):
    client = client_for(role)
    assert client.get("/imports/").status_code == 403
    assert upload(client, csv_bytes([row()])).status_code == 403
    assert DataImport.objects.count() == 0


def test_a_preview_made_before_another_import_finished_is_checked_again_not_imported(officer):
    upload(officer, csv_bytes([row(Status="Open")]), name="older.csv")
    older = DataImport.objects.get()
    upload(officer, csv_bytes([row(Status="Closed", Closure_Date="01/06/2025")]), name="newer.csv")
    newer = DataImport.objects.exclude(pk=older.pk).get()
    officer.post_and_commit(f"/imports/{newer.pk}/confirm/")
    assert EarlyHelpAssessment.objects.get().status == "closed"

    response = officer.post_and_commit(f"/imports/{older.pk}/confirm/", follow=True)
    assert "Another import finished after this file was checked" in response.content.decode()
    older.refresh_from_db()
    assert older.status == DataImport.Status.CHECKED  # checked again, waiting to be confirmed
    assert older.updated == 1  # the new preview says what it would now change
    assert EarlyHelpAssessment.objects.get().status == "closed"  # nothing imported yet


def test_history_is_paged_with_the_gov_uk_pagination(officer):
    for number in range(26):
        DataImport.objects.create(file_name=f"f{number}.csv", sha256="0" * 64, size_bytes=1)
    first = officer.get("/imports/").content.decode()
    assert 'aria-label="Page 2"' in first
    second = officer.get("/imports/?page=2").content.decode()
    assert second.count('<a class="govuk-link" href="/imports/') == 1  # 26th import only


def test_the_progress_pages_read_nothing_a_bulk_load_locks(officer):
    # On PostgreSQL a bulk load locks the EHA, family and reference data tables until it
    # commits (writing.set_aside_indexes); the pages that show its progress must not wait.
    upload(officer, csv_bytes([row()]))
    data_import = DataImport.objects.get()
    locked = ["cases_earlyhelpassessment", "cases_family", "accounts_district"]
    locked += ["accounts_agency", "accounts_agencytype"]
    for url in (f"/imports/{data_import.pk}/", f"/imports/{data_import.pk}/progress.json"):
        with CaptureQueriesContext(connection) as queries:
            assert officer.get(url).status_code == 200
        read = " ".join(query["sql"] for query in queries.captured_queries)
        assert "accounts_user" in read, "the page was not read as a signed-in person"
        assert [table for table in locked if f'"{table}"' in read] == [], url
