from django.shortcuts import redirect, render

from earlyhelp.accounts.access import signed_in

from . import selectors


@signed_in
def standards(request):
    """The standards in force: the first framework's version in force, with links to the rest."""
    in_force = selectors.versions_in_force()
    if len(in_force) == 1:
        return redirect("standards:version", pk=in_force[0].pk)
    return render(
        request,
        "standards/index.html",
        {"in_force": in_force, "versions": selectors.all_versions()},
    )


@signed_in
def version(request, pk):
    shown = selectors.version_with_parts(pk)
    in_force_ids = {v.pk for v in selectors.versions_in_force()}
    others = [v for v in selectors.all_versions() if v.framework_id == shown.framework_id]
    return render(
        request,
        "standards/version.html",
        {
            "version": shown,
            "is_in_force": shown.pk in in_force_ids,
            "other_versions": others,
            "in_force_ids": in_force_ids,
        },
    )
