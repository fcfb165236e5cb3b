"""Voice results: the figures for the QA lead and partnership viewers, their downloads, and the
QA lead's moderation of free-text answers.

Partnership viewers see exactly the aggregates the QA lead sees and the publishable quotes,
never an answer as it was written, a link to one, or an EHA reference. Only the QA lead opens
the free-text answers.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.access import roles_required
from earlyhelp.accounts.roles import Role
from earlyhelp.core.listing import page_number, pagination

from . import exports, moderation
from .results import voice_results
from .results_forms import YES, AnswersFilterForm, ModerationForm, PeriodForm

ANSWERS_PAGE_SIZE = 25

results_readers = roles_required(Role.QA_LEAD, Role.PARTNERSHIP_VIEWER)
qa_lead = roles_required(Role.QA_LEAD)


def _period_form(request):
    """The period form and the period asked for (None if the form has errors)."""
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None
    return form, form.period()


def _query(request):
    """The period's part of this page's address, for the download links."""
    params = request.GET.copy()
    for name in list(params):
        if name != "quarter" and not name.startswith("date_"):
            del params[name]
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


@results_readers
def index(request):
    form, period = _period_form(request)
    context = {
        "form": form,
        "results": voice_results(period) if period else None,
        "is_qa_lead": request.user.has_role(Role.QA_LEAD),
        "query": _query(request),
    }
    return render(request, "voice/results/index.html", context)


def _download(request, write, content_type, extension):
    _form, period = _period_form(request)
    if period is None:
        return redirect(reverse("voice_results:index") + _query(request))
    body = write(voice_results(period))
    response = HttpResponse(body, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    name = f"voice-results-{exports.file_part(period)}-{stamp}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@results_readers
def results_csv(request):
    return _download(request, exports.csv_text, "text/csv; charset=utf-8", "csv")


@results_readers
def results_xlsx(request):
    return _download(
        request,
        exports.xlsx_bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    )


@qa_lead
def answers(request):
    form = AnswersFilterForm(request.GET or None)
    kind = status = None
    if form.is_bound and form.is_valid():
        kind = form.cleaned_data["kind"] or None
        status = form.cleaned_data["status"] or None
    found = moderation.free_text_answers(kind, status) if not form.errors else []
    paginator = Paginator(found, ANSWERS_PAGE_SIZE)
    number, missing = page_number(request.GET.get("page"), paginator)
    page = paginator.get_page(number)
    context = {
        "form": form,
        "page": page,
        "pagination": pagination(request.GET, page),
        "missing_page": missing,
        "count": len(found),
        "waiting": moderation.next_waiting(),
    }
    return render(request, "voice/results/answers.html", context)


@qa_lead
def moderate(request, kind, pk, question_id):
    answer = moderation.find_answer(kind, pk, question_id)
    if answer is None:
        raise Http404
    if not answer.may_publish:
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return render(request, "voice/results/moderate.html", {"answer": answer, "form": None})
    quote = answer.quote
    initial = {
        "text": quote.moderated_text if quote else answer.text,
        "publishable": (YES if quote.publishable else "no") if quote else None,
    }
    form = ModerationForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        publishable = form.cleaned_data["publishable"] == YES
        moderation.save_quote(
            answer, text=form.cleaned_data["text"], publishable=publishable, by=request.user
        )
        saved = "publishable" if publishable else "not to be published"
        following = moderation.next_waiting(after=answer)
        if following is None:
            messages.success(
                request, f"The quote was saved as {saved}. No answers are waiting to be moderated"
            )
            return redirect("voice_results:answers")
        messages.success(
            request,
            f"The quote was saved as {saved}. This is the next answer waiting to be moderated",
        )
        return redirect(
            "voice_results:moderate",
            kind=following.kind,
            pk=following.pk,
            question_id=following.question_id,
        )
    return render(request, "voice/results/moderate.html", {"answer": answer, "form": form})
