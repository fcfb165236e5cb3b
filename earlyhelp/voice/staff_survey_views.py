"""The staff survey's pages: the QA lead's rounds, opening and closing a round and reading its
results; and the public, anonymous page that answers it from the shared link.

The answer views never read request.user, the session or the network address: whoever is or is
not signed in, a response holds only what `staff_survey.answer` stores. A link that cannot be
answered gets a page of its own, never a 404 raised (which would put the code in the log with
a "Not Found" line).
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from earlyhelp.accounts.access import public, roles_required
from earlyhelp.accounts.roles import Role

from . import staff_survey
from .models import StaffSurveyRound
from .staff_survey import LinkProblem, SurveyError
from .staff_survey_forms import RoundForm, StaffAskedForm, StaffSurveyAnswerForm
from .suppression import SMALLEST_GROUP

# The QA lead's pages ------------------------------------------------------------------------------


@roles_required(Role.QA_LEAD)
def rounds(request):
    today = timezone.localdate()
    listed = [
        {
            "round": survey_round,
            "status": staff_survey.status(survey_round, today),
            "audience": staff_survey.describe_audience(
                survey_round.agency_types.all(), survey_round.agencies.all()
            ),
        }
        for survey_round in staff_survey.rounds_for_list()
    ]
    return render(request, "voice/staff_survey/rounds.html", {"rounds": listed})


@roles_required(Role.QA_LEAD)
def new(request):
    form = RoundForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            survey_round = staff_survey.open_round(
                data["name"],
                data["opens_on"],
                data["closes_on"],
                data["agency_types"],
                data["agencies"],
                by=request.user,
                today=form.today,
                staff_asked=data["staff_asked"],
            )
        except SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The survey round has been set up. Share its link below.")
            return redirect("staff_survey:round", pk=survey_round.pk)
    return render(request, "voice/staff_survey/new.html", {"form": form})


def _round(pk):
    return get_object_or_404(
        StaffSurveyRound.objects.select_related("version", "created_by").prefetch_related(
            "agency_types", "agencies"
        ),
        pk=pk,
    )


@roles_required(Role.QA_LEAD)
def round_detail(request, pk):
    survey_round = _round(pk)
    today = timezone.localdate()
    link = request.build_absolute_uri(reverse("staff_survey:answer", args=[survey_round.link_code]))
    results = staff_survey.results(survey_round)
    return render(
        request,
        "voice/staff_survey/round.html",
        {
            "round": survey_round,
            "status": staff_survey.status(survey_round, today),
            "audience": staff_survey.describe_audience(
                survey_round.agency_types.all(), survey_round.agencies.all()
            ),
            "link": link,
            "results": results,
            "rate": staff_survey.response_rate(survey_round, results.total)[1],
            "comments": staff_survey.comments(survey_round),
            "smallest_group": SMALLEST_GROUP,
        },
    )


@roles_required(Role.QA_LEAD)
def staff_asked(request, pk):
    survey_round = _round(pk)
    if request.method == "POST":
        form = StaffAskedForm(request.POST)
        if form.is_valid():
            staff_survey.record_staff_asked(survey_round, form.cleaned_data["staff_asked"])
            messages.success(request, "The number of staff asked has been saved")
            return redirect("staff_survey:round", pk=survey_round.pk)
    else:
        form = StaffAskedForm(initial={"staff_asked": survey_round.staff_asked})
    return render(
        request, "voice/staff_survey/staff_asked.html", {"round": survey_round, "form": form}
    )


@roles_required(Role.QA_LEAD)
def close(request, pk):
    survey_round = _round(pk)
    today = timezone.localdate()
    if staff_survey.status(survey_round, today) == staff_survey.Status.CLOSED:
        messages.info(request, "This survey round has already closed")
        return redirect("staff_survey:round", pk=survey_round.pk)
    if request.method == "POST":
        staff_survey.close_early(survey_round, today)
        messages.success(request, "The survey round has been closed: its link no longer works")
        return redirect("staff_survey:round", pk=survey_round.pk)
    return render(request, "voice/staff_survey/close.html", {"round": survey_round})


# The public pages ---------------------------------------------------------------------------------

_LINK_PAGES = {
    LinkProblem.UNKNOWN: ("voice/staff_survey/link_unknown.html", 404),
    LinkProblem.NOT_OPEN_YET: ("voice/staff_survey/not_open_yet.html", 200),
    LinkProblem.CLOSED: ("voice/staff_survey/closed.html", 410),
}


def _link_problem_page(request, survey_round, problem):
    template, status = _LINK_PAGES[problem]
    response = render(request, template, {"round": survey_round}, status=status)
    # Django's request log writes the address of every 4xx answer; these addresses carry the
    # link's code, so they are left out of it.
    response._has_been_logged = True
    return response


@public
@never_cache
def answer(request, code):
    today = timezone.localdate()
    survey_round, problem = staff_survey.round_for_link(code, today)
    if problem:
        return _link_problem_page(request, survey_round, problem)
    form = StaffSurveyAnswerForm.for_version(
        survey_round.version,
        request.POST if request.method == "POST" else None,
        agency_types=staff_survey.agency_types_offered(survey_round),
    )
    if form.is_bound and form.is_valid():
        try:
            staff_survey.answer(
                survey_round, form.cleaned_data["agency_type"], form.answers(), today
            )
        except SurveyError as error:
            form.add_error(None, str(error))
        else:
            return redirect("staff_survey:thanks", code=code)
    return render(
        request,
        "voice/staff_survey/answer.html",
        {"round": survey_round, "form": form, "smallest_group": SMALLEST_GROUP},
    )


@public
def thanks(request, code):
    survey_round, problem = staff_survey.round_for_link(code, timezone.localdate())
    if problem == LinkProblem.UNKNOWN:
        return _link_problem_page(request, survey_round, problem)
    # A closed round still thanks whoever answered on its last day and came back after midnight.
    return render(request, "voice/staff_survey/thanks.html", {"round": survey_round})
