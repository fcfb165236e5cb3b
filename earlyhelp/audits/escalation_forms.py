"""The escalation pages' forms: the register's status filter and the manager's response."""

from django import forms

from earlyhelp.core.forms import GovUKForm

from .escalation import OVERDUE
from .models import Escalation

# Long enough for a considered answer; the character count shows how much is left.
ANSWER_MAX_LENGTH = 5000

STATUS_CHOICES = [
    ("", "Any status"),
    (OVERDUE, "Overdue: not acknowledged in time"),
    *Escalation.Status.choices,
]


class RegisterFilterForm(GovUKForm):
    """The register's one filter, sent by GET so that a filtered register can be bookmarked."""

    status = forms.ChoiceField(
        label="Status",
        choices=STATUS_CHOICES,
        required=False,
        widget=forms.Select(attrs={"class": "govuk-!-width-full"}),
    )


class ResponseForm(GovUKForm):
    """The line manager's response to an escalation and what has been done. Either may be saved
    on its own and changed later; marking it resolved needs the response, and ends it."""

    response = forms.CharField(
        label="Your response",
        help_text="What you have found, and what you make of the audit's findings.",
        required=False,
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    action_taken = forms.CharField(
        label="What has been done",
        help_text="For example, a case discussion with the coordinator, a referral, a new plan.",
        required=False,
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    resolved = forms.BooleanField(
        label="Mark as resolved",
        help_text="Once resolved, the escalation can no longer be changed.",
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        response = (cleaned.get("response") or "").strip()
        action = (cleaned.get("action_taken") or "").strip()
        if "response" in self.errors:
            return cleaned
        if cleaned.get("resolved") and not response:
            self.add_error("response", "Enter your response before marking it as resolved")
        elif not (response or action or cleaned.get("resolved")):
            self.add_error("response", "Enter your response, or what has been done")
        return cleaned
