"""Downloading a quarterly report: the same document as its page, as a PDF, a Word paper or a
workbook. A draft is the QA lead's and says DRAFT; partnership viewers download published
reports only; everyone else is refused."""

import io

import pytest
from django.urls import reverse
from docx import Document as WordDocument
from openpyxl import load_workbook

from earlyhelp.accounts.roles import Role
from earlyhelp.reports import publishing

from ..factories import UserFactory
from .pdf_text import pdf_text
from .test_figures import Q3, completed

pytestmark = pytest.mark.django_db


@pytest.fixture
def qa_lead():
    return UserFactory(roles=(Role.QA_LEAD,))


@pytest.fixture
def viewer():
    return UserFactory(roles=(Role.PARTNERSHIP_VIEWER,))


@pytest.fixture
def draft(qa_lead):
    completed(judged="Good")
    completed(judged="Inadequate")
    return publishing.start_report(Q3, qa_lead)


@pytest.fixture
def published(qa_lead, draft):
    return publishing.publish(draft, qa_lead)


def download(client, user, report, extension):
    client.force_login(user)
    return client.get(reverse("report-download", args=[report.pk, extension]))


def test_the_qa_lead_downloads_a_draft_pdf_marked_draft_on_its_pages(client, qa_lead, draft):
    response = download(client, qa_lead, draft, "pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="early-help-qa-report-2026-Q3-v1-draft.pdf"'
    )
    text = pdf_text(response.content)
    assert "DRAFT" in text
    assert "Judgements" in text


def test_a_partnership_viewer_downloads_a_published_report_in_each_format(
    client, viewer, published
):
    pdf = download(client, viewer, published, "pdf")
    assert pdf.status_code == 200
    assert "DRAFT" not in pdf_text(pdf.content)
    assert pdf["Content-Disposition"].endswith('early-help-qa-report-2026-Q3-v1.pdf"')

    word = download(client, viewer, published, "docx")
    headings = [
        p.text
        for p in WordDocument(io.BytesIO(word.content)).paragraphs
        if p.style.name == "Heading 1"
    ]
    assert "Judgements" in headings

    workbook = load_workbook(io.BytesIO(download(client, viewer, published, "xlsx").content))
    assert "Contents" in workbook.sheetnames
    assert len(workbook.sheetnames) > 5


def test_the_published_download_is_the_frozen_document_not_todays_data(client, viewer, published):
    before = pdf_text(download(client, viewer, published, "pdf").content)
    completed(judged="Good")
    after = pdf_text(download(client, viewer, published, "pdf").content)
    assert after == before


def test_a_partnership_viewer_cannot_download_a_draft(client, viewer, draft):
    assert download(client, viewer, draft, "pdf").status_code == 404


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.COORDINATOR, Role.DATA_OFFICER])
def test_other_roles_are_refused(client, role, published):
    assert download(client, UserFactory(roles=(role,)), published, "pdf").status_code == 403


def test_an_unknown_format_is_not_found(client, qa_lead, draft):
    assert download(client, qa_lead, draft, "odt").status_code == 404
