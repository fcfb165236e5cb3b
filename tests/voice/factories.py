"""Factories for family voice: closed EHAs, closure forms, feedback invitations, family answers
and quotes, made directly (not through the services), for tests of what is computed from them."""

import datetime

import factory
from django.utils import timezone

from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.voice.models import (
    ClosureForm,
    FeedbackInvitation,
    FeedbackResponse,
    Questionnaire,
    Quote,
)
from earlyhelp.voice.questionnaires import current_version

from ..cases.factories import EarlyHelpAssessmentFactory
from ..factories import UserFactory

SENT_ON = datetime.date(2026, 8, 3)  # in 2026-Q3


def at_midday(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


class ClosedAssessmentFactory(EarlyHelpAssessmentFactory):
    status = EarlyHelpAssessment.Status.CLOSED
    closure_date = SENT_ON


class FeedbackInvitationFactory(factory.django.DjangoModelFactory):
    """An invitation e-mailed on SENT_ON (set `sent_at` for another day)."""

    class Meta:
        model = FeedbackInvitation

    assessment = factory.SubFactory(ClosedAssessmentFactory)
    source = FeedbackInvitation.Source.CONSENT
    method = FeedbackInvitation.Method.EMAIL
    nonce = factory.Sequence(lambda n: f"{n:032x}")
    token_digest = factory.Sequence(lambda n: f"{n:064x}")
    sent_at = factory.LazyFunction(lambda: at_midday(SENT_ON))
    expires_on = factory.LazyAttribute(
        lambda o: timezone.localdate(o.sent_at) + datetime.timedelta(days=28)
    )


class FeedbackResponseFactory(factory.django.DjangoModelFactory):
    """A family's answers (give them as `answers`) to an invitation sent on SENT_ON."""

    class Meta:
        model = FeedbackResponse
        skip_postgeneration_save = True

    invitation = factory.SubFactory(FeedbackInvitationFactory)
    assessment = factory.LazyAttribute(lambda o: o.invitation.assessment)
    version = factory.LazyFunction(lambda: current_version(Questionnaire.Kind.FEEDBACK))
    answers = factory.LazyFunction(dict)
    submitted_on = factory.LazyAttribute(
        lambda o: timezone.localdate(o.invitation.sent_at) + datetime.timedelta(days=2)
    )

    @factory.post_generation
    def used(self, create, extracted, **kwargs):
        if create:
            FeedbackInvitation.objects.filter(pk=self.invitation_id).update(
                used_at=at_midday(self.submitted_on)
            )


class ClosureFormFactory(factory.django.DjangoModelFactory):
    """A closure form (give its `answers`) for an EHA that closed on SENT_ON."""

    class Meta:
        model = ClosureForm

    assessment = factory.SubFactory(ClosedAssessmentFactory)
    version = factory.LazyFunction(lambda: current_version(Questionnaire.Kind.CLOSURE))
    answers = factory.LazyFunction(dict)
    completed_by = factory.SubFactory(UserFactory)
    completed_at = factory.LazyAttribute(lambda o: at_midday(o.assessment.closure_date))
    feedback_consent = False


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    response = factory.SubFactory(FeedbackResponseFactory)
    question_id = "what-was-good"
    moderated_text = "The worker really listened to us."
    publishable = True
    moderated_by = factory.SubFactory(UserFactory)
