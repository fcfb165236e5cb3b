"""The case list and the case page. Views parse the request, make one selector call and render;
who may see which EHA is decided in selectors.py."""

from django.shortcuts import render

from earlyhelp.accounts.access import roles_required
from earlyhelp.accounts.roles import Role
from earlyhelp.core.access_log import record_view
from earlyhelp.core.listing import pagination, sort_headers

from . import selectors
from .forms import CaseFilterForm

CASE_ROLES = (Role.QA_LEAD, Role.AUDITOR, Role.COORDINATOR, Role.LINE_MANAGER)

# The list's columns: (heading, sort key or None when the column cannot be sorted, numeric).
COLUMNS = [
    ("EHA reference", "reference", False),
    ("Family reference", None, False),
    ("District", "district", False),
    ("Lead agency", "lead_agency", False),
    ("Start date", "start_date", False),
    ("Status", "status", False),
    ("Days open", "days_open", True),
]


def _count_text(result):
    count = result.count
    if count == 1:
        return "Showing 1 EHA"
    page = result.page
    return f"Showing {page.start_index():,} to {page.end_index():,} of {count:,} EHAs"


@roles_required(*CASE_ROLES)
def case_list(request):
    form = CaseFilterForm(request.GET)
    context = {"form": form, "scope": selectors.visibility_description(request.user)}
    if not form.is_valid():
        # The filters are shown again with what is wrong; no list until they make sense.
        return render(request, "cases/case_list.html", context)
    result = selectors.case_list(request.user, form.cleaned_data, request.GET.get("page"))
    context.update(
        result=result,
        count_text=_count_text(result),
        headers=sort_headers(request.GET, form.cleaned_data["sort"], COLUMNS),
        pagination=pagination(request.GET, result.page),
    )
    return render(request, "cases/case_list.html", context)


@roles_required(*CASE_ROLES)
def case_detail(request, pk):
    page = selectors.case_page(request.user, pk)
    # Child-level record: every view is logged, who and when, before the page is shown.
    record_view(
        request=request, record_type="eha", record_id=page.eha.pk, record_label=page.eha.reference
    )
    # Imported here, not at the top: the audits app is built on this one (an audit points at an
    # EHA and its selectors start from ours), so cases must not need audits in order to load.
    from earlyhelp.audits.selectors import audits_for_case

    audits = audits_for_case(request.user, page.eha)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": page,
            "eha": page.eha,
            "audits": audits,
            "may_start_audit": request.user.has_role(Role.QA_LEAD),
        },
    )
