"""The QA lead's family feedback pages: the invitations and their statuses, drawing a random
selection of recently closed families (previewed, then confirmed), and the letters to print.

The rules live in invitations.py; these views parse the request, call a service and render.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from earlyhelp.accounts.access import roles_required
from earlyhelp.accounts.roles import Role
from earlyhelp.core.listing import page_number, pagination

from . import invitations
from .invitation_forms import ConfirmSelectionForm, ListFilterForm, RandomSelectionForm
from .letters import render_letters
from .models import FeedbackInvitation

INVITATIONS_PER_PAGE = 50


def _count_text(page):
    count = page.paginator.count
    if count == 1:
        return "Showing 1 invitation"
    return f"Showing {page.start_index():,} to {page.end_index():,} of {count:,} invitations"


@roles_required(Role.QA_LEAD)
def invitation_list(request):
    today = timezone.localdate()
    form = ListFilterForm(request.GET)
    context = {
        "form": form,
        "counts": invitations.counts(today),
        "statuses": invitations.STATUSES,
        "link_days": invitations.link_days(),
        "reminder_days": invitations.REMINDER_DAYS_BEFORE_EXPIRY,
    }
    if form.is_valid():
        status = form.cleaned_data["status"]
        paginator = Paginator(invitations.invitation_list(status, today), INVITATIONS_PER_PAGE)
        number, missing = page_number(request.GET.get("page"), paginator)
        page = paginator.page(number)
        rows = list(page.object_list)
        for invitation in rows:
            invitation.status = invitations.status_of(invitation, today)
            invitation.status_label = invitations.STATUSES[invitation.status]
        context.update(
            page=page,
            rows=rows,
            missing_page=missing,
            filtered=bool(status),
            status_label=invitations.STATUSES.get(status, ""),
            count_text=_count_text(page),
            pagination=pagination(request.GET, page),
        )
    return render(request, "voice/invitations/list.html", context)


def _preview_context(preview):
    confirm = ConfirmSelectionForm(
        initial={
            "closed_from": preview.closed_from,
            "closed_to": preview.closed_to,
            "how_many": preview.how_many,
            "percentage": preview.percentage,
            "seed": preview.seed,
            "fingerprint": preview.fingerprint,
        }
    )
    return {"preview": preview, "confirm": confirm}


@roles_required(Role.QA_LEAD)
def random_selection(request):
    """Choose the period and how many; see who the seed chooses; confirm to make the letters."""
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    form = RandomSelectionForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            preview = invitations.preview_selection(
                data["closed_from"],
                data["closed_to"],
                how_many=data["how_many"],
                percentage=data["percentage"],
                seed=data["seed"],
            )
        except invitations.SelectionError as error:
            form.add_error(None, str(error))
        else:
            if preview.chosen:
                return render(
                    request, "voice/invitations/random_preview.html", _preview_context(preview)
                )
            form.add_error(
                None,
                "No family can be chosen: no EHA closed in this period is waiting for an "
                "invitation. Choose another period.",
            )
    return render(
        request,
        "voice/invitations/random.html",
        {"form": form, "link_days": invitations.link_days()},
    )


def _confirm(request):
    form = ConfirmSelectionForm(request.POST)
    if not form.is_valid():
        messages.info(request, "The selection could not be read. Choose the families again.")
        return redirect("invitations:random")
    data = form.cleaned_data
    try:
        selection = invitations.draw_random_selection(
            data["closed_from"],
            data["closed_to"],
            how_many=data["how_many"],
            percentage=data["percentage"],
            seed=data["seed"],
            by=request.user,
            expect=data["fingerprint"],
        )
    except invitations.SelectionChanged as changed:
        preview = invitations.preview_selection(
            data["closed_from"],
            data["closed_to"],
            how_many=data["how_many"],
            percentage=data["percentage"],
            seed=data["seed"],
        )
        if not preview.chosen:
            messages.info(request, str(changed))
            return redirect("invitations:random")
        return render(
            request,
            "voice/invitations/random_preview.html",
            {**_preview_context(preview), "changed": str(changed)},
        )
    except invitations.SelectionError as error:
        messages.info(request, str(error))
        return redirect("invitations:random")
    messages.success(
        request,
        f"{selection.chosen} letter invitation{'s' if selection.chosen != 1 else ''} "
        f"made (seed {selection.seed}). Print the letters and send them to the lead agencies.",
    )
    return redirect("invitations:list")


def _pdf_response(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    # The codes open the families' forms: like every page for someone signed in, it is sent
    # with Cache-Control: private, no-store (accounts/not_stored.py).
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@roles_required(Role.QA_LEAD)
def letters(request):
    """POST: every letter not printed yet, as one PDF, marked printed in the same transaction.
    A GET only shows the list: printing changes what is waiting, so it needs the button."""
    if request.method != "POST":
        return redirect("invitations:list")
    today = timezone.localdate()
    with transaction.atomic():
        waiting = list(invitations.letters_to_print().select_for_update(of=("self",)))
        if not waiting:
            messages.info(request, "There are no letters waiting to be printed")
            return redirect("invitations:list")
        invitations.mark_printed(waiting, today)
        content = render_letters(waiting)
    return _pdf_response(content, f"feedback-letters-{today.isoformat()}.pdf")


@roles_required(Role.QA_LEAD)
def letter(request, pk):
    """One letter again (or for the first time), for a letter invitation not answered yet."""
    invitation = get_object_or_404(
        FeedbackInvitation.objects.select_related("assessment__lead_agency"),
        pk=pk,
        method=FeedbackInvitation.Method.LETTER,
    )
    today = timezone.localdate()
    status = invitations.status_of(invitation, today)
    if status in (invitations.ANSWERED, invitations.EXPIRED):
        messages.info(
            request,
            f"The invitation for {invitation.assessment.reference} has been "
            f"{'answered' if status == invitations.ANSWERED else 'left until it expired'}: "
            "there is no letter to print",
        )
        return redirect("invitations:list")
    with transaction.atomic():
        invitations.mark_printed([invitation], today)
        content = render_letters([invitation], covering_page=False)
    return _pdf_response(content, f"feedback-letter-{invitation.pk}.pdf")
