"""Learning themes: tagging one audit, and the list of themes with how often each is used.

Who may open an audit is the audit pages' rule (`may_open`): anyone else is told it does not
exist. Who may change its themes is `services.may_tag`: someone who may open the audit but not
tag it (a planned audit, say) is refused.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from earlyhelp.accounts.access import roles_required
from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit
from earlyhelp.audits.selectors import may_open

from . import services
from .forms import AuditThemesForm


@roles_required(Role.QA_LEAD, Role.AUDITOR)
def audit_themes(request, pk):
    audit = get_object_or_404(Audit.objects.select_related("assessment"), pk=pk)
    if not may_open(request.user, audit):
        raise Http404
    if not services.may_tag(request.user, audit):
        raise PermissionDenied
    offered = services.themes_offered(audit)
    tagged = [str(key) for key in audit.learning_themes.values_list("pk", flat=True)]
    form = AuditThemesForm(
        request.POST if request.method == "POST" else None,
        initial={"themes": tagged},
        themes=offered,
    )
    if form.is_bound and form.is_valid():
        try:
            services.tag_audit(audit, form.cleaned_data["themes"], by=request.user)
        except services.ThemeNotAvailable:
            # Retired between reading the list and saving: the same as an option not listed.
            form.add_error("themes", form.fields["themes"].error_messages["invalid_choice"])
        else:
            messages.success(request, "The learning themes have been saved")
            return redirect(reverse("audits:overview", args=[audit.pk]) + "#learning-themes")
    return render(
        request,
        "learning/audit_themes.html",
        {"audit": audit, "form": form, "has_themes": bool(offered)},
    )


@roles_required(Role.QA_LEAD, Role.AUDITOR)
def themes(request):
    return render(request, "learning/themes.html", {"themes": services.themes_with_counts()})
