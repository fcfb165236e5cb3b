"""Forms for feedback invitations: the QA lead's list filter and random selection, and the
family's code from a letter. All through the GOV.UK form layer."""

from django import forms

from earlyhelp.core.forms import GovUKDateField, GovUKForm

from .invitations import STATUSES
from .tokens import looks_like_a_token, normalise

MAX_FAMILIES = 1000
MAX_SEED = 10**18 - 1


def _number_input(width):
    return forms.TextInput(
        attrs={
            "inputmode": "numeric",
            "spellcheck": "false",
            "class": f"govuk-input--width-{width}",
        }
    )


class ListFilterForm(GovUKForm):
    """The list's one filter, sent by GET so that a filtered list can be bookmarked."""

    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Any status"), *STATUSES.items()],
        required=False,
        widget=forms.Select(attrs={"class": "govuk-!-width-full"}),
    )


class RandomSelectionForm(GovUKForm):
    """Which recently closed families to choose from, how many, and the seed to repeat a draw."""

    closed_from = GovUKDateField(
        label="Closed on or after",
        help_text="For example, 1 4 2026",
        error_messages={"required": "Enter the date the period starts"},
    )
    closed_to = GovUKDateField(
        label="Closed on or before",
        help_text="For example, 30 6 2026",
        error_messages={"required": "Enter the date the period ends"},
    )
    how_many = forms.IntegerField(
        label="Number of families (optional)",
        help_text="Leave this blank to choose a percentage instead",
        required=False,
        min_value=1,
        max_value=MAX_FAMILIES,
        widget=_number_input(4),
        error_messages={
            "min_value": "Number of families must be 1 or more",
            "max_value": f"Number of families must be {MAX_FAMILIES:,} or fewer",
        },
    )
    percentage = forms.IntegerField(
        label="Percentage of families (optional)",
        help_text="For example, 10 for one family in ten. Leave this blank to choose a number.",
        required=False,
        min_value=1,
        max_value=100,
        widget=_number_input(3),
        error_messages={
            "min_value": "Percentage of families must be 1 or more",
            "max_value": "Percentage of families must be 100 or less",
        },
    )
    seed = forms.IntegerField(
        label="Seed (optional)",
        help_text="Leave this blank for a new random selection. To repeat an earlier one, enter "
        "its seed: the same seed and the same case data choose the same families.",
        required=False,
        min_value=0,
        max_value=MAX_SEED,
        widget=_number_input(20),
        error_messages={
            "min_value": "Seed must be 0 or more",
            "max_value": "Seed must be 18 digits or fewer",
        },
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("closed_from"), cleaned.get("closed_to")
        if start and end and end < start:
            self.add_error(
                "closed_to", "Closed on or before must be the same as or after closed on or after"
            )
        if "how_many" in self.errors or "percentage" in self.errors:
            return cleaned
        how_many, percentage = cleaned.get("how_many"), cleaned.get("percentage")
        if how_many is None and percentage is None:
            self.add_error("how_many", "Enter a number of families, or a percentage")
        elif how_many is not None and percentage is not None:
            self.add_error("how_many", "Enter a number of families or a percentage, not both")
        return cleaned


class ConfirmSelectionForm(GovUKForm):
    """The previewed selection, carried in hidden fields to be saved as it was shown."""

    closed_from = forms.DateField(widget=forms.HiddenInput)
    closed_to = forms.DateField(widget=forms.HiddenInput)
    how_many = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_FAMILIES, widget=forms.HiddenInput
    )
    percentage = forms.IntegerField(
        required=False, min_value=1, max_value=100, widget=forms.HiddenInput
    )
    seed = forms.IntegerField(min_value=0, max_value=MAX_SEED, widget=forms.HiddenInput)
    fingerprint = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("how_many") is None) == (cleaned.get("percentage") is None):
            raise forms.ValidationError("The selection could not be read: start again")
        return cleaned


class CodeForm(GovUKForm):
    """The code from a letter, typed in any case, with or without its dashes or spaces."""

    heading_field = "code"

    code = forms.CharField(
        label="Enter the code from your letter",
        help_text="It is 26 letters and numbers, in groups of 4. You can type it in capital or "
        "small letters, with or without the dashes.",
        max_length=60,
        error_messages={"required": "Enter the code from your letter"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "govuk-input--width-30 govuk-input--extra-letter-spacing",
            }
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not looks_like_a_token(code):
            raise forms.ValidationError(
                "Enter the code exactly as it is on your letter: 26 letters and numbers"
            )
        return normalise(code)
