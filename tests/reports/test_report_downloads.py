"""Downloading a quarterly report: the same document as its page, as a PDF, a Word paper or a
workbook. A draft is the QA lead's and says DRAFT; a superseded version says SUPERSEDED and which
version corrected it, when and why; partnership viewers download published and superseded
reports only; everyone else is refused."""

import io

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from docx import Document as WordDocument
from openpyxl import load_workbook

from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Escalation
from earlyhelp.reports import publishing

from ..factories import UserFactory
from .pdf_text import pdf_pages, pdf_text
from .test_figures import IN_Q3, Q3, completed, moment

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
    publishing.save_narrative(
        draft,
        working_well="Plans are clear.",
        needs_to_improve="Chronologies.",
        key_themes="",
        recommendations=[],
        by=qa_lead,
    )
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


def test_the_draft_workbook_is_marked_draft_on_its_contents_sheet(client, qa_lead, draft):
    workbook = load_workbook(io.BytesIO(download(client, qa_lead, draft, "xlsx").content))
    assert workbook["Contents"]["A2"].value == "DRAFT: not yet published"


@pytest.fixture
def superseded(qa_lead, published):
    correction = publishing.correct(published, "Two audits were entered late", qa_lead)
    correction = publishing.publish(correction, qa_lead)
    published.refresh_from_db()
    return published, correction


def test_every_download_of_a_superseded_version_says_it_was_corrected(client, viewer, superseded):
    old, correction = superseded
    marking = "SUPERSEDED: corrected by version 2"
    day = timezone.localdate(correction.published_at)
    why = (
        f"This version has been corrected by version 2, published on {day.day} {day:%B %Y}. "
        "Why it was corrected: Two audits were entered late"
    )

    pages = pdf_pages(download(client, viewer, old, "pdf").content)
    assert all(marking in page for page in pages)
    assert why in pages[0]

    word = WordDocument(io.BytesIO(download(client, viewer, old, "docx").content))
    assert all(section.header.paragraphs[0].text == marking for section in word.sections)
    paragraphs = [p.text for p in word.paragraphs]
    # The reason opens the first section, straight after its heading.
    assert paragraphs[paragraphs.index("Summary") + 1] == why

    workbook = load_workbook(io.BytesIO(download(client, viewer, old, "xlsx").content))
    assert workbook["Contents"]["A2"].value == marking
    assert workbook["Summary"]["A4"].value == why


def test_the_current_version_downloads_carry_no_marking(client, viewer, superseded):
    _old, correction = superseded
    text = pdf_text(download(client, viewer, correction, "pdf").content)
    assert "SUPERSEDED" not in text
    assert "DRAFT" not in text
    workbook = load_workbook(io.BytesIO(download(client, viewer, correction, "xlsx").content))
    assert workbook["Contents"]["A2"].value == "Period"


def an_escalation_not_yet_acknowledged(qa_lead):
    escalation = Escalation.objects.create(
        audit=completed(judged="Inadequate"),
        inadequate=True,
        unresolved_safeguarding=False,
        told_how=Escalation.ToldHow.NONE,
        created_by=qa_lead,
    )
    Escalation.objects.filter(pk=escalation.pk).update(created_at=moment(IN_Q3))


def test_medians_of_no_acknowledgements_say_so_on_the_page_and_in_the_workbook(
    client, qa_lead, draft
):
    an_escalation_not_yet_acknowledged(qa_lead)
    client.force_login(qa_lead)
    page = BeautifulSoup(
        client.get(reverse("report-detail", args=[draft.pk])).content, "html.parser"
    )
    rows = {
        " ".join(tr.th.get_text().split()): " ".join(tr.td.get_text().split())
        for tr in page.select("#table-escalations tbody tr")
    }
    assert rows["Median working days to acknowledgement"] == "None acknowledged"
    assert rows["Median calendar days to acknowledgement"] == "None acknowledged"

    workbook = load_workbook(io.BytesIO(download(client, qa_lead, draft, "xlsx").content))
    sheet = next(s for s in workbook.worksheets if str(s["A1"].value).startswith("Escalations"))
    cells = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert cells["Escalations raised"] == 1
    assert cells["Median working days to acknowledgement"] == "None acknowledged"
    assert cells["Median calendar days to acknowledgement"] == "None acknowledged"
