"""Closed EHAs, closure forms and feedback invitations for the invitation and public form tests.
Every name and reference here is distinctive, so a test can look for it where it must not be."""

import datetime
import itertools

from django.utils import timezone

from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.voice import invitations
from earlyhelp.voice.models import ClosureForm, FeedbackInvitation
from earlyhelp.voice.questionnaires import current_version

from ..cases.factories import EarlyHelpAssessmentFactory, FamilyFactory
from ..factories import AgencyFactory, UserFactory

FAMILY_EMAIL = "zebedee.family@homemail.test"
FAMILY_PHONE = "07700 900461"
COORDINATOR = "Philippa Quartermaine"
AGENCY = "Wetherby Lane Family Hub"


_agencies = itertools.count(1)


def closed_eha(reference=None, *, closed_on=None, agency=None, **fields):
    values = {
        "family": FamilyFactory(),
        "lead_agency": agency or AgencyFactory(name=f"{AGENCY} {next(_agencies)}"),
        "status": EarlyHelpAssessment.Status.CLOSED,
        "closure_date": closed_on or timezone.localdate() - datetime.timedelta(days=3),
        "coordinator_name": COORDINATOR,
        "coordinator_email": "philippa.quartermaine@agency.test",
        **({"reference": reference} if reference else {}),
        **fields,
    }
    return EarlyHelpAssessmentFactory(**values)


def closure_form(eha=None, *, consent=True, method="email", email=FAMILY_EMAIL, phone=FAMILY_PHONE):
    return ClosureForm.objects.create(
        assessment=eha or closed_eha(),
        version=current_version("closure_form"),
        answers={},
        completed_by=UserFactory(),
        feedback_consent=consent,
        contact_method=method if consent else "",
        contact_email=email if consent and method == "email" else "",
        contact_phone=phone if consent and method == "text" else "",
    )


def invitation(eha=None, *, method="letter", source="random", today=None):
    """(invitation, token)."""
    made = invitations.create_invitation(
        eha or closed_eha(),
        source=source,
        method=method,
        today=today or timezone.localdate(),
    )
    return made, invitations.token_of(made)


def fresh(invitation_or_form):
    return type(invitation_or_form).objects.get(pk=invitation_or_form.pk)


def answered(invitation_obj):
    return FeedbackInvitation.objects.get(pk=invitation_obj.pk).used_at is not None
