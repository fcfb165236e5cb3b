"""The drift worklist's filters and the four things an officer records about a drifting plan."""

from django import forms
from django.utils import timezone

from earlyhelp.accounts.filter_fields import district_filter, full_width_select, lead_agency_filter
from earlyhelp.core.forms import GovUKDateField, GovUKForm

from . import drift

LONG_TEXT = 2000

# Sort keys a person may ask for. Anything else gives the usual order: most overdue first.
SORTS = ("overdue", "reference", "district", "lead_agency", "start_date", "last_review")
DEFAULT_SORT = "-overdue"


def _text(label, help_text="", required=True, message="", max_length=LONG_TEXT):
    errors = {"required": message} if message else {}
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=max_length,
        error_messages=errors,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DriftFilterForm(GovUKForm):
    """Sent by GET, so a filtered worklist can be bookmarked and works without JavaScript.
    Every field is optional: empty means "any"."""

    district = district_filter()
    lead_agency = lead_agency_filter()
    reason = forms.ChoiceField(label="Reason", required=False, widget=full_width_select())
    # Kept as the filters change, so a sorted list stays sorted. Never an error.
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The rules' wording follows the settings, so the choices are read when the form is made.
        self.fields["reason"].choices = [
            ("", "All reasons"),
            *((rule.code, rule.label) for rule in drift.rules()),
        ]

    def clean_sort(self):
        sort = self.cleaned_data["sort"]
        return sort if sort.lstrip("-") in SORTS else DEFAULT_SORT


class DriftAuditForm(GovUKForm):
    """The QA lead chooses the auditor; an auditor creates the audit for themselves, so the
    form asks them only for the due date."""

    auditor = forms.ModelChoiceField(
        label="Auditor",
        queryset=None,
        empty_label="Choose an auditor",
        error_messages={"required": "Select an auditor"},
    )
    due_date = GovUKDateField(
        label="Due date",
        help_text="For example, 27 3 2027",
        error_messages={"required": "Enter the due date"},
    )

    def __init__(self, *args, auditors=None, **kwargs):
        super().__init__(*args, **kwargs)
        if auditors is None:
            del self.fields["auditor"]
        else:
            self.fields["auditor"].queryset = auditors

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due and due < timezone.localdate():
            raise forms.ValidationError("Due date must be today or in the future")
        return due


class DriftContactForm(GovUKForm):
    contacted_on = GovUKDateField(
        label="Date of the contact",
        help_text="For example, 27 3 2026",
        past_or_today=True,
        error_messages={"required": "Enter the date of the contact"},
    )
    outcome = _text(
        "Outcome",
        "What the coordinator told you about the plan, and whether it is making a difference",
        message="Enter the outcome of the contact",
    )
    next_step = _text(
        "Next step (optional)",
        "For example, a review meeting booked for a date, or a drift-triggered audit",
        required=False,
    )


class DriftDismissForm(GovUKForm):
    rule = forms.ChoiceField(
        label="Which reason are you dismissing?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the reason you are dismissing"},
    )
    reason = _text(
        "Why is this not drift?",
        "For example, the review was held but is not yet in EHM",
        message="Enter why this is not drift",
        max_length=1000,
    )

    def __init__(self, *args, reasons, **kwargs):
        """`reasons`: the rules the EHA is drifting on now; only those can be dismissed."""
        super().__init__(*args, **kwargs)
        rule = self.fields["rule"]
        rule.choices = [(r.code, r.label) for r in reasons]
        rule.option_hints = {
            drift.TAF_SUPPORT: "This marks the TAF's request as answered. A new request from "
            "the TAF puts the EHA back on the worklist."
        }
        # Set after the form layer's own messages, which would otherwise replace it.
        rule.error_messages["invalid_choice"] = (
            "Select one of the reasons this EHA is drifting on now"
        )


class TafRequestForm(GovUKForm):
    requested_on = GovUKDateField(
        label="Date the TAF asked",
        help_text="For example, 27 3 2026",
        past_or_today=True,
        error_messages={"required": "Enter the date the TAF asked"},
    )
    note = _text(
        "What did the TAF ask for?",
        "The support they asked for, and why they feel progress is not being made",
        message="Enter what the TAF asked for",
    )
