"""The family's pages: enter a code from a letter, answer the feedback form from a private link,
and the pages for a link that is used, expired or unknown. Anyone may open them (no account).

What they never do:
- show anything about the family beyond the name of the service that helped them (the EHA's
  lead agency), or the staff navigation, sign-out button or messages of a signed-in person;
- put the token where a server log keeps it. Django logs the path of every response of 400 or
  more ("Not Found: /feedback/…"), so on a token's address every outcome is a designed page
  answered with 200, and the "Too many attempts" page (429) has an address of its own;
- let a browser or a shared computer keep a copy (no-store), or send the address (with its
  token) on as a referrer: only the origin is sent.

Rate limiting: a network address may make FEEDBACK_ATTEMPTS_LIMIT failed attempts (a code or
link that opens nothing) in 10 minutes; after that, every attempt from it is refused with 429
until the 10 minutes are up. The count is kept in the cache under a keyed hash of the address,
never the address itself, and expires with its window.
"""

import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.crypto import salted_hmac

from earlyhelp.accounts.access import public

from . import invitations
from .forms import QuestionnaireForm
from .invitation_forms import CodeForm
from .questionnaires import current_version

DEFAULT_ATTEMPTS_LIMIT = 10
WINDOW_SECONDS = 10 * 60
_RATE_SALT = "earlyhelp.voice.feedback-attempts"


# Rate limiting ---------------------------------------------------------------------------------


def attempts_limit() -> int:
    return getattr(settings, "FEEDBACK_ATTEMPTS_LIMIT", DEFAULT_ATTEMPTS_LIMIT)


def _client_address(request) -> str:
    # Axes reads the address the same way for sign-in lock-outs, trusting as many proxies as
    # the deployment says (TRUSTED_PROXY_COUNT), so both see the same client.
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or ""


def _attempts_key(request) -> str:
    # Keyed with the secret key: a plain hash of an IPv4 address could be reversed by trying
    # every address.
    return (
        "voice:feedback-attempts:" + salted_hmac(_RATE_SALT, _client_address(request)).hexdigest()
    )


def over_the_limit(request) -> bool:
    held = cache.get(_attempts_key(request))
    return bool(held) and held[1] > time.time() and held[0] >= attempts_limit()


def count_failed_attempt(request) -> None:
    """One more failed attempt in this address's window (a fixed window of 10 minutes from its
    first failure). Two at the same moment may count as one: a limit, not an audit."""
    key, now = _attempts_key(request), time.time()
    held = cache.get(key)
    count, until = (0, now + WINDOW_SECONDS) if not held or held[1] <= now else held
    cache.set(key, (count + 1, until), timeout=int(until - now) + 1)


# Rendering -------------------------------------------------------------------------------------

# What a signed-in member of staff would otherwise see on these pages too.
_NOTHING_OF_STAFF = {"navigation": [], "user": AnonymousUser(), "messages": []}


def _page(request, template, context=None, status=200):
    response = render(request, template, {**_NOTHING_OF_STAFF, **(context or {})}, status=status)
    patch_cache_control(response, private=True, no_store=True)
    # The origin only, never the path with the token: not to other sites, and not in the
    # Referer of this page's own stylesheet and scripts, which a web server's log may keep.
    # ("no-referrer" would do as much, but makes browsers send "Origin: null" with the form,
    # which Django's CSRF check refuses.)
    response["Referrer-Policy"] = "strict-origin"
    return response


def _refused(request, opened):
    template = {
        invitations.USED: "voice/public/used.html",
        invitations.EXPIRED: "voice/public/expired.html",
    }.get(opened.reason, "voice/public/unknown.html")
    return _page(request, template, {"invitation": opened.invitation})


# The pages -------------------------------------------------------------------------------------


@public
def start(request):
    """Enter the code from a letter; a code that opens an invitation goes to its form."""
    if request.method == "POST" and over_the_limit(request):
        return _too_many(request)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        token = form.cleaned_data["code"]
        opened = invitations.open_invitation(token, timezone.localdate())
        if opened.invitation is not None:
            return redirect("family_feedback:form", token=token)
        form.add_error(
            "code",
            "We cannot find this code. Check it against your letter and enter it again",
        )
    if form.is_bound and form.errors and request.POST.get("code", "").strip():
        count_failed_attempt(request)
    return _page(request, "voice/public/start.html", {"form": form})


@public
def feedback_form(request, token):
    if over_the_limit(request):
        return redirect("family_feedback:too_many")
    today = timezone.localdate()
    opened = invitations.open_invitation(token, today)
    if opened.reason == invitations.UNKNOWN:
        count_failed_attempt(request)
    if not opened.ok:
        return _refused(request, opened)
    invitation = opened.invitation
    version = current_version("service_user_feedback", today)
    form = QuestionnaireForm.for_version(
        version, request.POST if request.method == "POST" else None
    )
    if form.is_bound and form.is_valid():
        try:
            invitations.submit(invitation, form.answers(), version, today)
        except invitations.FeedbackRefused as refused:
            if refused.reason != invitations.EMPTY:
                return _refused(request, invitations.Opened(invitation, refused.reason))
            form.add_error(None, str(refused))
        else:
            return redirect("family_feedback:thanks")
    return _page(
        request,
        "voice/public/form.html",
        {
            "form": form,
            "version": version,
            "helped_by": invitation.assessment.lead_agency.name,
        },
    )


@public
def thanks(request):
    return _page(request, "voice/public/thanks.html")


def _too_many(request):
    return _page(
        request,
        "voice/public/too_many.html",
        {"minutes": WINDOW_SECONDS // 60},
        status=429,
    )


@public
def too_many(request):
    """Where a token's address sends an address over the limit, so the 429 is logged with this
    path and not the token's. Anyone under the limit is sent to the start page."""
    if not over_the_limit(request):
        return redirect("family_feedback:start")
    return _too_many(request)
