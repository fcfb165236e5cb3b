"""The escalation pages: the register (for the QA lead every escalation, for a line manager their
own) and one escalation, where its manager acknowledges it and records what was done. Who may
see and answer which escalation is decided in escalation.py."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from earlyhelp.accounts.access import roles_required
from earlyhelp.accounts.roles import Role
from earlyhelp.core.access_log import record_view
from earlyhelp.core.listing import pagination

from . import escalation as escalations
from .escalation_forms import RegisterFilterForm, ResponseForm
from .models import AuditEvent, Escalation
from .selectors import may_open

ESCALATION_ROLES = (Role.QA_LEAD, Role.LINE_MANAGER)


def _count_text(result):
    if result.count == 1:
        return "Showing 1 escalation"
    page = result.page
    return f"Showing {page.start_index():,} to {page.end_index():,} of {result.count:,} escalations"


@roles_required(*ESCALATION_ROLES)
def escalation_list(request):
    today = timezone.localdate()
    form = RegisterFilterForm(request.GET)
    context = {
        "form": form,
        "everyone": request.user.has_role(Role.QA_LEAD),
        "summary": escalations.summary(request.user, today),
        "chase_after": escalations.chase_after(),
    }
    if form.is_valid():
        result = escalations.register(
            request.user, form.cleaned_data["status"], request.GET.get("page"), today
        )
        context.update(
            result=result,
            filtered=bool(form.cleaned_data["status"]),
            count_text=_count_text(result),
            pagination=pagination(request.GET, result.page),
        )
    return render(request, "audits/escalations/list.html", context)


def _escalation_for(request, pk):
    """The escalation if this person may see it; anyone else is told it does not exist."""
    return get_object_or_404(
        escalations.visible_escalations(request.user).select_related(
            "audit__assessment__family",
            "audit__assessment__district",
            "audit__assessment__lead_agency",
            "audit__auditor",
            "audit__judgement",
            "audit__framework_version",
            "line_manager",
            "created_by",
            "acknowledged_by",
            "resolved_by",
        ),
        pk=pk,
    )


@roles_required(*ESCALATION_ROLES)
def detail(request, pk):
    escalation = _escalation_for(request, pk)
    may_record = escalations.may_record(request.user, escalation)
    form = None
    if may_record:
        form = ResponseForm(
            request.POST if request.method == "POST" else None,
            initial={"response": escalation.response, "action_taken": escalation.action_taken},
        )
        if form.is_bound and form.is_valid():
            return _record_response(request, escalation, form.cleaned_data)
    elif request.method == "POST":
        messages.info(request, "This escalation can no longer be changed")
        return redirect("escalations:detail", pk=pk)
    audit = escalation.audit
    # A child-level record: every view is logged, who and when, before the page is shown.
    record_view(
        request=request,
        record_type="escalation",
        record_id=escalation.pk,
        record_label=audit.assessment.reference,
    )
    return render(
        request,
        "audits/escalations/detail.html",
        {
            "escalation": escalation,
            "audit": audit,
            "eha": audit.assessment,
            "form": form,
            "may_record": may_record,
            "on_behalf": may_record and escalations.recorded_on_behalf(escalation),
            "overdue": escalations.is_overdue(escalation),
            "age": escalations.age_in_working_days(escalation),
            "may_open_audit": may_open(request.user, audit),
            "ratings": list(
                audit.ratings.select_related("standard__section", "rating").order_by(
                    "standard__section__order", "standard__order"
                )
            ),
            "checks": list(audit.bottom_line_checks.select_related("bottom_line")),
            "events": audit.events.filter(
                kind__in=[AuditEvent.Kind.ESCALATED, AuditEvent.Kind.ESCALATION_UPDATED]
            ).select_related("by"),
        },
    )


def _record_response(request, escalation, data):
    try:
        escalations.record_response(
            escalation,
            request.user,
            data["response"],
            data["action_taken"],
            resolved=data["resolved"],
        )
    except escalations.EscalationResolved:
        messages.info(request, "This escalation has already been resolved")
    except escalations.NotAllowed:
        messages.info(request, "This escalation can no longer be changed")
    else:
        if escalation.status == Escalation.Status.RESOLVED:
            messages.success(request, "The escalation has been resolved")
        else:
            messages.success(request, "Your response has been saved")
    return redirect("escalations:detail", pk=escalation.pk)


@roles_required(*ESCALATION_ROLES)
@require_POST
def acknowledge(request, pk):
    escalation = _escalation_for(request, pk)
    # Already acknowledged (a second click) or not theirs to answer: the page says where it is.
    if escalations.may_record(request.user, escalation) and escalations.acknowledge(
        escalation, request.user
    ):
        messages.success(request, "You have acknowledged the escalation")
    return redirect("escalations:detail", pk=pk)
