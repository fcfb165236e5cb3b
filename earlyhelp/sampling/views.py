"""The QA lead's dip sample pages: the list, drawing a sample, the sample itself and, while it is a
draft, replacing, requesting and removing EHAs, assigning auditors, confirming and cancelling.

The rules live in services.py; these views parse the request, call one service and render.
"""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from earlyhelp.accounts.access import roles_required
from earlyhelp.accounts.models import District
from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit
from earlyhelp.core.listing import page_number, pagination

from . import forms, services
from .models import DipSample, SampleItem
from .themes import Theme

SAMPLES_PER_PAGE = 25
CHANGED_ELSEWHERE = (
    "The sample changed after you opened this page, perhaps in another tab or by someone else. "
    "Check it below, then confirm it again."
)


def _sample(pk, *, items=False):
    queryset = DipSample.objects.select_related("created_by", "confirmed_by")
    if items:
        queryset = queryset.prefetch_related(
            Prefetch(
                "items",
                queryset=SampleItem.objects.select_related(
                    "assessment", "district", "auditor", "audit", "replaced_by__assessment"
                ),
            )
        )
    return get_object_or_404(queryset, pk=pk)


def _unless_draft(request, sample):
    """A redirect to the sample, with a message, when it can no longer change; else None."""
    if sample.status == DipSample.Status.DRAFT:
        return None
    messages.info(
        request, f"This sample has been {sample.get_status_display().lower()}: it cannot change"
    )
    return redirect("sampling:detail", pk=sample.pk)


def _audit_type_label(sample, item):
    if item.source == SampleItem.Source.REQUESTED:
        return Audit.Type.REQUESTED.label
    return (Audit.Type.THEMED if sample.theme_key else Audit.Type.DIP_SAMPLE).label


# The list and drawing ---------------------------------------------------------------------------


@roles_required(Role.QA_LEAD)
def sample_list(request):
    active = Q(items__replaced_by__isnull=True, items__replaced_reason="")
    samples = (
        DipSample.objects.select_related("created_by")
        .annotate(ehas=Count("items", filter=active))
        .order_by("-month", "-created_at", "-pk")
    )
    paginator = Paginator(samples, SAMPLES_PER_PAGE)
    number, missing = page_number(request.GET.get("page"), paginator)
    page = paginator.page(number)
    return render(
        request,
        "sampling/sample_list.html",
        {
            "page": page,
            "missing_page": missing,
            "pagination": pagination(request.GET, page),
        },
    )


@roles_required(Role.QA_LEAD)
def new(request):
    form = forms.DrawForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.draw(
                month=data["month"], theme=form.theme(), size=data["size"], seed=data["seed"]
            )
        except services.SampleError as error:
            form.add_error(None, str(error))
        else:
            if result.population.total == 0:
                form.add_error(
                    None,
                    "No EHA can be drawn with these filters: none match, or every one that "
                    "matches was audited recently or has an audit in progress. Change the "
                    "filters and draw again.",
                )
            else:
                sample = services.save_draft(result, by=request.user)
                messages.success(
                    request,
                    f"A draft sample of {len(result.chosen)} EHAs has been drawn. Check it, then "
                    "assign auditors and confirm it.",
                )
                return redirect("sampling:detail", pk=sample.pk)
    return render(
        request,
        "sampling/sample_new.html",
        {"form": form, "exclude_months": settings.DIP_SAMPLE_EXCLUDE_AUDITED_MONTHS},
    )


# The sample -------------------------------------------------------------------------------------


@roles_required(Role.QA_LEAD)
def detail(request, pk):
    sample = _sample(pk, items=True)
    items = list(sample.items.all())
    replaced = {item.replaced_by_id: item for item in items if item.replaced_by_id}
    rows = [
        {
            "item": item,
            "replaces": replaced.get(item.pk),
            "may_replace": item.source != SampleItem.Source.REQUESTED and not item.is_replaced,
            "may_remove": item.source == SampleItem.Source.REQUESTED,
        }
        for item in items
    ]
    names = dict(District.objects.values_list("pk", "name"))
    drawn = {}
    for item in items:
        if item.source == SampleItem.Source.RANDOM:
            drawn[item.district_id] = drawn.get(item.district_id, 0) + 1
    population = sorted(
        (
            {"district": names.get(int(d), d), "eligible": n, "drawn": drawn.get(int(d), 0)}
            for d, n in sample.population.items()
        ),
        key=lambda row: str(row["district"]),
    )
    active = [item for item in items if not item.is_replaced]
    return render(
        request,
        "sampling/sample_detail.html",
        {
            "sample": sample,
            "theme": Theme.from_json(sample.filters),
            "explanation": services.describe(sample),
            "rows": rows,
            "population": population,
            "drawn_total": sum(drawn.values()),
            "active_count": len(active),
            "unassigned": sum(1 for item in active if not item.auditor_id or not item.due_date),
            "is_draft": sample.status == DipSample.Status.DRAFT,
            "is_confirmed": sample.status == DipSample.Status.CONFIRMED,
        },
    )


