from django import forms

from earlyhelp.accounts.filter_fields import (
    agency_type_filter,
    district_filter,
    full_width_select,
    lead_agency_filter,
)
from earlyhelp.core.forms import GovUKForm, WholeNumberField

from .models import EarlyHelpAssessment
from .selectors import DEFAULT_SORT, SORTS

YES_NO = [("", "Yes or no"), ("yes", "Yes"), ("no", "No")]
MAX_MONTHS = 600  # 50 years: anything longer is a typing mistake, not a question


class CaseFilterForm(GovUKForm):
    """The case list's filters. Sent by GET, so a filtered list can be bookmarked and shared,
    and works without JavaScript. Every field is optional: empty means "any"."""

    reference = forms.CharField(
        label="EHA or family reference",
        help_text="The whole reference or how it starts",
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    coordinator = forms.CharField(
        label="Coordinator",
        help_text="Part of their name or e-mail address",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Open or closed"), *EarlyHelpAssessment.Status.choices],
        required=False,
        widget=full_width_select(),
    )
    district = district_filter()
    lead_agency = lead_agency_filter()
    agency_type = agency_type_filter(label="Agency type", empty_label="All agency types")
    open_longer_than = WholeNumberField(
        label="Open for more than",
        help_text="Number of months, for example 6. Shows open EHAs only.",
        min_value=1,
        max_value=MAX_MONTHS,
        required=False,
        width=3,
    )
    step_down = forms.ChoiceField(
        label="Step-down from social care",
        choices=YES_NO,
        required=False,
        widget=full_width_select(),
    )
    # Kept as the filters change, so a sorted list stays sorted. Never an error: an unknown
    # value (an edited address) simply gives the usual order.
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set after the form layer's own messages, which would otherwise replace these.
        self.fields["open_longer_than"].error_messages.update(
            {
                "invalid": "Number of months must be a whole number, like 6",
                "min_value": "Number of months must be 1 or more",
                "max_value": f"Number of months must be {MAX_MONTHS} or fewer",
            }
        )

    def clean_sort(self):
        sort = self.cleaned_data["sort"]
        return sort if sort.lstrip("-") in SORTS else DEFAULT_SORT
