"""Deny by default: every view declares who may use it, and one middleware enforces it.

A view is reachable only if it carries an access rule, given with one of the decorators below:

    @public                      anyone, signed in or not (sign-in page, accessibility statement)
    @signed_in                   any signed-in person, whatever their roles
    @roles_required(Role.X, …)   signed-in people holding at least one of these roles

A view without a rule answers 403 to everyone, so forgetting to declare one fails safe, and the
URL-walk test (tests/test_access_rules.py) fails loudly. Object-level rules (an agency sees only
its own records) are applied on top of these by each app's selectors.
"""

import logging
from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, resolve, reverse

from .roles import Role

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AccessRule:
    """Who may use a view. `roles` empty means any signed-in person."""

    public: bool = False
    roles: frozenset = frozenset()

    def allows(self, user) -> bool:
        if self.public:
            return True
        if not user.is_authenticated or not user.is_active:
            return False
        return not self.roles or user.has_role(*self.roles)

    def describe(self) -> str:
        if self.public:
            return "anyone"
        if not self.roles:
            return "any signed-in person"
        return ", ".join(sorted(Role(r).label for r in self.roles))


PUBLIC = AccessRule(public=True)
SIGNED_IN = AccessRule()
ADMINISTRATORS = AccessRule(roles=frozenset({Role.ADMINISTRATOR}))

# URL namespaces whose views come from libraries we do not decorate ourselves.
NAMESPACE_RULES = {"admin": ADMINISTRATORS}


def _declare(view, rule):
    view.access_rule = rule
    return view


def public(view):
    return _declare(view, PUBLIC)


def signed_in(view):
    return _declare(view, SIGNED_IN)


def roles_required(*roles):
    if not roles:
        raise ValueError("roles_required needs at least one role; use signed_in for anyone")
    rule = AccessRule(roles=frozenset(Role(r) for r in roles))
    return lambda view: _declare(view, rule)


def rule_for(view_func, namespaces=()) -> AccessRule | None:
    """The rule a view declared, looking through class-based views and known namespaces."""
    rule = getattr(view_func, "access_rule", None)
    if rule is None:
        rule = getattr(getattr(view_func, "view_class", None), "access_rule", None)
    if rule is None:
        for namespace in namespaces:
            if namespace in NAMESPACE_RULES:
                return NAMESPACE_RULES[namespace]
    return rule


def rule_at(url: str) -> AccessRule | None:
    """The rule of the view that answers `url`."""
    match = resolve(url)
    return rule_for(match.func, match.namespaces)


def offered_url(user, name, args=(), query="") -> str | None:
    """The address of a page (with `query` after it), if the page exists and its own rule lets
    this person in; else None. So no link offered can lead to a refusal, and a page another part
    of the service has not built yet is simply not linked."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None
    rule = rule_at(url)
    if rule is None or not rule.allows(user):
        return None
    return url + query


class AccessPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        rule = rule_for(view_func, match.namespaces if match else ())
        if rule is None:
            logger.error("Refused %s: its view declares no access rule", request.path)
            request.refused_by_access_policy = True
            raise PermissionDenied("This page declares no access rule.")
        if rule.allows(request.user):
            return None
        if not request.user.is_authenticated:
            if request.method == "POST":
                stash_post(request)
            return redirect_to_login(request.get_full_path())
        # Marked so that tests can tell this refusal from a view's own (a bad parameter, say).
        request.refused_by_access_policy = True
        raise PermissionDenied


# What a person was sending when their session ran out, kept for them until they sign in again
# (the session survives signing in). Only the latest is kept, and only if it is not too large.
_STASH = "post_before_sign_in"
_STASH_LIMIT = 200_000


def stash_post(request):
    data = {k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"}
    if sum(len(v) for values in data.values() for v in values) <= _STASH_LIMIT:
        request.session[_STASH] = {"path": request.path, "data": data}


def take_stashed_post(request):
    """The form data stashed for this page, as a QueryDict, or None. Taken once."""
    from django.http import QueryDict

    stashed = request.session.get(_STASH)
    if not stashed or stashed.get("path") != request.path:
        return None
    del request.session[_STASH]
    posted = QueryDict(mutable=True)
    for key, values in stashed["data"].items():
        posted.setlist(key, values)
    return posted
