"""A person's own notifications: the list, opening one, and marking them all as read.

Everyone signed in has a list; nobody sees anyone else's. A notification that is not yours is
answered with 404, as if it did not exist.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from earlyhelp.accounts.access import signed_in
from earlyhelp.core.listing import page_number, pagination

from . import notifications
from .models import Notification

PAGE_SIZE = 25


def _count_text(page) -> str:
    count = page.paginator.count
    if count == 1:
        return "Showing 1 notification"
    if page.paginator.num_pages == 1:
        return f"Showing {count:,} notifications"
    return f"Showing {page.start_index():,} to {page.end_index():,} of {count:,} notifications"


@signed_in
def notification_list(request):
    paginator = Paginator(notifications.for_user(request.user), PAGE_SIZE)
    number, missing = page_number(request.GET.get("page"), paginator)
    page = paginator.page(number)
    unread = notifications.unread_count(request.user) if paginator.count else 0
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "missing_page": missing,
            "unread": unread,
            "count_text": _count_text(page),
            "pagination": pagination(request.GET, page),
        },
    )


def _local_path(url) -> str | None:
    """The notification's address if it is a path on this service, else None."""
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return None


@signed_in
def open_notification(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications.mark_read(request.user, notification.pk)
    return redirect(_local_path(notification.url) or "notifications:list")


@signed_in
@require_POST
def mark_all_read(request):
    if notifications.mark_read(request.user):
        messages.success(request, "All your notifications are marked as read")
    return redirect("notifications:list")
