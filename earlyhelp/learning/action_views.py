"""The actions pages: the list, raising an action, one action with the steps the person may take.

Views parse the request, call actions.py and render. Who sees which action is
`actions.visible_actions`; anyone else is told an action does not exist. Every step is a POST to
its own address; a step that fails shows the action's page again with the error summary.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from earlyhelp.accounts.access import roles_required
from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit
from earlyhelp.audits.selectors import may_open
from earlyhelp.core.listing import page_number, pagination
from earlyhelp.standards.models import Standard
from earlyhelp.standards.selectors import versions_in_force

from . import actions
from .action_forms import (
    CANCEL,
    SEND_BACK,
    ActionFilterForm,
    ActionForm,
    DueDateForm,
    EvidenceForm,
    FrameworkVersionForm,
    ReasonForm,
)
from .models import Action, LearningTheme, Recommendation

ACTIONS_PAGE_SIZE = 50


def _with_overdue(queryset, today):
    return queryset.annotate(
        is_overdue=ExpressionWrapper(
            Q(due_date__lt=today, status__in=actions.LIVE_STATUSES), output_field=BooleanField()
        )
    )


# The list -------------------------------------------------------------------------------------


@roles_required(*actions.ACTION_ROLES)
def action_list(request):
    user = request.user
    form = ActionFilterForm(request.GET or None, user=user)
    visible = actions.visible_actions(user)
    context = {"form": form, "is_qa_lead": actions.is_qa_lead(user), "page_obj": None}
    if form.is_bound and not form.is_valid():
        return render(request, "learning/actions/list.html", context)
    today = timezone.localdate()
    rows = _with_overdue(visible, today).select_related("owner", "agency")
    filters = form.cleaned_data if form.is_bound else {}
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("type"):
        rows = rows.filter(action_type=filters["type"])
    if filters.get("agency"):
        rows = rows.filter(agency=filters["agency"])
    if filters.get("owner"):
        rows = rows.filter(owner=filters["owner"])
    if filters.get("overdue"):
        rows = rows.filter(is_overdue=True)
    filtered = any(filters.values())
    paginator = Paginator(rows.order_by("-is_overdue", "due_date", "pk"), ACTIONS_PAGE_SIZE)
    number, missing = page_number(request.GET.get("page"), paginator)
    page_obj = paginator.page(number)
    count = paginator.count
    if count == 1:
        count_text = "Showing 1 action"
    else:
        count_text = (
            f"Showing {page_obj.start_index():,} to {page_obj.end_index():,} of {count:,} actions"
        )
    context.update(
        page_obj=page_obj if count else None,
        missing_page=missing,
        count_text=count_text,
        filtered=filtered,
        pagination=pagination(request.GET, page_obj),
    )
    return render(request, "learning/actions/list.html", context)


# Raising an action ---------------------------------------------------------------------------


def _source(request, user):
    """The audit, theme or recommendation named in the address, each None when not given.
    An audit this person may not open is one that does not exist."""

    def pk_of(name):
        raw = request.GET.get(name, "")
        if not raw:
            return None
        if not raw.isdigit():
            raise Http404
        return int(raw)

    audit = theme = recommendation = None
    if (pk := pk_of("audit")) is not None:
        audit = get_object_or_404(
            Audit.objects.select_related("assessment__lead_agency", "framework_version"), pk=pk
        )
        if not may_open(user, audit):
            raise Http404
    if (pk := pk_of("theme")) is not None:
        theme = get_object_or_404(LearningTheme, pk=pk)
    if (pk := pk_of("recommendation")) is not None:
        recommendation = get_object_or_404(Recommendation, pk=pk)
    return audit, theme, recommendation


def _framework_version(audit):
    """The standards an action can name: the audit's version, or the version in force now."""
    if audit is not None:
        return audit.framework_version
    in_force = versions_in_force()
    return in_force[0] if in_force else None


def _standards(version):
    if version is None:
        return []
    return list(
        Standard.objects.filter(section__version=version)
        .order_by("section__order", "order")
        .values_list("ref_id", "text")
    )


@roles_required(Role.QA_LEAD, Role.AUDITOR)
def new_action(request):
    user = request.user
    audit, theme, recommendation = _source(request, user)
    if not actions.may_raise(user, audit):
        # An auditor raises actions from a submitted audit of theirs, through its page.
        raise PermissionDenied
    if not actions.is_qa_lead(user) and (theme or recommendation):
        raise PermissionDenied
    version = _framework_version(audit)
    initial = {}
    if audit is not None:
        initial["agency"] = audit.assessment.lead_agency
        if audit.assessment.lead_agency is not None:
            initial["agency_type"] = audit.assessment.lead_agency.agency_type_id
            initial["owner"] = audit.assessment.lead_agency.manager_id
    if theme is not None:
        initial["theme"] = theme.pk
        initial["finding"] = f"Learning theme: {theme.name}"[:300]
    if recommendation is not None:
        initial["finding"] = f"Recommendation: {recommendation.text}"[:300]
        initial["title"] = recommendation.text[:200]
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        standards=_standards(version),
        theme=theme,
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            action = actions.create_action(
                title=data["title"],
                action_type=data["action_type"],
                description=data["description"],
                finding=data["finding"],
                you_said=data["you_said"],
                standard_refs=data["standards"],
                owner=data["owner"],
                agency=data["agency"],
                agency_type=data["agency_type"],
                due_date=data["due_date"],
                audit=audit,
                theme=data["theme"],
                recommendation=recommendation,
                by=user,
            )
        except actions.ActionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, "The action has been raised and its owner told")
            if actions.may_see(user, action):
                return redirect("actions:detail", pk=action.pk)
            return redirect("audits:overview", pk=audit.pk)
    return render(
        request,
        "learning/actions/new.html",
        {
            "form": form,
            "audit": audit,
            "theme": theme,
            "recommendation": recommendation,
            "version": version,
        },
    )


