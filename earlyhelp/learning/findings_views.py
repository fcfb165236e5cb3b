"""Learning: the findings of a period, the audits behind a figure, and closing the loop.

The QA lead, auditors and partnership viewers read the findings and the close-the-loop pages.
Partnership viewers see the numbers only: no link to an audit, no EHA reference, no list of
audits and no action's evidence as written. The audits behind a figure are listed for the QA
lead and auditors, narrowed to the audits each may see (`visible_audits`).
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from earlyhelp.accounts.access import offered_url, roles_required
from earlyhelp.accounts.roles import Role
from earlyhelp.audits.selectors import audit_url, visible_audits
from earlyhelp.core.listing import page_number, pagination

from . import findings
from .findings_forms import FigureForm, FindingsPeriodForm
from .models import LearningTheme, Recommendation

AUDITS_PAGE_SIZE = 50
RECOMMENDATIONS_SHOWN = 20

readers = roles_required(Role.QA_LEAD, Role.AUDITOR, Role.PARTNERSHIP_VIEWER)
drillers = roles_required(Role.QA_LEAD, Role.AUDITOR)


def may_see_audits(user) -> bool:
    return user.has_role(Role.QA_LEAD, Role.AUDITOR)


def _period(request):
    form = FindingsPeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None
    return form, form.period()


@readers
def index(request):
    form, period = _period(request)
    user = request.user
    context = {
        "form": form,
        "found": findings.findings(period) if period else None,
        "may_see_audits": may_see_audits(user),
        "themes_url": offered_url(user, "learning:themes"),
        "actions_url": offered_url(user, "actions:list"),
        "recommendations_url": offered_url(user, "recommendations:list"),
        "training_url": offered_url(user, "recommendations:training"),
        "you_said_url": offered_url(user, "findings:you-said"),
        "recommendations": list(Recommendation.objects.all()[:RECOMMENDATIONS_SHOWN]),
    }
    return render(request, "learning/findings/index.html", context)


def _describe(filters, theme):
    words = []
    if filters["rating"]:
        words.append(f"rated {filters['rating']}")
    if filters["standard"]:
        words.append(f"on standard {filters['standard']}")
    elif filters["section"]:
        words.append(f"on a standard of section {filters['section']}")
    if filters["bottom_line"]:
        words.append(f"where bottom line {filters['bottom_line']} was not evidenced")
    if filters["judgement"]:
        if filters["judgement"] == findings.NO_JUDGEMENT:
            words.append("with no judgement recorded")
        else:
            words.append(f"judged {filters['judgement']}")
    if theme is not None:
        words.append(f"tagged with the learning theme {theme.name}")
    return " ".join(words)


@drillers
def audits(request):
    _form, period = _period(request)
    figure = FigureForm(request.GET)
    if period is None or not figure.is_valid():
        raise Http404("Not a figure of the findings")
    filters = figure.filters()
    theme = None
    if filters["theme"] is not None:
        theme = get_object_or_404(LearningTheme, pk=filters["theme"])
    behind = findings.audits_behind(period, **{**filters, "theme": theme})
    visible = behind.filter(pk__in=visible_audits(request.user).values("pk"))
    found = visible.select_related("assessment", "auditor", "judgement").order_by(
        "-submitted_at", "pk"
    )
    paginator = Paginator(found, AUDITS_PAGE_SIZE)
    number, missing = page_number(request.GET.get("page"), paginator)
    shown = paginator.page(number)
    for audit in shown.object_list:
        audit.url = audit_url(audit.pk)
    back = (
        reverse("findings:index") + "?" + findings.Figure(0, findings.period_filters(period)).query
    )
    context = {
        "period": period,
        "description": _describe(filters, theme),
        "total": behind.count(),
        "page": shown,
        "count": paginator.count,
        "missing_page": missing,
        "pagination": pagination(request.GET, shown),
        "back_url": back,
    }
    return render(request, "learning/findings/audits.html", context)


def _loop_page(request, loop):
    user = request.user
    show_audits = may_see_audits(user)
    audit_ids = [action.audit_id for action in loop.actions if action.audit_id]
    visible_ids = set()
    if show_audits and audit_ids:
        visible_ids = set(
            visible_audits(user).filter(pk__in=audit_ids).values_list("pk", flat=True)
        )
    is_qa_lead = user.has_role(Role.QA_LEAD)
    for action in loop.actions:
        action.audit_link = audit_url(action.audit_id) if action.audit_id in visible_ids else None
        # The QA lead sees every action; others' access to one depends on the action itself.
        action.link = offered_url(user, "actions:detail", [action.pk]) if is_qa_lead else None
    context = {
        "loop": loop,
        "may_see_audits": show_audits,
        "show_evidence": show_audits,
        "index_url": reverse("findings:index"),
        "actions_url": offered_url(user, "actions:list"),
    }
    return render(request, "learning/findings/loop.html", context)


@readers
def loop(request, pk):
    theme = get_object_or_404(LearningTheme, pk=pk)
    return _loop_page(request, findings.loop_for_theme(theme))


@readers
def loop_recommendation(request, pk):
    recommendation = get_object_or_404(Recommendation.objects.select_related("theme"), pk=pk)
    return _loop_page(request, findings.loop_for_recommendation(recommendation))


@readers
def you_said(request):
    """What families told us and what was done: for the partnership as well as the team, so it
    shows only what the QA lead wrote to be published and the action's title, never evidence."""
    return render(
        request,
        "learning/findings/you_said.html",
        {
            "rows": findings.you_said_we_did(),
            "actions_url": offered_url(request.user, "actions:list"),
        },
    )