def _item(sample, item_pk):
    return get_object_or_404(
        SampleItem.objects.select_related("assessment", "district"), pk=item_pk, sample=sample
    )


@roles_required(Role.QA_LEAD)
def replace(request, pk, item_pk):
    sample = _sample(pk)
    item = _item(sample, item_pk)
    if refused := _unless_draft(request, sample):
        return refused
    reference = item.assessment.reference
    if item.is_replaced or item.source == SampleItem.Source.REQUESTED:
        messages.info(request, f"{reference} cannot be replaced: it is not a drawn EHA in use")
        return redirect("sampling:detail", pk=sample.pk)
    form = forms.ReplaceForm(
        request.POST if request.method == "POST" else None, reference=reference
    )
    if form.is_bound and form.is_valid():
        try:
            new = services.replace(item, reason=form.cleaned_data["reason"], by=request.user)
        except services.SampleError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(
                request,
                f"{reference} has been replaced by {new.assessment.reference}, drawn at random "
                f"from {item.district.name}",
            )
            return redirect("sampling:detail", pk=sample.pk)
    return render(
        request, "sampling/sample_replace.html", {"sample": sample, "item": item, "form": form}
    )


@roles_required(Role.QA_LEAD)
def request_eha(request, pk):
    sample = _sample(pk)
    if refused := _unless_draft(request, sample):
        return refused
    form = forms.RequestForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            item = services.add_requested(
                sample,
                reference=form.cleaned_data["reference"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.SampleError as error:
            form.add_error("reference", str(error))
        else:
            messages.success(request, f"{item.assessment.reference} has been added to the sample")
            return redirect("sampling:detail", pk=sample.pk)
    return render(request, "sampling/sample_request.html", {"sample": sample, "form": form})


@roles_required(Role.QA_LEAD)
@require_POST
def remove(request, pk, item_pk):
    sample = _sample(pk)
    item = _item(sample, item_pk)
    if refused := _unless_draft(request, sample):
        return refused
    try:
        services.remove_requested(item)
    except services.SampleError as error:
        messages.info(request, str(error))
    else:
        messages.success(request, f"{item.assessment.reference} has been removed from the sample")
    return redirect("sampling:detail", pk=sample.pk)


@roles_required(Role.QA_LEAD)
def assign(request, pk):
    sample = _sample(pk)
    if refused := _unless_draft(request, sample):
        return refused
    items = list(services.active_items(sample).select_related("assessment", "district"))
    people = list(services.auditors().order_by("full_name", "email"))
    loads = services.workloads(people)
    suggested = services.suggest_auditors([i for i in items if not i.auditor_id], people)
    due = services.default_due_date(sample)
    initial = {}
    for item in items:
        person = item.auditor if item.auditor_id else suggested.get(item.pk)
        initial[f"auditor_{item.pk}"] = str(person.pk) if person else ""
        initial[f"due_{item.pk}"] = item.due_date or due
    form = forms.AssignForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        items=items,
        people=people,
        loads=loads,
    )
    if form.is_bound and form.is_valid():
        try:
            services.assign(sample, form.assignments())
        except services.SampleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The auditors and due dates have been saved")
            return redirect("sampling:detail", pk=sample.pk)
    workload = [(person, loads.get(person.pk, 0)) for person in people]
    return render(
        request,
        "sampling/sample_assign.html",
        {"sample": sample, "form": form, "workload": workload, "has_items": bool(items)},
    )


@roles_required(Role.QA_LEAD)
def confirm(request, pk):
    sample = _sample(pk)
    if refused := _unless_draft(request, sample):
        return refused
    form = forms.ConfirmForm(
        request.POST if request.method == "POST" else None, initial={"revision": sample.revision}
    )
    if form.is_bound and form.is_valid():
        if form.cleaned_data["revision"] != sample.revision:
            form = forms.ConfirmForm({"revision": sample.revision})
            form.is_valid()
            form.add_error(None, CHANGED_ELSEWHERE)
        else:
            try:
                audits = services.confirm(sample, by=request.user)
            except services.SampleError as error:
                form.add_error(None, str(error))
            else:
                count = len(audits)
                messages.success(
                    request,
                    f"The sample has been confirmed: {count} audit{'s' if count != 1 else ''} "
                    "planned and the auditors told",
                )
                return redirect("sampling:detail", pk=sample.pk)
    items = list(services.active_items(sample).select_related("assessment", "district", "auditor"))
    rows = [(item, _audit_type_label(sample, item)) for item in items]
    missing = [item for item in items if not item.auditor_id or not item.due_date]
    return render(
        request,
        "sampling/sample_confirm.html",
        {"sample": sample, "form": form, "rows": rows, "missing": missing},
    )


@roles_required(Role.QA_LEAD)
@require_POST
def cancel(request, pk):
    sample = _sample(pk)
    if refused := _unless_draft(request, sample):
        return refused
    services.cancel(sample, by=request.user)
    messages.success(request, f"The draft sample for {sample.month:%B %Y} has been cancelled")
    return redirect("sampling:list")
