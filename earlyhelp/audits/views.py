"""The audit itself: the overview with its task list, one page per section, check and submit,
and the QA lead's start and reopen. Who may open which audit is decided in `_audit_for`; a
coordinator or line manager reads the overview of an audit shared with them, and nothing else."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from earlyhelp.accounts.access import roles_required, take_stashed_post
from earlyhelp.accounts.models import User
from earlyhelp.accounts.roles import Role
from earlyhelp.cases.selectors import visible_assessments
from earlyhelp.core.access_log import record_view
from earlyhelp.standards.models import Section

from . import feedback, forms, services
from . import sections as pages
from .models import Audit
from .selectors import SHARED_STATUSES, may_open

AUDIT_ROLES = (Role.QA_LEAD, Role.AUDITOR)
# The overview also lets in the practitioners an audit was shared with, to read it (may_open).
READ_ROLES = (*AUDIT_ROLES, Role.COORDINATOR, Role.LINE_MANAGER)


def _audit_for(request, pk):
    """The audit if this person may see it: the QA lead any, an auditor their own, a coordinator
    or line manager one shared with them. Anyone else is told it does not exist, so that its
    existence is not revealed."""
    audit = get_object_or_404(
        Audit.objects.select_related(
            "assessment__district",
            "assessment__lead_agency",
            "assessment__agency_type",
            "assessment__family",
            "auditor",
            "judgement",
            "framework_version__framework",
        ).prefetch_related(
            Prefetch(
                "framework_version__sections",
                queryset=Section.objects.prefetch_related("standards"),
            ),
            "framework_version__bottom_lines",
            "framework_version__rating_options",
            "framework_version__judgement_grades",
            "framework_version__impact_anchors",
        ),
        pk=pk,
    )
    if not may_open(request.user, audit):
        raise Http404
    return audit


def _ratings(audit):
    return list(
        audit.ratings.select_related("standard__section", "rating").order_by(
            "standard__section__order", "standard__order"
        )
    )


def _may_edit(request, audit):
    return audit.auditor_id == request.user.pk and audit.is_editable


@roles_required(*READ_ROLES)
def overview(request, pk):
    audit = _audit_for(request, pk)
    # Someone let in only because it was shared with them reads it: no editing, reopening or
    # sharing, no history; and, since it is a child's record, their view is logged.
    reading_as_practitioner = not feedback.is_auditor_or_lead(request.user, audit)
    shares = (
        list(audit.shares.select_related("person", "shared_by"))
        if audit.status in SHARED_STATUSES
        else []
    )
    my_share = next((share for share in shares if share.person_id == request.user.pk), None)
    if my_share is not None:
        feedback.record_first_read(my_share)
    if reading_as_practitioner:
        record_view(
            request=request,
            record_type="audit",
            record_id=audit.pk,
            record_label=audit.assessment.reference,
        )
    ratings = _ratings(audit)
    checks = list(audit.bottom_line_checks.select_related("bottom_line"))
    tasks = [
        (section, services.section_state(audit, section, ratings, checks))
        for section in pages.sections_for(audit)
    ]
    return render(
        request,
        "audits/audit_overview.html",
        {
            "audit": audit,
            "eha": audit.assessment,
            "tasks": tasks,
            "may_edit": _may_edit(request, audit),
            "may_reopen": audit.status == Audit.Status.SUBMITTED
            and request.user.has_role(Role.QA_LEAD),
            "may_share": feedback.may_share(request.user, audit),
            "may_download": not audit.is_editable and not reading_as_practitioner,
            "reading_as_practitioner": reading_as_practitioner,
            "shares": shares,
            "my_share": my_share,
            "may_respond": my_share is not None and feedback.may_respond(request.user, my_share),
            "feedback_closes_on": feedback.closes_on(audit.shared_at) if audit.shared_at else None,
            "ratings": ratings,
            "checks": checks,
            "events": [] if reading_as_practitioner else audit.events.select_related("by"),
        },
    )


def _page_form(audit, section, data=None):
    initial = {"revision": audit.revision}
    if section.framework_section is not None:
        ratings = list(
            audit.ratings.filter(standard__section=section.framework_section)
            .select_related("standard")
            .order_by("standard__order")
        )
        return forms.StandardsForm(
            data,
            initial=initial,
            ratings=ratings,
            rating_options=audit.framework_version.rating_options.all(),
        )
    if section.slug == pages.BOTTOM_LINES:
        checks = list(audit.bottom_line_checks.select_related("bottom_line"))
        return forms.BottomLinesForm(data, initial=initial, checks=checks)
    if section.slug == pages.JUDGEMENT:
        initial.update(
            impact_score=audit.impact_score,
            judgement=str(audit.judgement_id or ""),
            judgement_reason=audit.judgement_reason,
        )
        return forms.JudgementForm(data, initial=initial, version=audit.framework_version)
    form_class = forms.FIXED_FORMS[section.slug]
    for name in form_class.base_fields:
        if name != "revision":
            value = getattr(audit, name)
            initial[name] = (
                {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value
            )
    return form_class(data, initial=initial)


@roles_required(Role.AUDITOR)
def section_page(request, pk, slug):
    audit = _audit_for(request, pk)
    section = pages.find_section(audit, slug)
    if section is None:
        raise Http404
    if not _may_edit(request, audit):
        return redirect("audits:overview", pk=pk)
    if request.method == "POST" and request.headers.get("X-Autosave"):
        return _autosave(request, audit, section)
    stashed = take_stashed_post(request) if request.method == "GET" else None
    if stashed is not None:
        # Signed out before saving: show what they typed, for them to save now.
        form = _page_form(audit, section, stashed)
        form.is_valid()
        form.add_error(
            None,
            "You were signed out before your answers on this page were saved. They are below: "
            "save them now to keep them.",
        )
        return _render_section(request, audit, section, form, conflict=False)
    form = _page_form(audit, section, request.POST if request.method == "POST" else None)
    conflict = False
    if form.is_bound and form.is_valid():
        try:
            services.save_page(
                audit=audit,
                section=section,
                data=form.cleaned_data,
                revision=form.cleaned_data["revision"],
                user=request.user,
            )
        except services.AuditConflict:
            conflict = True
            audit.refresh_from_db()
            form = _conflicted(audit, section, form.data)
        except services.AuditLocked:
            messages.info(request, "This audit has been submitted, so it can no longer be changed")
            return redirect("audits:overview", pk=pk)
        else:
            return redirect(_after_save(request, audit, section))
    return _render_section(request, audit, section, form, conflict)


def _render_section(request, audit, section, form, conflict):
    return render(
        request,
        "audits/audit_section.html",
        {
            "audit": audit,
            "eha": audit.assessment,
            "section": section,
            "form": form,
            "conflict": conflict,
            "is_standards": section.framework_section is not None,
        },
    )


def _autosave(request, audit, section):
    """The page's script saves as the auditor types. It answers with the new revision, or 409
    when someone else saved in between (the script then says so and stops saving)."""
    form = _page_form(audit, section, request.POST)
    if not form.is_valid():
        return JsonResponse({"saved": False, "errors": form.errors.get_json_data()}, status=400)
    try:
        audit = services.save_page(
            audit=audit,
            section=section,
            data=form.cleaned_data,
            revision=form.cleaned_data["revision"],
            user=request.user,
        )
    except services.AuditConflict:
        return JsonResponse({"saved": False, "conflict": True}, status=409)
    except services.AuditLocked:
        return JsonResponse({"saved": False, "locked": True}, status=409)
    return JsonResponse({"saved": True, "revision": audit.revision})


def _conflicted(audit, section, posted):
    """The page again with what the person typed, now based on the latest revision, and an
    error saying what happened: nothing is lost and nothing is overwritten without them knowing."""
    data = posted.copy()
    data["revision"] = str(audit.revision)
    form = _page_form(audit, section, data)
    form.is_valid()
    form.add_error(
        None,
        "Someone else saved this audit after you opened this page. Your answers are below but "
        "have not been saved. Check them, then save again to keep them.",
    )
    return form


def _after_save(request, audit, section):
    if "later" in request.POST:
        messages.success(
            request, "Your answers have been saved. You can come back to them at any time"
        )
        return reverse("audits:overview", args=[audit.pk])
    following = pages.next_section(audit, section.slug)
    if following is None:
        return reverse("audits:submit", args=[audit.pk])
    return reverse("audits:section", args=[audit.pk, following.slug])


@roles_required(*AUDIT_ROLES)
def submit(request, pk):
    audit = _audit_for(request, pk)
    if not _may_edit(request, audit):
        return redirect("audits:overview", pk=pk)
    ratings = _ratings(audit)
    form = forms.SubmitForm(
        request.POST if request.method == "POST" else None, initial={"revision": audit.revision}
    )
    found = services.problems(audit, ratings)
    warning = services.judgement_inconsistency(audit, ratings)
    if form.is_bound and form.is_valid():
        try:
            submitted, found, warning = services.submit(
                audit=audit,
                revision=form.cleaned_data["revision"],
                user=request.user,
                confirm_judgement=form.cleaned_data["confirm_judgement"],
            )
        except services.AuditConflict:
            messages.info(
                request, "Someone else saved this audit just now: check it and submit again"
            )
            return redirect("audits:submit", pk=pk)
        if submitted:
            messages.success(request, "The audit has been submitted")
            return redirect("audits:overview", pk=pk)
    links = [
        (reverse("audits:section", args=[pk, p.section]) + f"#{_anchor(p.field)}", p.message)
        for p in found
    ]
    return render(
        request,
        "audits/audit_submit.html",
        {
            "audit": audit,
            "eha": audit.assessment,
            "problems": links,
            "warning": warning,
            "form": form,
            "attempted": form.is_bound,
            "ratings": ratings,
            "checks": list(audit.bottom_line_checks.select_related("bottom_line")),
        },
    )


# Answers given with radios: the error summary links to the first radio, as GOV.UK does.
_RADIO_FIELDS = {"file_compliance", "impact_score", "judgement", "unresolved_safeguarding"}


def _anchor(field):
    radios = field in _RADIO_FIELDS or field.startswith("rating_")
    return f"id_{field}_0" if radios else f"id_{field}"


@roles_required(Role.QA_LEAD)
def new(request):
    auditors = User.objects.filter(is_active=True, role_assignments__role=Role.AUDITOR).distinct()
    initial = {"assessment_reference": request.GET.get("eha", "")}
    form = forms.NewAuditForm(
        request.POST if request.method == "POST" else None, initial=initial, auditors=auditors
    )
    if form.is_bound and form.is_valid():
        reference = form.cleaned_data["assessment_reference"].strip()
        assessment = visible_assessments(request.user).filter(reference__iexact=reference).first()
        in_progress = services.audit_in_progress(assessment) if assessment else None
        if assessment is None:
            form.add_error(
                "assessment_reference", f"There is no EHA with the reference {reference}"
            )
        elif in_progress is not None:
            due = in_progress.due_date
            form.add_error(
                "assessment_reference",
                f"{assessment.reference} already has an audit in progress, due "
                f"{due.day} {due:%B %Y}",
            )
        else:
            audit = services.create_audit(
                assessment=assessment,
                auditor=form.cleaned_data["auditor"],
                due_date=form.cleaned_data["due_date"],
                audit_type=form.cleaned_data["audit_type"],
                created_by=request.user,
            )
            messages.success(request, f"The audit of {assessment.reference} has been assigned")
            return redirect("audits:overview", pk=audit.pk)
    return render(request, "audits/audit_new.html", {"form": form})


@roles_required(Role.QA_LEAD)
def reopen(request, pk):
    audit = _audit_for(request, pk)
    if audit.status != Audit.Status.SUBMITTED:
        return redirect("audits:overview", pk=pk)
    form = forms.ReopenForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        services.reopen(audit=audit, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, "The audit has been reopened for the auditor")
        return redirect("audits:overview", pk=pk)
    return render(request, "audits/audit_reopen.html", {"audit": audit, "form": form})
