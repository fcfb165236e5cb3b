"""The practitioner's response to an audit's feedback, as a GOV.UK form. Every answer is needed."""

from django import forms

from earlyhelp.core.forms import GovUKForm

from .models import AuditShare

RESPONSE_LENGTH = 5000


def _long_answer(label, help_text, missing):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=RESPONSE_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": missing},
    )


class RespondForm(GovUKForm):
    agrees = forms.ChoiceField(
        label="Do you agree with the judgement?",
        choices=AuditShare.Agreement.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you agree with the judgement"},
    )
    reflection = _long_answer(
        "Your reflection",
        "What you think of the audit's findings: what you recognise, and anything you see "
        "differently",
        "Enter your reflection on the audit",
    )
    will_do = _long_answer(
        "What you will do",
        "What you will do differently or next for this family and in your practice, and by when",
        "Enter what you will do",
    )


class ShareForm(GovUKForm):
    """Sharing takes no answers: the form only carries the button (and its CSRF token)."""
