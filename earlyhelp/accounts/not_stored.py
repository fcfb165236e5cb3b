"""Pages shown to a signed-in person are not kept by the browser or by any cache between.

Nearly every page behind sign-in names a child, a family or a practitioner. Many staff share
computers (a children's centre, a school office): without this, after one person signs out the
next could press Back, or open the browser's history, and read the pages from the browser's
store. `Cache-Control: private, no-store` asks the browser and any proxy to keep nothing.
Static files (served before this runs) and pages for people not signed in are left as they
are; a view that sets its own Cache-Control keeps it and gains these two directives.
"""

from django.utils.cache import patch_cache_control


class SignedInPagesNotStoredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The user as it was when the view ran: signing out shows the signed-out page to
        # someone no longer signed in, and that page names no one.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