# One action ------------------------------------------------------------------------------------


def _visible_action(request, pk):
    action = get_object_or_404(
        Action.objects.select_related(
            "owner",
            "agency__manager",
            "agency_type",
            "audit__assessment",
            "theme",
            "recommendation",
            "created_by",
            "signed_off_by",
            "framework_version__framework",
        ),
        pk=pk,
    )
    if not actions.may_see(request.user, action):
        raise Http404
    return action


def _standards_of(action):
    """The action's standards as (ref_id, text), in the order given; text from its version."""
    if not action.standard_refs:
        return []
    version = action.audit.framework_version if action.audit_id else _framework_version(None)
    texts = dict(_standards(version))
    return [(ref, texts.get(ref, "")) for ref in action.standard_refs]


def _detail(request, action, failed=None, status=200):
    """The action's page; `failed` is (step name, bound form) when a step's form had errors."""
    user = request.user
    is_lead = actions.is_qa_lead(user)
    live = action.status in actions.LIVE_STATUSES
    done_unsigned = action.status == Action.Status.DONE and action.signed_off_at is None
    steps = {
        "start": action.status == Action.Status.OPEN and actions.may_update(user, action),
        "evidence": live and actions.is_owner_or_agency_manager(user, action),
        "sign_off": is_lead and done_unsigned and bool(action.evidence.strip()),
        "send_back": is_lead and done_unsigned,
        "cancel": is_lead and (live or done_unsigned),
        "due_date": is_lead and live,
        "framework_version": is_lead
        and action.action_type == Action.Type.STANDARDS_REVIEW
        and action.status != Action.Status.CANCELLED,
    }
    forms = {
        "evidence": EvidenceForm(initial={"evidence": action.evidence}),
        "send_back": ReasonForm(words=SEND_BACK),
        "cancel": ReasonForm(words=CANCEL),
        "due_date": DueDateForm(initial={"due_date": action.due_date}),
        "framework_version": FrameworkVersionForm(
            initial={"framework_version": action.framework_version_id}
        ),
    }
    form = None
    if failed is not None:
        name, form = failed
        forms[name] = form
    today = timezone.localdate()
    return render(
        request,
        "learning/actions/detail.html",
        {
            "action": action,
            "form": form,
            "forms": forms,
            "steps": steps,
            "any_step": any(steps.values()),
            "is_overdue": live and action.due_date < today,
            "standards": _standards_of(action),
            "may_open_audit": action.audit_id is not None and may_open(user, action.audit),
            "events": action.events.select_related("by"),
        },
        status=status,
    )


@roles_required(*actions.ACTION_ROLES)
def action_detail(request, pk):
    return _detail(request, _visible_action(request, pk))


def _step(request, pk, run, success, name=None, form=None):
    """Runs one step on a POST (anything else goes back to the action's page): the form (if
    any) must be valid, then the service decides."""
    if request.method != "POST":
        return redirect("actions:detail", pk=pk)
    action = _visible_action(request, pk)
    if form is not None and not form.is_valid():
        return _detail(request, action, failed=(name, form), status=400)
    try:
        run(action, form.cleaned_data if form is not None else None)
    except actions.ActionRefused as refused:
        if form is not None:
            form.add_error(None, refused.message)
            return _detail(request, action, failed=(name, form), status=400)
        messages.error(request, refused.message)
    else:
        messages.success(request, success)
    return redirect("actions:detail", pk=pk)


@roles_required(*actions.ACTION_ROLES)
def start_action(request, pk):
    return _step(
        request,
        pk,
        lambda action, _: actions.start(action, request.user),
        "The action is in progress",
    )


@roles_required(*actions.ACTION_ROLES)
def record_evidence(request, pk):
    return _step(
        request,
        pk,
        lambda action, data: actions.record_evidence(action, data["evidence"], request.user),
        "The evidence has been recorded and the action marked done. The QA lead has been told",
        name="evidence",
        form=EvidenceForm(request.POST),
    )


@roles_required(Role.QA_LEAD)
def sign_off(request, pk):
    return _step(
        request,
        pk,
        lambda action, _: actions.sign_off(action, request.user),
        "The action has been signed off and its owner told",
    )


@roles_required(Role.QA_LEAD)
def send_back(request, pk):
    return _step(
        request,
        pk,
        lambda action, data: actions.send_back(action, data["reason"], request.user),
        "The action has been sent back to its owner as in progress",
        name="send_back",
        form=ReasonForm(request.POST, words=SEND_BACK),
    )


@roles_required(Role.QA_LEAD)
def cancel(request, pk):
    return _step(
        request,
        pk,
        lambda action, data: actions.cancel(action, data["reason"], request.user),
        "The action has been cancelled",
        name="cancel",
        form=ReasonForm(request.POST, words=CANCEL),
    )


@roles_required(Role.QA_LEAD)
def change_due_date(request, pk):
    return _step(
        request,
        pk,
        lambda action, data: actions.change_due_date(action, data["due_date"], request.user),
        "The due date has been changed",
        name="due_date",
        form=DueDateForm(request.POST),
    )


@roles_required(Role.QA_LEAD)
def record_framework_version(request, pk):
    return _step(
        request,
        pk,
        lambda action, data: actions.record_framework_version(
            action, data["framework_version"], request.user
        ),
        "The framework version this review produced has been recorded",
        name="framework_version",
        form=FrameworkVersionForm(request.POST),
    )
