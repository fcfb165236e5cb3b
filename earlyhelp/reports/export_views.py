"""The quarterly report as a file: tagged PDF, Word board paper or Excel workbook.

Each download is the same document the report page shows (publishing.document_for): a published
or superseded report as it was frozen, a draft from the data now. A draft is marked DRAFT, a
superseded version SUPERSEDED with the version that corrected it: on every page of the PDF and
the Word paper, and on the workbook's Contents sheet.
Who may download is who may read the report: the QA lead any version, partnership viewers only
published and superseded ones (a draft is not found for them).
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from earlyhelp.accounts.access import roles_required
from earlyhelp.accounts.roles import Role

from . import publishing
from .exports.docx import docx_bytes
from .exports.pdf import pdf_bytes
from .exports.wording import DRAFT, Marking, superseded
from .exports.xlsx import xlsx_bytes
from .models import QuarterlyReport

FORMATS = {
    "pdf": ("application/pdf", pdf_bytes),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        docx_bytes,
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx_bytes),
}


def marking_for(report: QuarterlyReport) -> Marking | None:
    """DRAFT for a draft, SUPERSEDED and the version that corrected it for a superseded report,
    nothing for the published version."""
    if report.status == QuarterlyReport.Status.DRAFT:
        return DRAFT
    correction = publishing.corrected_by(report)
    if correction is None:
        return None
    published_on = (
        timezone.localdate(correction.published_at).isoformat() if correction.published_at else ""
    )
    return superseded(correction.version, published_on)


def file_name(report: QuarterlyReport, extension: str) -> str:
    """early-help-qa-report-2026-Q3-v2.pdf, with -draft for a draft; two dates for a period
    that is not a quarter."""
    period = report.quarter or f"{report.period_start:%Y-%m-%d}-to-{report.period_end:%Y-%m-%d}"
    draft = "-draft" if report.status == QuarterlyReport.Status.DRAFT else ""
    return f"early-help-qa-report-{period}-v{report.version}{draft}.{extension}"


@roles_required(Role.QA_LEAD, Role.PARTNERSHIP_VIEWER)
def report_download(request, pk, extension):
    if extension not in FORMATS:
        raise Http404
    report = get_object_or_404(publishing.reports_for(request.user), pk=pk)
    content_type, render = FORMATS[extension]
    document = publishing.document_for(report)
    response = HttpResponse(render(document, marking=marking_for(report)), content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name(report, extension)}"'
    return response
