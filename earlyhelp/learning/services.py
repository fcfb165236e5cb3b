"""Tagging an audit with learning themes, and who may do it.

The rules:

- **Who.** The QA lead may tag any audit; an auditor only an audit assigned to them. Nobody else
  tags, whatever else they may read.
- **When.** Once the audit has been started: in progress, submitted, shared or closed. Themes
  come from what the audit found, and a planned audit has found nothing yet. Tags are not part of
  the audit's answers, so they can still change after submission (the QA lead adds themes while
  moderating, say) without reopening the audit.
- **What.** `tag_audit` makes the audit's themes exactly the ones given. A theme can be added only
  while it is in use (active). A retired theme already on the audit stays there as long as it is
  among the ones given, that is, as long as the person leaves it ticked; once removed it cannot
  be added again. So retiring a theme never changes past audits, and nobody tags with it afresh.
- A tag that stays keeps who added it and when; only new tags are recorded with the person
  saving now.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone

from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit

from .models import AuditTheme, LearningTheme

# The statuses in which an audit can be tagged: everything after planned.
TAGGABLE_STATUSES = (
    Audit.Status.IN_PROGRESS,
    Audit.Status.SUBMITTED,
    Audit.Status.SHARED,
    Audit.Status.CLOSED,
)


class TaggingRefused(Exception):
    """This person may not tag this audit (see `may_tag`)."""


class ThemeNotAvailable(ValueError):
    """A retired theme that is not already on the audit cannot be added to it."""


@dataclass(frozen=True)
class TagChange:
    added: list
    removed: list

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def may_tag(user, audit) -> bool:
    """Whether this person may change the learning themes of this audit: the QA lead any audit,
    an auditor their own, and only once the audit has been started."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if audit.status not in TAGGABLE_STATUSES:
        return False
    if user.has_role(Role.QA_LEAD):
        return True
    return user.has_role(Role.AUDITOR) and audit.auditor_id == user.pk


def themes_offered(audit):
    """The themes a person may tick for this audit: every theme in use, and any retired theme
    already on it (so that it can stay or be removed). In use first, then by name."""
    return list(
        LearningTheme.objects.filter(Q(is_active=True) | Q(audits=audit))
        .distinct()
        .order_by("-is_active", Lower("name"))
    )


@transaction.atomic
def tag_audit(audit, themes, by) -> TagChange:
    """Makes the audit's learning themes exactly `themes`, recording who added each new one and
    when. Raises TaggingRefused if `by` may not tag it, and ThemeNotAvailable for a retired
    theme that is not already on the audit."""
    if not may_tag(by, audit):
        raise TaggingRefused
    wanted = {theme.pk: theme for theme in themes}
    current = set(AuditTheme.objects.filter(audit=audit).values_list("theme_id", flat=True))
    new_ids = set(wanted) - current
    # Read again rather than trusting the objects given: a theme may have been retired since.
    retired = LearningTheme.objects.filter(pk__in=new_ids, is_active=False)
    if retired.exists():
        names = ", ".join(theme.name for theme in retired)
        raise ThemeNotAvailable(f"No longer in use, so it cannot be added: {names}")
    gone_ids = current - set(wanted)
    removed = list(LearningTheme.objects.filter(pk__in=gone_ids).order_by(Lower("name")))
    AuditTheme.objects.filter(audit=audit, theme_id__in=gone_ids).delete()
    now = timezone.now()
    # Someone saving the same audit at the same moment may have added the same theme: theirs
    # stands, and this save does not fail.
    AuditTheme.objects.bulk_create(
        [AuditTheme(audit=audit, theme_id=pk, tagged_by=by, tagged_at=now) for pk in new_ids],
        ignore_conflicts=True,
    )
    added = sorted((wanted[pk] for pk in new_ids), key=lambda theme: theme.name.lower())
    return TagChange(added=added, removed=removed)


def themes_with_counts():
    """Every theme with how many audits are tagged with it (`audit_count`), in use first, then
    by name. One query."""
    return LearningTheme.objects.annotate(audit_count=Count("audits")).order_by(
        "-is_active", Lower("name")
    )
