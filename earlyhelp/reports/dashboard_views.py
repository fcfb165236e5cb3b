"""The dashboard: the six questions answered with the latest figures, for the QA lead and the
partnership. Every link to evidence is offered only where that page's own access rule lets the
person in (`offered_url`), so a partnership viewer is never offered a case, an audit or a list of
audits."""

from django.shortcuts import render

from earlyhelp.accounts.access import offered_url, roles_required
from earlyhelp.accounts.roles import Role

from .dashboard import dashboard
from .dashboard_forms import DashboardFilterForm

readers = roles_required(Role.QA_LEAD, Role.PARTNERSHIP_VIEWER)


def _links(user, card):
    links = []
    for evidence in card.evidence:
        url = offered_url(user, evidence.url_name, evidence.args)
        if url:
            links.append((evidence.label, url + evidence.query))
    return links


@readers
def index(request):
    form = DashboardFilterForm(request.GET or None)
    figures = None
    if not form.is_bound or form.is_valid():
        period, district, agency_type = form.choices()
        figures = dashboard(period, district, agency_type)
        for card in figures.cards:
            card.links = _links(request.user, card)
    context = {
        "form": form,
        "dashboard": figures,
        # The other aggregate pages, offered to whoever may open them.
        "also": [
            (label, url)
            for label, name in (
                ("Quarterly reports", "report-list"),
                ("Performance data from the EHM data report", "performance"),
            )
            if (url := offered_url(request.user, name, ()))
        ],
    }
    return render(request, "reports/dashboard/index.html", context)
