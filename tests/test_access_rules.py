"""Deny by default: every URL declares who may use it, and the declared rule holds for everyone.

This walks the whole URL configuration, so pages added by later work are covered without
anyone remembering to add them here.
"""

import re
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, URLResolver, get_resolver

from earlyhelp.accounts.access import AccessPolicyMiddleware, rule_for
from earlyhelp.accounts.roles import Role

# "path" is "1": the admin's object routes take any text but its history view expects a number.
SAMPLE_VALUES = {
    "int": "1",
    "slug": "sample",
    "uuid": str(uuid.uuid4()),
    "str": "sample",
    "path": "1",
}


def _walk(patterns, prefix="", namespaces=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry, namespaces


def _sample_url(route):
    """A concrete URL for a route, with made-up values for its parameters."""

    def fill(match):
        converter = match.group(1) or "str"
        return SAMPLE_VALUES.get(converter, "sample")

    url = re.sub(r"<(?:(\w+):)?\w+>", fill, route)
    if url.startswith("^"):  # a regular-expression route, as Django's admin uses
        url = re.sub(r"\(\?P<\w+>[^)]*\)", "1", url).lstrip("^").rstrip("$")
        url = url.replace("\\", "")
    return "/" + url


def all_routes():
    return list(_walk(get_resolver().url_patterns))


def _concrete(route):
    # Admin catch-all and regex routes are reached through their concrete examples below.
    return "(?" not in route or route.startswith("admin/")


ROUTES = [
    pytest.param(route, pattern, namespaces, id=route or "/")
    for route, pattern, namespaces in all_routes()
    if _concrete(route)
]


@pytest.mark.parametrize(("route", "pattern", "namespaces"), ROUTES)
def test_every_url_declares_an_access_rule(route, pattern, namespaces):
    assert rule_for(pattern.callback, namespaces) is not None, f"{route} declares no access rule"


def _is_sign_in_redirect(response):
    return response.status_code == 302 and response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize(("route", "pattern", "namespaces"), ROUTES)
def test_anonymous_visitors_reach_only_public_urls(client, db, route, pattern, namespaces):
    rule = rule_for(pattern.callback, namespaces)
    response = client.get(_sample_url(route))
    if rule.public:
        assert not _is_sign_in_redirect(response)
        assert response.status_code != 403
    else:
        assert _is_sign_in_redirect(response), f"{route} answered {response.status_code}"


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_exactly_what_the_rules_allow(client_for, role):
    client = client_for(role)
    user = client.get("/").wsgi_request.user
    checked = 0
    for route, pattern, namespaces in all_routes():
        if not _concrete(route) or "password-reset" in route:
            continue
        rule = rule_for(pattern.callback, namespaces)
        url = _sample_url(route)
        response = client.get(url)
        refused = getattr(response.wsgi_request, "refused_by_access_policy", False)
        if rule.allows(user):
            assert not refused, f"{role} refused at {url}"
            assert not _is_sign_in_redirect(response), f"{role} sent to sign in from {url}"
        else:
            assert refused, f"{role} was not refused at {url}"
            assert response.status_code == 403, f"{role} got {response.status_code} at {url}"
        checked += 1
    assert checked >= 5


def test_a_view_without_a_rule_is_refused_to_everyone(rf, make_user):
    def undeclared(request):
        raise AssertionError("must never run")

    middleware = AccessPolicyMiddleware(lambda request: None)
    request = rf.get("/somewhere/")
    request.user = make_user(*Role)
    request.resolver_match = None
    with pytest.raises(PermissionDenied):
        middleware.process_view(request, undeclared, (), {})


def test_admin_is_for_administrators_only(client_for):
    assert client_for(Role.ADMINISTRATOR).get("/admin/").status_code == 200


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_admin_refuses_every_other_role(client_for, role):
    assert client_for(role).get("/admin/accounts/user/").status_code == 403
