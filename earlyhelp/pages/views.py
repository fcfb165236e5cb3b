from django.shortcuts import render

from earlyhelp.accounts.access import public, signed_in
from earlyhelp.accounts.roles import ROLE_PURPOSE, Role


@signed_in
def home(request):
    user = request.user
    roles = [
        (Role(code).label, ROLE_PURPOSE[Role(code)]) for code in Role.values if code in user.roles
    ]
    return render(request, "pages/home.html", {"held_roles": roles})


@public
def accessibility(request):
    return render(request, "pages/accessibility.html")


@public
def privacy(request):
    return render(request, "pages/privacy.html")
