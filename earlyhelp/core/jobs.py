"""The shared daily job: e-mails that failed to send are tried again."""

import datetime

from django.utils import timezone

from .models import Notification
from .scheduling import daily_job

# Older than this, an unsent e-mail is stale news: the notification in the service stands.
RETRY_FOR = datetime.timedelta(days=7)
# Newer than this, the worker may simply not have reached it yet.
GRACE = datetime.timedelta(hours=1)


@daily_job("send e-mails that failed")
def resend_unsent_emails(today: datetime.date) -> int:
    """Enqueues again every e-mail not sent in the last week (a mail server that was down). The
    sending task checks `emailed_at` under a row lock, so an e-mail is never sent twice."""
    from .tasks import send_notification_email

    now = timezone.now()
    unsent = Notification.objects.filter(
        emailed_at__isnull=True, created_at__lt=now - GRACE, created_at__gte=now - RETRY_FOR
    ).values_list("pk", flat=True)
    count = 0
    for pk in unsent:
        send_notification_email.enqueue(pk)
        count += 1
    return count
