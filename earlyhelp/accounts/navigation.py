"""The service navigation. A person sees a link only if the page's own access rule lets them in,
so the menu can never offer a page that would answer 403."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from .access import rule_at
from .roles import Role

# (label, URL name) in the order shown. Later stages of the cycle add their pages here.
# The QA lead's family feedback invitations, staff survey rounds and closure forms are reached
# from "Voice results", and the performance data from the dashboard (OFFERED_ONLY_TO), so that
# their menu stays short enough to read.
NAVIGATION = [
    ("Home", "pages:home"),
    ("Dashboard", "dashboard"),
    ("Cases", "cases:list"),
    ("My audits", "audit_lists:mine"),
    ("Audits", "audit_lists:all"),
    ("Dip samples", "sampling:list"),
    ("Drift", "drift:worklist"),
    ("Learning", "findings:index"),
    ("Actions", "actions:list"),
    ("Escalations", "escalations:list"),
    ("Audit feedback", "feedback:list"),
    ("Closure forms", "closure:list"),
    ("Voice results", "voice_results:index"),
    ("Reports", "report-list"),
    ("Performance data", "performance"),
    ("Imports", "imports:history"),
    ("Standards", "standards:index"),
    ("Notifications", "notifications:list"),
    ("Your account", "accounts:account"),
    ("Administration", "admin:index"),
]


# Items offered only to people holding one of these roles (as well as passing the page's rule).
OFFERED_ONLY_TO = {
    "closure:list": {Role.COORDINATOR, Role.LINE_MANAGER},
    "performance": {Role.PARTNERSHIP_VIEWER, Role.DATA_OFFICER},
}


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool
    unread: int | None = None  # for "Notifications": how many are unread


def items_for(user, current_path=""):
    offered = []
    for label, url_name in NAVIGATION:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        rule = rule_at(url)
        if rule is None or rule.public or not rule.allows(user):
            continue
        if url_name in OFFERED_ONLY_TO and not user.has_role(*OFFERED_ONLY_TO[url_name]):
            continue
        offered.append((label, url))
    # The current item is the one whose address is the longest start of this page's address,
    # so /audits/mine/ marks "My audits", not also "Audits" (/audits/).
    starts = [
        url
        for _, url in offered
        if current_path == url or (url != "/" and current_path.startswith(url))
    ]
    current = max(starts, key=len, default=None)
    return [
        NavItem(label, url, url == current, _unread(user) if label == "Notifications" else None)
        for label, url in offered
    ]


def _unread(user) -> int:
    from earlyhelp.core.notifications import unread_count

    return unread_count(user)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    return {"navigation": items_for(user, request.path)}
