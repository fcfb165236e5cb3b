"""Factories for audits. An audit needs a framework version: the CSCP framework that migrate
loads, or that `default_framework_version` loads when a transactional test has flushed it."""

import datetime

import factory
from django.utils import timezone

from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit, BottomLineCheck, StandardRating
from earlyhelp.standards.defaults import load_default_library
from earlyhelp.standards.models import FrameworkVersion, JudgementGrade, Standard

from ..cases.factories import EarlyHelpAssessmentFactory
from ..factories import UserFactory

DEFAULT_FRAMEWORK = "cscp-early-help-qaf"


def default_framework_version():
    """The shipped CSCP framework's version, loading it if the database has been flushed."""
    version = FrameworkVersion.objects.filter(framework__ref_id=DEFAULT_FRAMEWORK).first()
    if version is None:
        load_default_library()
        version = FrameworkVersion.objects.get(framework__ref_id=DEFAULT_FRAMEWORK)
    return version


def grade(label, version=None):
    """The judgement grade with this label ("Good", "Inadequate", …) in a framework version."""
    return JudgementGrade.objects.get(version=version or default_framework_version(), label=label)


class AuditFactory(factory.django.DjangoModelFactory):
    """A planned monthly dip-sample audit due in two weeks, assigned to a new auditor.

    `judged="Good"` makes a submitted audit with that judgement; `with_parts=True` adds the
    rating row for every standard and the check for every bottom line that the service makes.
    """

    class Meta:
        model = Audit
        skip_postgeneration_save = True

    class Params:
        judged = None

    assessment = factory.SubFactory(EarlyHelpAssessmentFactory)
    framework_version = factory.LazyFunction(default_framework_version)
    audit_type = Audit.Type.DIP_SAMPLE
    status = factory.LazyAttribute(
        lambda o: Audit.Status.SUBMITTED if o.judged else Audit.Status.PLANNED
    )
    auditor = factory.SubFactory(UserFactory, roles=(Role.AUDITOR,))
    created_by = factory.SubFactory(UserFactory, roles=(Role.QA_LEAD,))
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    judgement = factory.LazyAttribute(
        lambda o: grade(o.judged, o.framework_version) if o.judged else None
    )
    submitted_at = factory.LazyAttribute(lambda o: timezone.now() if o.judged else None)

    @factory.post_generation
    def with_parts(self, create, extracted, **kwargs):
        if not (create and extracted):
            return
        standards = Standard.objects.filter(section__version=self.framework_version)
        StandardRating.objects.bulk_create(
            StandardRating(audit=self, standard=standard) for standard in standards
        )
        BottomLineCheck.objects.bulk_create(
            BottomLineCheck(audit=self, bottom_line=line)
            for line in self.framework_version.bottom_lines.all()
        )
