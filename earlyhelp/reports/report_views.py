"""The quarterly report's pages: the list, starting a report, the report itself, writing its
narrative, publishing it and correcting it.

The QA lead does everything here; partnership viewers read published and superseded reports,
and a draft is not found for them. Every change is made by `publishing` (the services), which
checks the person and the report's status again. No page shows child-level data: the report is
a Document of figures (figures.py) and the QA lead's words.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from earlyhelp.accounts.access import roles_required
from earlyhelp.accounts.roles import Role

from . import publishing
from .exports.wording import long_date
from .models import QuarterlyReport
from .report_forms import CorrectionForm, NarrativeForm, NewReportForm

readers = roles_required(Role.QA_LEAD, Role.PARTNERSHIP_VIEWER)
qa_lead = roles_required(Role.QA_LEAD)

S = QuarterlyReport.Status


def _report(request, pk) -> QuarterlyReport:
    """The report if this person may read it: a draft is the QA lead's alone."""
    report = get_object_or_404(
        QuarterlyReport.objects.select_related("published_by", "corrects"), pk=pk
    )
    if report.status == S.DRAFT and not publishing.may_manage(request.user):
        raise Http404
    return report


@readers
def report_list(request):
    reports = list(publishing.reports_for(request.user))
    return render(
        request,
        "reports/report/list.html",
        {"reports": reports, "may_manage": publishing.may_manage(request.user)},
    )


@qa_lead
@require_http_methods(["GET", "POST"])
def report_new(request):
    form = NewReportForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            report = publishing.start_report(form.period(), request.user)
        except publishing.ReportRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("report-detail", pk=report.pk)
    return render(request, "reports/report/new.html", {"form": form})


@readers
def report_detail(request, pk):
    report = _report(request, pk)
    newer = corrected_by = None
    if report.status == S.SUPERSEDED:
        corrected_by = publishing.corrected_by(report)
        newer = (
            QuarterlyReport.objects.filter(
                period_start=report.period_start,
                period_end=report.period_end,
                status=S.PUBLISHED,
            )
            .only("pk", "version")
            .first()
        )
    may_manage = publishing.may_manage(request.user)
    correction = None
    if may_manage and report.status == S.PUBLISHED:
        correction = QuarterlyReport.objects.filter(corrects=report, status=S.DRAFT).first()
    document = publishing.document_for(report)
    return render(
        request,
        "reports/report/detail.html",
        {
            "report": report,
            "document": document,
            "generated_on": long_date(document.generated_on),
            "newer": newer,
            "corrected_by": corrected_by,
            "correction": correction,
            "may_manage": may_manage,
        },
    )


def _draft_or_back(request, report):
    if report.status != S.DRAFT:
        messages.error(request, "This report has been published and cannot be changed")
        return redirect("report-detail", pk=report.pk)
    return None


@qa_lead
@require_http_methods(["GET", "POST"])
def report_narrative(request, pk):
    report = _report(request, pk)
    if back := _draft_or_back(request, report):
        return back
    if request.method == "POST":
        form = NarrativeForm(request.POST)
    else:
        form = NarrativeForm(
            initial={
                "working_well": report.working_well,
                "needs_to_improve": report.needs_to_improve,
                "key_themes": report.key_themes,
                "recommendations": "\n".join(r.text for r in report.recommendations.all()),
            }
        )
    if form.is_bound and form.is_valid():
        try:
            publishing.save_narrative(report, **form.cleaned_data, by=request.user)
        except publishing.ReportRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The narrative has been saved")
            return redirect("report-detail", pk=report.pk)
    return render(request, "reports/report/narrative.html", {"report": report, "form": form})


@qa_lead
@require_http_methods(["GET", "POST"])
def report_publish(request, pk):
    report = _report(request, pk)
    if back := _draft_or_back(request, report):
        return back
    problem = None
    if request.method == "POST":
        try:
            publishing.publish(report, request.user)
        except publishing.ReportRefused as refusal:
            problem = str(refusal)
        else:
            messages.success(request, "The report has been published")
            return redirect("report-detail", pk=report.pk)
    narrative = [(title, getattr(report, field)) for _, title, field in publishing.NARRATIVE]
    # The headline figures as publishing would store them: the summary's sentences (how many
    # audits, the judgements, compliance).
    document = publishing.document_for(report)
    summary = next((s for s in document.sections if s.key == "summary"), None)
    return render(
        request,
        "reports/report/publish.html",
        {
            "report": report,
            "narrative": narrative,
            "recommendations": list(report.recommendations.all()),
            "headline": summary.paragraphs if summary else [],
            "problem": problem,
            "not_yet": "" if problem else publishing.publishing_refusal(report),
        },
    )


@qa_lead
@require_http_methods(["GET", "POST"])
def report_correct(request, pk):
    report = _report(request, pk)
    if report.status != S.PUBLISHED:
        messages.error(request, "Only the published version of a report can be corrected")
        return redirect("report-detail", pk=report.pk)
    form = CorrectionForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            correction = publishing.correct(report, form.cleaned_data["reason"], request.user)
        except publishing.ReportRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Version {correction.version} has been started")
            return redirect("report-detail", pk=correction.pk)
    return render(request, "reports/report/correct.html", {"report": report, "form": form})
