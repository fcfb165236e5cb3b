"""The closure form's pages: the list of closed EHAs waiting for one (and those recently done),
and the form itself, completed with the family, or read once it has been.

Views parse the request, call closure.py and render. Who may see which EHA is decided in
cases.selectors; a person is told an EHA they may not see does not exist.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from earlyhelp.accounts.access import roles_required
from earlyhelp.accounts.roles import Role
from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.cases.selectors import visible_assessments
from earlyhelp.core.access_log import record_view
from earlyhelp.core.listing import page_number, pagination

from . import closure
from .closure_forms import CONTACT_FIELDS, ClosureFormForm
from .models import ClosureForm, Questionnaire, QuestionnaireVersion
from .questionnaires import current_version

CLOSURE_ROLES = (Role.COORDINATOR, Role.LINE_MANAGER, Role.QA_LEAD)
DUE_PAGE_SIZE = 50


@roles_required(*CLOSURE_ROLES)
def closure_list(request):
    paginator = Paginator(closure.closure_forms_due(request.user), DUE_PAGE_SIZE)
    number, missing = page_number(request.GET.get("page"), paginator)
    due = paginator.page(number)
    return render(
        request,
        "voice/closure/list.html",
        {
            "due": due,
            "missing_page": missing,
            "pagination": pagination(request.GET, due),
            "completed": closure.recently_completed(request.user),
            "recent_limit": closure.RECENTLY_COMPLETED,
        },
    )


def _version_posted(request):
    """The version the person was shown (carried in the form), so the answers are stored with
    the questions they answered; the version in force when there is none."""
    raw = request.POST.get("version", "")
    if raw.isdigit():
        version = (
            QuestionnaireVersion.objects.filter(
                pk=int(raw), questionnaire__kind=Questionnaire.Kind.CLOSURE
            )
            .select_related("questionnaire")
            .first()
        )
        if version is not None:
            return version
    return current_version(Questionnaire.Kind.CLOSURE)


def _show_refusal(form, refused):
    """Puts the service's reasons on the form's fields; True when it could."""
    placed = False
    for key, message in refused.errors.items():
        name = CONTACT_FIELDS.get(key, key)
        if name in form.fields:
            form.add_error(name, message)
            placed = True
    return placed


@roles_required(*CLOSURE_ROLES)
def closure_form(request, eha_pk):
    eha = get_object_or_404(
        visible_assessments(request.user).select_related(
            "lead_agency", "closure_form__version", "closure_form__completed_by"
        ),
        pk=eha_pk,
    )
    # A child-level record: every view is logged, who and when, before the page is shown. The
    # page's address is the EHA's, so the entry names the EHA, whether or not the form is done.
    record_view(
        request=request, record_type="closure_form", record_id=eha.pk, record_label=eha.reference
    )
    try:
        done = eha.closure_form
    except ClosureForm.DoesNotExist:
        done = None
    if done is not None:
        if request.method == "POST":
            messages.info(request, "The closure form for this EHA has already been completed")
            return redirect("closure:form", eha_pk=eha.pk)
        return render(
            request,
            "voice/closure/closure_form_read.html",
            {"eha": eha, "done": done, "sections": closure.answers_by_section(done)},
        )
    if eha.status != EarlyHelpAssessment.Status.CLOSED:
        return render(request, "voice/closure/not_closed.html", {"eha": eha})

    if request.method == "POST":
        version = _version_posted(request)
        form = ClosureFormForm.for_version(version, data=request.POST)
        if form.is_valid():
            contact = form.contact
            try:
                closure.complete(
                    eha,
                    answers=form.answers(),
                    version=version,
                    consent=contact.consent,
                    method=contact.method,
                    email=contact.email,
                    phone=contact.phone,
                    by=request.user,
                )
            except closure.ClosureRefused as refused:
                if not _show_refusal(form, refused):
                    messages.info(request, refused.message)
                    return redirect("closure:form", eha_pk=eha.pk)
            else:
                messages.success(request, f"The closure form for {eha.reference} has been saved")
                return redirect("closure:list")
    else:
        version = current_version(Questionnaire.Kind.CLOSURE)
        form = ClosureFormForm.for_version(version)
    return render(
        request, "voice/closure/closure_form.html", {"eha": eha, "form": form, "version": version}
    )
