"""The lists of audits: "My audits" for an auditor and every audit for the QA lead. Views parse
the request, make one selector call and render; who may see which audit is decided in
selectors.py."""

from django.shortcuts import render

from earlyhelp.accounts.access import roles_required
from earlyhelp.accounts.roles import Role

# The case list's helpers for addresses and GOV.UK pagination; the audit lists work the same way.
from earlyhelp.core.listing import pagination, sort_headers

from . import selectors
from .list_forms import AuditFilterForm

# The list of all audits' columns: (heading, sort key or None when it cannot be sorted).
COLUMNS = [
    ("EHA reference", "reference"),
    ("District", "district"),
    ("Type", None),
    ("Auditor", "auditor"),
    ("Due date", "due_date"),
    ("Status", "status"),
    ("Judgement", "judgement"),
]


def _count_text(result):
    if result.count == 1:
        return "Showing 1 audit"
    page = result.page
    return f"Showing {page.start_index():,} to {page.end_index():,} of {result.count:,} audits"


@roles_required(Role.AUDITOR)
def my_audits(request):
    result = selectors.my_audits_page(request.user, request.GET.get("page"))
    return render(
        request,
        "audits/lists/my_audits.html",
        {
            "result": result,
            "count_text": _count_text(result),
            "pagination": pagination(request.GET, result.page),
        },
    )


@roles_required(Role.QA_LEAD)
def all_audits(request):
    form = AuditFilterForm(request.GET)
    context = {"form": form}
    if not form.is_valid():
        # The filters are shown again with what is wrong; no list until they make sense.
        return render(request, "audits/lists/all_audits.html", context)
    result = selectors.audit_list(request.user, form.cleaned_data, request.GET.get("page"))
    context.update(
        result=result,
        count_text=_count_text(result),
        headers=sort_headers(request.GET, form.cleaned_data["sort"], COLUMNS),
        pagination=pagination(request.GET, result.page),
    )
    return render(request, "audits/lists/all_audits.html", context)
