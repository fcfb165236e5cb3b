"""Recommendations, the training needs register and the standards reviews.

The QA lead records recommendations, agencies' responses and the group's decisions; partnership
viewers read them and the registers. Nothing here is child-level: no EHA reference, no audit.
Every change is made by `recommendations` (the services), which check the transition again.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from earlyhelp.accounts.access import offered_url, roles_required
from earlyhelp.accounts.roles import Role
from earlyhelp.reports.publishing import reports_of

from . import recommendations, registers
from .models import Recommendation
from .recommendation_forms import (
    AcceptForm,
    AgencyResponseForm,
    CloseForm,
    RecommendationForm,
    RecommendationStatusFilter,
)

readers = roles_required(Role.QA_LEAD, Role.PARTNERSHIP_VIEWER)
qa_lead = roles_required(Role.QA_LEAD)


@readers
def recommendation_list(request):
    form = RecommendationStatusFilter(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    counts = recommendations.status_counts()
    context = {
        "form": form,
        "status": status,
        "recommendations": list(recommendations.listed(status or None)),
        "counts": [(value, label, counts[value]) for value, label in Recommendation.Status.choices],
        "total": sum(counts.values()),
        "may_manage": recommendations.may_manage(request.user),
    }
    return render(request, "learning/recommendations/list.html", context)


@qa_lead
def recommendation_new(request):
    form = RecommendationForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            made = recommendations.record(**form.cleaned_data, by=request.user)
        except recommendations.RecommendationRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The recommendation has been recorded")
            return redirect("recommendations:detail", pk=made.pk)
    return render(request, "learning/recommendations/new.html", {"form": form})


def _recommendation(pk):
    try:
        return recommendations.with_details(pk)
    except Recommendation.DoesNotExist:
        raise Http404 from None


def _detail(request, recommendation, **forms):
    manage = recommendations.may_manage(request.user)
    is_closed = recommendation.status == Recommendation.Status.CLOSED
    made_in, dropped_by = reports_of(recommendation)
    for report in [*made_in, dropped_by] if dropped_by else made_in:
        report.url = offered_url(request.user, "report-detail", [report.pk])
    context = {
        "recommendation": recommendation,
        "made_in": made_in,
        "dropped_by": dropped_by,
        "responses": list(recommendation.responses.all()),
        "actions": list(recommendation.actions.all()),
        "may_manage": manage,
        "is_closed": is_closed,
        "loop_url": offered_url(request.user, "findings:loop-recommendation", [recommendation.pk]),
    }
    if manage and not is_closed:
        context["raise_action_url"] = offered_url(
            request.user, "actions:new", query=f"?recommendation={recommendation.pk}"
        )
        context["response_form"] = forms.get("response_form") or AgencyResponseForm()
        if recommendation.status == Recommendation.Status.OPEN:
            context["accept_form"] = forms.get("accept_form") or AcceptForm()
        else:
            context["close_form"] = forms.get("close_form") or CloseForm(
                initial={"decision": recommendation.decision}
            )
    # The error summary reads `form`: the one that was just sent, if any.
    context["form"] = next((f for f in forms.values() if f is not None), None)
    return render(request, "learning/recommendations/detail.html", context)


@readers
def recommendation_detail(request, pk):
    return _detail(request, _recommendation(pk))


def _change(request, pk, form_class, key, apply, done):
    recommendation = _recommendation(pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            apply(recommendation, form.cleaned_data)
        except recommendations.RecommendationRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, done)
            return redirect("recommendations:detail", pk=pk)
    # Read again: a refusal may come from a change someone else made.
    return _detail(request, _recommendation(pk), **{key: form})


@qa_lead
@require_POST
def recommendation_respond(request, pk):
    def apply(recommendation, data):
        recommendations.record_response(recommendation, **data, by=request.user)

    return _change(
        request, pk, AgencyResponseForm, "response_form", apply, "The response has been recorded"
    )


@qa_lead
@require_POST
def recommendation_accept(request, pk):
    def apply(recommendation, data):
        recommendations.accept(recommendation, decision=data["decision"], by=request.user)

    return _change(
        request, pk, AcceptForm, "accept_form", apply, "The recommendation has been accepted"
    )


@qa_lead
@require_POST
def recommendation_close(request, pk):
    def apply(recommendation, data):
        recommendations.close(recommendation, **data, by=request.user)

    return _change(
        request, pk, CloseForm, "close_form", apply, "The recommendation has been closed"
    )


# Registers -------------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@readers
def training_register(request):
    register = registers.training_register()
    wanted = request.GET.get("format")
    if wanted in ("csv", "xlsx"):
        name = f"training-needs-register-{register.today.isoformat()}.{wanted}"
        if wanted == "csv":
            response = HttpResponse(
                registers.register_csv(register), content_type="text/csv; charset=utf-8"
            )
        else:
            response = HttpResponse(registers.register_xlsx(register), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request,
        "learning/registers/training.html",
        {"register": register, "columns": registers.COLUMNS},
    )


@readers
def standards_reviews(request):
    reviews = list(registers.standards_reviews())
    for review in reviews:
        review.version_url = (
            offered_url(request.user, "standards:version", [review.framework_version_id])
            if review.framework_version_id
            else None
        )
    return render(request, "learning/registers/standards.html", {"reviews": reviews})
