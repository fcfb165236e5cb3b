"""Feedback to practitioners: the list of audits shared with a person (and, for the auditor and
the QA lead, those waiting for responses), sharing a submitted audit, and responding to one.

Views parse the request, call feedback.py and render. Who may open which audit is decided in
selectors.py (`may_open`, `visible_audits`); the audit itself is read on its overview page."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from earlyhelp.accounts.access import roles_required
from earlyhelp.accounts.roles import Role
from earlyhelp.core.listing import page_number, pagination

from . import feedback
from .feedback_forms import RespondForm, ShareForm
from .models import Audit, AuditShare
from .selectors import SHARED_STATUSES

PRACTICE_ROLES = (Role.COORDINATOR, Role.LINE_MANAGER)
SHARES_PAGE_SIZE = 50


# The list ------------------------------------------------------------------------------------


def _shared_with(user):
    """The audits shared with this person: those needing their response first, then the rest,
    latest shared first. Everything a row shows comes in the same query."""
    needed = ExpressionWrapper(
        Q(responded_at__isnull=True, audit__status=Audit.Status.SHARED),
        output_field=BooleanField(),
    )
    return (
        AuditShare.objects.filter(person=user, audit__status__in=SHARED_STATUSES)
        .annotate(response_needed=needed)
        .select_related("audit__assessment", "audit__judgement")
        .order_by("-response_needed", "-shared_at", "-pk")
    )


def _awaiting_responses(user):
    """Shared audits still waiting for responses: all of them for the QA lead, an auditor's own
    for an auditor; with how many of the people told have responded. Oldest shared first: they
    close first."""
    if user.has_role(Role.QA_LEAD):
        audits = Audit.objects.all()
    elif user.has_role(Role.AUDITOR):
        audits = Audit.objects.filter(auditor=user)
    else:
        return None
    return (
        audits.filter(status=Audit.Status.SHARED)
        .annotate(
            told=Count("shares"),
            responded=Count("shares", filter=Q(shares__responded_at__isnull=False)),
        )
        .select_related("assessment", "auditor")
        .order_by("shared_at", "pk")
    )


@roles_required(Role.QA_LEAD, Role.AUDITOR, *PRACTICE_ROLES)
def feedback_list(request):
    user = request.user
    context = {"shares_page": None, "awaiting": None}
    if user.has_role(*PRACTICE_ROLES):
        paginator = Paginator(_shared_with(user), SHARES_PAGE_SIZE)
        number, missing = page_number(request.GET.get("page"), paginator)
        page = paginator.page(number)
        context.update(
            shares_page=page,
            missing_page=missing,
            pagination=pagination(request.GET, page),
        )
    awaiting = _awaiting_responses(user)
    if awaiting is not None:
        awaiting = list(awaiting)
        for audit in awaiting:
            audit.closes_on = feedback.closes_on(audit.shared_at)
        context["awaiting"] = awaiting
    return render(request, "audits/feedback/feedback_list.html", context)


# Sharing -----------------------------------------------------------------------------------------


def _audit_to_share(request, pk):
    """The audit, if this person is its auditor or the QA lead; anyone else is told it does not
    exist, as on the audit page."""
    audit = get_object_or_404(
        Audit.objects.select_related(
            "assessment__coordinator__line_manager",
            "assessment__lead_agency__manager",
            "auditor",
            "judgement",
        ),
        pk=pk,
    )
    if not feedback.is_auditor_or_lead(request.user, audit):
        raise Http404
    return audit


@roles_required(Role.QA_LEAD, Role.AUDITOR)
def share(request, pk):
    audit = _audit_to_share(request, pk)
    if not feedback.may_share(request.user, audit):
        if audit.status in SHARED_STATUSES:
            messages.info(request, "This audit has already been shared")
        else:
            messages.info(request, "Only a submitted audit can be shared")
        return redirect("audits:overview", pk=pk)
    form = ShareForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            shares = feedback.share(audit, request.user)
        except feedback.FeedbackRefused as refused:
            form.add_error(None, refused.message)
        else:
            told = len(shares)
            messages.success(
                request,
                f"The audit has been shared with {told} {'person' if told == 1 else 'people'}, "
                "who have been told by e-mail",
            )
            return redirect("audits:overview", pk=pk)
    candidates = feedback.candidates(audit)
    recipients = [
        (person, AuditShare.Relationship(relationship).label)
        for person, relationship in feedback.share_recipients(audit)
    ]
    return render(
        request,
        "audits/feedback/share.html",
        {
            "audit": audit,
            "eha": audit.assessment,
            "form": form,
            "recipients": recipients,
            # Everyone it is for who will not be told, and why (told once already is not listed).
            "not_told": [c for c in candidates if c.user is None or c.problem],
            "coordinator_missing": not any(
                c.relationship == AuditShare.Relationship.COORDINATOR and c.user and not c.problem
                for c in candidates
            ),
            "close_after_days": settings.FEEDBACK_CLOSE_AFTER_DAYS,
        },
    )


# Responding --------------------------------------------------------------------------------------


@roles_required(*PRACTICE_ROLES)
def respond(request, pk):
    # Only the person it was shared with has a share to answer; for anyone else it does not exist.
    share = get_object_or_404(
        AuditShare.objects.select_related("audit__assessment", "audit__judgement"),
        audit_id=pk,
        person=request.user,
        audit__status__in=SHARED_STATUSES,
    )
    if not feedback.may_respond(request.user, share):
        if share.responded_at is not None:
            messages.info(request, "You have already responded to this feedback")
        else:
            messages.info(request, "The feedback on this audit has closed")
        return redirect("audits:overview", pk=pk)
    form = RespondForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            feedback.respond(
                share=share,
                by=request.user,
                agrees=form.cleaned_data["agrees"],
                reflection=form.cleaned_data["reflection"],
                will_do=form.cleaned_data["will_do"],
            )
        except feedback.FeedbackRefused as refused:
            messages.info(request, refused.message)
        else:
            messages.success(request, "Your response has been recorded and the auditor told")
        return redirect("audits:overview", pk=pk)
    return render(
        request,
        "audits/feedback/respond.html",
        {"share": share, "audit": share.audit, "eha": share.audit.assessment, "form": form},
    )
