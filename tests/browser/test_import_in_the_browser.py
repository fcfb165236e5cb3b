"""A data officer imports a data report in the browser: upload → preview → confirm → progress →
history, with the real task queue and worker, and axe on every page."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from earlyhelp.accounts.models import District
from earlyhelp.accounts.roles import Role
from earlyhelp.cases.models import EarlyHelpAssessment

from ..cases.import_files import csv_bytes, row

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queued_tasks(settings):
    """The database queue that production uses, worked by `db_worker --batch` when the test says."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def work():
        call_command("db_worker", batch=True, verbosity=0)

    return work


def test_upload_preview_confirm_progress_and_history(
    make_user, sign_in, live_server, assert_accessible, queued_tasks, tmp_path
):
    District.objects.get_or_create(name="Carlisle")
    report = tmp_path / "march.csv"
    report.write_bytes(csv_bytes([row(), row(EHA_Reference="EHA-2", District="Kendal")]))
    page = sign_in(make_user(Role.DATA_OFFICER))

    page.get_by_role("link", name="Imports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Imports")
    assert_accessible(page)
    page.get_by_role("link", name="Upload a data report").click()
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a data report to upload")
    assert_accessible(page)

    page.get_by_label("Data report").set_input_files(str(report))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checking your file")
    assert_accessible(page)

    queued_tasks()
    page.get_by_role("link", name="Check progress").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the import before you confirm it"
    )
    expect(page.get_by_text("is not one of the configured districts")).to_be_visible()
    assert EarlyHelpAssessment.objects.count() == 0
    assert_accessible(page)

    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importing your file")
    expect(page.locator("progress")).to_have_attribute("max", "2")
    assert_accessible(page)

    queued_tasks()
    page.get_by_role("link", name="Check progress").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import complete")
    assert EarlyHelpAssessment.objects.count() == 1
    assert_accessible(page)

    page.get_by_role("link", name="Back to imports").click()
    history = page.locator("table")
    expect(history).to_contain_text("march.csv")
    expect(history).to_contain_text("Imported")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("rejected rows?: download the reasons")).click()
    assert download.value.suggested_filename.endswith("-errors.csv")


def test_the_progress_bar_moves_by_itself_with_javascript(
    make_user, sign_in, live_server, queued_tasks, tmp_path
):
    District.objects.get_or_create(name="Carlisle")
    report = tmp_path / "march.csv"
    report.write_bytes(csv_bytes([row()]))
    page = sign_in(make_user(Role.DATA_OFFICER))
    page.goto(f"{live_server.url}/imports/upload/")
    page.get_by_label("Data report").set_input_files(str(report))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checking your file")
    queued_tasks()
    # No click: the page's script notices the check has finished and shows the preview.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the import before you confirm it", timeout=10_000
    )
