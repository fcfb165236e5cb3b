"""The closure form: "At the end of the Early Help assessment the co-ordinator completes a closure
form with the family".

`closure_forms_due` lists the EHAs a person may see that are recorded as Closed and have no
closure form yet; `complete` records one. The rules for the family's consent to be asked for
feedback live here, in `check_contact`, and the page's form uses the same function, so the page
and any other caller (the demo data, say) are held to the same rules.

Data minimisation: contact details are stored only when the family agrees to be asked, and only
the one the chosen method needs (none for a letter: the lead agency posts it, and the service
holds no address). They are erased once the invitation has gone, by the invitations' own code,
not here.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.cases.selectors import visible_assessments

from .forms import AnswersRefused, checked_answers
from .models import ClosureForm, Questionnaire

Method = ClosureForm.ContactMethod

# How many completed closure forms the list shows, latest first.
RECENTLY_COMPLETED = 20

NO_METHOD = "Select how the family would like to be asked for feedback"
NO_EMAIL = "Enter the e-mail address to send the invitation to"
BAD_EMAIL = "Enter an e-mail address in the correct format, like name@example.com"
NO_PHONE = "Enter the mobile phone number to send the text message to"
BAD_PHONE = "Enter a UK mobile phone number, like 07700 900982 or +44 7700 900982"

# A UK mobile number once spaces, dashes, dots and brackets are taken out: 07 and nine more
# digits, or the same with the country code (+447…, or 00447… as some people write it).
_MOBILE = re.compile(r"^(?:07|\+447|00447)(\d{9})$")
_PHONE_PUNCTUATION = re.compile(r"[\s\-.()]")


class ClosureRefused(Exception):
    """The closure form cannot be recorded. `errors` maps a field ("" for the whole form) to the
    message to show."""

    def __init__(self, errors):
        if isinstance(errors, str):
            errors = {"": errors}
        self.errors = errors
        super().__init__("; ".join(errors.values()))

    @property
    def message(self):
        return "; ".join(self.errors.values())


@dataclass(frozen=True)
class Contact:
    """What is kept about how to ask the family for feedback."""

    consent: bool
    method: str = ""
    email: str = ""
    phone: str = ""


def uk_mobile(raw: str) -> str | None:
    """The number as +447…, or None when it is not a UK mobile number."""
    match = _MOBILE.match(_PHONE_PUNCTUATION.sub("", raw or ""))
    return f"+447{match.group(1)}" if match else None


def check_contact(*, consent, method, email, phone) -> tuple[Contact | None, dict]:
    """Checks the family's answer about feedback. Returns (what to keep, {}) or (None, errors),
    errors keyed by "method", "email" or "phone".

    Without JavaScript every field is on the page, so a person may type an e-mail address and
    then choose "No" or "Letter": anything the answer does not need is dropped, never kept."""
    if not consent:
        return Contact(consent=False), {}
    method = method or ""
    if method not in Method.values:
        return None, {"method": NO_METHOD}
    if method == Method.EMAIL:
        email = (email or "").strip()
        if not email:
            return None, {"email": NO_EMAIL}
        try:
            validate_email(email)
        except ValidationError:
            return None, {"email": BAD_EMAIL}
        return Contact(consent=True, method=method, email=email), {}
    if method == Method.TEXT:
        if not (phone or "").strip():
            return None, {"phone": NO_PHONE}
        number = uk_mobile(phone)
        if number is None:
            return None, {"phone": BAD_PHONE}
        return Contact(consent=True, method=method, phone=number), {}
    return Contact(consent=True, method=method), {}


def _checked_answers(version, answers) -> dict:
    """The answers, checked against the version's own questions as the page checks them."""
    try:
        return checked_answers(version, answers)
    except AnswersRefused as refused:
        unknown = refused.errors.pop("", None)
        if unknown and not refused.errors:
            raise ClosureRefused(unknown.replace("questionnaire", "closure form")) from None
        raise ClosureRefused(refused.errors) from None


# Reading ---------------------------------------------------------------------------------------


def closure_forms_due(user, today=None):
    """The EHAs this person may see that closed in the last CLOSURE_FORM_DUE_DAYS days and have
    no closure form yet, oldest closure first. Who sees which EHA is decided in cases.selectors:
    a coordinator their own, a line manager their team's, the QA lead every one.

    The form is completed *with the family* at the end of the EHA: one closed long ago (say, in
    the history imported when the service started) is no longer due, so it is not listed."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=settings.CLOSURE_FORM_DUE_DAYS)
    return (
        visible_assessments(user)
        .filter(
            status=EarlyHelpAssessment.Status.CLOSED,
            closure_form__isnull=True,
            closure_date__gte=since,
        )
        .select_related("lead_agency")
        .order_by("closure_date", "reference")
    )


def recently_completed(user, limit=RECENTLY_COMPLETED):
    """The latest closure forms this person may see, with their EHA and who completed them."""
    return list(
        ClosureForm.objects.filter(assessment__in=visible_assessments(user))
        .select_related("assessment", "completed_by")
        .order_by("-completed_at", "-pk")[:limit]
    )


def answers_by_section(closure_form):
    """[(section, [(question, answer or None)])] in the version's order, for reading."""
    given = closure_form.answers or {}
    return [
        (section, [(question, given.get(question["id"])) for question in section["questions"]])
        for section in closure_form.version.definition["sections"]
    ]


# Completing ------------------------------------------------------------------------------------


def complete(assessment, *, answers, version, consent, method="", email="", phone="", by):
    """Records the closure form for a closed EHA, all or nothing. Refused (ClosureRefused) when
    the EHA is not closed or already has one, when an answer does not fit the version, or when
    the family's answer about feedback is incomplete."""
    if version.questionnaire.kind != Questionnaire.Kind.CLOSURE:
        raise ClosureRefused("This is not a version of the closure form")
    contact, errors = check_contact(consent=consent, method=method, email=email, phone=phone)
    if errors:
        raise ClosureRefused(errors)
    checked = _checked_answers(version, answers)
    try:
        with transaction.atomic():
            # Read again under a lock, so that two people completing it at once record one form.
            eha = EarlyHelpAssessment.objects.select_for_update().get(pk=assessment.pk)
            if eha.status != EarlyHelpAssessment.Status.CLOSED:
                raise ClosureRefused("This EHA is not recorded as closed")
            if ClosureForm.objects.filter(assessment=eha).exists():
                raise ClosureRefused("The closure form for this EHA has already been completed")
            return ClosureForm.objects.create(
                assessment=eha,
                version=version,
                answers=checked,
                completed_by=by,
                completed_at=timezone.now(),
                feedback_consent=contact.consent,
                contact_method=contact.method,
                contact_email=contact.email,
                contact_phone=contact.phone,
            )
    except IntegrityError:
        # Another request recorded it between the check and the insert.
        raise ClosureRefused("The closure form for this EHA has already been completed") from None
