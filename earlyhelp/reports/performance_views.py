"""Performance data: the monthly figures from the EHM data report, for the QA lead, partnership
viewers and the data officer who brings the data in. Aggregates only: no EHA reference, family or
link to a case is on these pages or in their downloads."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from earlyhelp.accounts.access import roles_required
from earlyhelp.accounts.roles import Role

from .exports.xlsx import xlsx_bytes
from .performance import build_performance, csv_text
from .performance_forms import PerformanceFilterForm

readers = roles_required(Role.QA_LEAD, Role.PARTNERSHIP_VIEWER, Role.DATA_OFFICER)

DOWNLOADS = {
    "csv": ("text/csv; charset=utf-8", lambda document: csv_text(document).encode("utf-8")),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        xlsx_bytes,
    ),
}


def _query(request) -> str:
    """The filters' part of this page's address, carried to the download links."""
    params = request.GET.copy()
    for name in list(params):
        if name not in PerformanceFilterForm.base_fields:
            del params[name]
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


@readers
def index(request):
    form = PerformanceFilterForm(request.GET or None)
    document = None
    if not form.is_bound or form.is_valid():
        document = build_performance(**form.filters())
    context = {"form": form, "document": document, "query": _query(request)}
    return render(request, "reports/performance/index.html", context)


@readers
def download(request, file_format):
    if file_format not in DOWNLOADS:
        raise Http404("The performance data downloads as csv or xlsx.")
    form = PerformanceFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return redirect(reverse("performance") + _query(request))
    document = build_performance(**form.filters())
    content_type, write = DOWNLOADS[file_format]
    response = HttpResponse(write(document), content_type=content_type)
    name = f"performance-data-{document.generated_on}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
