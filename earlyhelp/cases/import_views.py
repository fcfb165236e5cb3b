"""The data officer's journey: upload a data report, check the preview, confirm, watch the
import, and look back at the history."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from earlyhelp.accounts.access import roles_required
from earlyhelp.accounts.roles import Role
from earlyhelp.core.listing import pagination
from earlyhelp.core.spreadsheet_safety import neutralise

from . import services
from .import_forms import UploadForm
from .models import DataImport

ERRORS_SHOWN = 300
HISTORY_PAGE_SIZE = 25

data_officers = roles_required(Role.DATA_OFFICER)


@data_officers
def history(request):
    imports = DataImport.objects.select_related("uploaded_by").order_by("-uploaded_at")
    page = Paginator(imports, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "pagination": pagination(request.GET, page)}
    return render(request, "cases/imports/history.html", context)


@data_officers
def upload(request):
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        data_import = services.receive_upload(
            uploaded_file=form.cleaned_data["report"], user=request.user
        )
        return redirect("imports:detail", pk=data_import.pk)
    return render(request, "cases/imports/upload.html", {"form": form})


@data_officers
def detail(request, pk):
    data_import = get_object_or_404(DataImport.objects.select_related("uploaded_by"), pk=pk)
    errors = data_import.errors.all()[:ERRORS_SHOWN]
    context = {
        "data_import": data_import,
        "errors": errors,
        "errors_shown": ERRORS_SHOWN,
        "error_count": data_import.errors.count(),
        "rows_done": services.rows_done(pk),
        "Status": DataImport.Status,
    }
    return render(request, "cases/imports/detail.html", context)


@data_officers
def progress(request, pk):
    data_import = get_object_or_404(DataImport, pk=pk)
    return JsonResponse(
        {
            "status": data_import.status,
            "status_label": data_import.get_status_display(),
            "rows_done": services.rows_done(pk),
            "rows_total": data_import.rows,
            "finished": data_import.status not in _IN_PROGRESS,
        }
    )


_IN_PROGRESS = {DataImport.Status.CHECKING, DataImport.Status.QUEUED, DataImport.Status.IMPORTING}


@data_officers
@require_POST
def confirm(request, pk):
    data_import = get_object_or_404(DataImport, pk=pk)
    outcome = services.confirm(data_import=data_import, user=request.user)
    if outcome == "rechecking":
        messages.info(
            request,
            "Another import finished after this file was checked, so it is being checked again. "
            "Look at the new preview before you confirm.",
        )
    elif not outcome:
        messages.info(request, "This import is not waiting to be confirmed, so nothing was done.")
    return redirect("imports:detail", pk=pk)


@data_officers
@require_POST
def cancel(request, pk):
    data_import = get_object_or_404(DataImport, pk=pk)
    if services.cancel(data_import=data_import):
        messages.success(request, f"The import of {data_import.file_name} was cancelled")
    return redirect("imports:history")


@data_officers
def errors_csv(request, pk):
    data_import = get_object_or_404(DataImport, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{pk}-errors.csv"'
    response.write("\ufeff")  # so that Excel reads the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(["Row", "Column", "Message"])
    rows = data_import.errors.values_list("row", "column", "message").iterator(chunk_size=5000)
    for row, column, message in rows:
        writer.writerow([row, neutralise(column), neutralise(message)])
    return response
