"""The QA lead's dip sample forms: draw a sample (with an optional theme), replace a drawn EHA,
add a requested one, assign auditors and confirm. All through the GOV.UK form layer."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone

from earlyhelp.accounts.filter_fields import NO_AGENCY_TYPE, agency_groups
from earlyhelp.accounts.models import Agency, AgencyType, District
from earlyhelp.core.forms import GovUKDateField, GovUKForm
from earlyhelp.core.months import add_months, first_of_month

from .themes import ANY, CLOSED, OPEN, Theme

MAX_SIZE = 200
MAX_SEED = 10**18 - 1
MAX_MONTHS_OPEN = 600
REASON_LENGTH = 1000
MONTHS_OFFERED = 4  # this month and the next three

STEP_DOWN, STEPPED_UP = "step_down", "stepped_up"


def _number_input(width):
    return forms.TextInput(
        attrs={
            "inputmode": "numeric",
            "spellcheck": "false",
            "class": f"govuk-input--width-{width}",
        }
    )


def _reason(label, help_text, required_message):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=REASON_LENGTH,
        error_messages={"required": required_message},
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def month_choices(today: datetime.date):
    """This month and the next three, as ("2026-12", "December 2026")."""
    first = first_of_month(today)
    months = [add_months(first, n) for n in range(MONTHS_OFFERED)]
    return [(month.strftime("%Y-%m"), month.strftime("%B %Y")) for month in months]


class DrawForm(GovUKForm):
    """What to draw: the month, how many, the seed to repeat an earlier draw, and the theme."""

    month = forms.ChoiceField(
        label="Which month is the sample for?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the month the sample is for"},
    )
    size = forms.IntegerField(
        label="How many EHAs to draw",
        help_text=f"The framework asks for {settings.DIP_SAMPLE_SIZE} each month",
        min_value=1,
        max_value=MAX_SIZE,
        widget=_number_input(3),
        error_messages={
            "required": "Enter how many EHAs to draw",
            "min_value": "How many EHAs to draw must be 1 or more",
            "max_value": f"How many EHAs to draw must be {MAX_SIZE} or fewer",
        },
    )
    seed = forms.IntegerField(
        label="Seed (optional)",
        help_text="Leave this blank for a new random draw. To repeat an earlier draw, enter its "
        "seed: the same seed and the same case data give the same EHAs.",
        required=False,
        min_value=0,
        max_value=MAX_SEED,
        widget=_number_input(20),
        error_messages={
            "min_value": "Seed must be 0 or more",
            "max_value": "Seed must be 18 digits or fewer",
        },
    )
    theme_name = forms.CharField(
        label="Theme name (optional)",
        help_text="For example, Health visiting plans open over 2 years",
        required=False,
        max_length=200,
    )
    status = forms.ChoiceField(
        label="Which EHAs?",
        choices=[
            (OPEN, "Open EHAs"),
            (CLOSED, "Closed EHAs"),
            (ANY, "Open or closed EHAs"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select which EHAs to draw from"},
    )
    open_longer_than = forms.IntegerField(
        label="Open for longer than this many months (optional)",
        help_text="For example, 24 for plans open longer than 2 years. Only open EHAs can match.",
        required=False,
        min_value=1,
        max_value=MAX_MONTHS_OPEN,
        widget=_number_input(3),
        error_messages={
            "min_value": "Open for longer than must be 1 month or more",
            "max_value": f"Open for longer than must be {MAX_MONTHS_OPEN} months or fewer",
        },
    )
    districts = forms.MultipleChoiceField(
        label="Districts",
        help_text="Leave them all unticked to draw from across the county",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agency_types = forms.MultipleChoiceField(
        label="Type of agency delivering the EHA",
        help_text="Leave them all unticked for every type",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    lead_agencies = forms.MultipleChoiceField(
        label="Lead agencies",
        help_text="Open a type of agency to tick its agencies. Leave them all unticked for "
        "every agency.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    social_care = forms.MultipleChoiceField(
        label="Children's social care",
        help_text="Tick to draw only from EHAs with this history",
        choices=[
            (STEP_DOWN, "Stepped down from children's social care to Early Help"),
            (STEPPED_UP, "Stepped up from Early Help to children's social care"),
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    period_from = GovUKDateField(
        label="Period starts", help_text="For example, 1 4 2026", required=False
    )
    period_to = GovUKDateField(
        label="Period ends", help_text="For example, 30 6 2026", required=False
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        self.fields["month"].choices = month_choices(today)
        self.fields["month"].error_messages["invalid_choice"] = (
            "Select one of the months shown for the sample"
        )
        self.fields["districts"].choices = [
            (str(pk), name) for pk, name in District.objects.values_list("pk", "name")
        ]
        self.fields["agency_types"].choices = [
            (str(pk), name) for pk, name in AgencyType.objects.values_list("pk", "name")
        ]
        agencies = Agency.objects.select_related("agency_type").order_by(
            "agency_type__name", "name"
        )
        self._agency_type_of = {}
        choices = []
        for agency in agencies:
            choices.append((str(agency.pk), agency.name))
            self._agency_type_of[str(agency.pk)] = (
                agency.agency_type.name if agency.agency_type else NO_AGENCY_TYPE
            )
        self.fields["lead_agencies"].choices = choices
        self.initial.setdefault("month", add_months(first_of_month(today), 1).strftime("%Y-%m"))
        self.initial.setdefault("size", settings.DIP_SAMPLE_SIZE)
        self.initial.setdefault("status", OPEN)

    def agency_groups(self):
        """The lead agency checkboxes grouped by type of agency, for one disclosure each:
        [{"name", "options", "ticked"}] in the order of the types' names."""
        return agency_groups(self["lead_agencies"], self._agency_type_of)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_from"), cleaned.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", "Period ends must be the same as or after period starts")
        if cleaned.get("open_longer_than") and cleaned.get("status") == CLOSED:
            self.add_error(
                "open_longer_than",
                "Closed EHAs cannot be open for longer than a number of months: choose open "
                "EHAs, or leave this blank",
            )
        return cleaned

    def clean_month(self):
        year, month = (int(part) for part in self.cleaned_data["month"].split("-"))
        return datetime.date(year, month, 1)

    def theme(self) -> Theme:
        data = self.cleaned_data
        return Theme(
            status=data["status"],
            open_longer_than_months=data["open_longer_than"],
            districts=tuple(sorted(int(pk) for pk in data["districts"])),
            agency_types=tuple(sorted(int(pk) for pk in data["agency_types"])),
            lead_agencies=tuple(sorted(int(pk) for pk in data["lead_agencies"])),
            step_down=STEP_DOWN in data["social_care"],
            stepped_up=STEPPED_UP in data["social_care"],
            period_from=data["period_from"],
            period_to=data["period_to"],
            name=data["theme_name"].strip(),
        )


class ReplaceForm(GovUKForm):
    heading_field = "reason"

    def __init__(self, *args, reference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = _reason(
            f"Why are you replacing {reference}?",
            "For example, the family has moved out of the county, or the EHA was audited "
            "recently under another name. The reason is kept with the sample.",
            "Enter why you are replacing this EHA",
        )
        self._govuk_messages(self.fields["reason"], self.fields["reason"].label)


class RequestForm(GovUKForm):
    reference = forms.CharField(
        label="EHA reference",
        max_length=50,
        widget=forms.TextInput(attrs={"spellcheck": "false", "class": "govuk-input--width-20"}),
        error_messages={"required": "Enter the EHA reference"},
    )
    reason = _reason(
        "Why was it requested?",
        "Which Early Help Officer asked for it to be audited, and why",
        "Enter why this EHA was requested",
    )


class AssignForm(GovUKForm):
    """One auditor and one due date for each EHA that will be audited."""

    def __init__(self, *args, items, people, loads, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.items = items
        self.people = {str(person.pk): person for person in people}
        choices = [("", "Choose an auditor")] + [
            (str(person.pk), _auditor_label(person, loads.get(person.pk, 0))) for person in people
        ]
        for item in items:
            reference = item.assessment.reference
            auditor = forms.ChoiceField(
                label=f"Auditor for {reference}",
                choices=choices,
                error_messages={"required": f"Select an auditor for {reference}"},
            )
            due = GovUKDateField(
                label=f"Due date for {reference}",
                help_text="For example, 31 12 2026",
                error_messages={"required": f"Enter the due date for {reference}"},
            )
            self.fields[f"auditor_{item.pk}"] = auditor
            self.fields[f"due_{item.pk}"] = due
            self._govuk_messages(auditor, auditor.label)
            self._govuk_messages(due, due.label)
            auditor.error_messages["invalid_choice"] = f"Select an auditor for {reference}"

    def rows(self):
        return [(item, self[f"auditor_{item.pk}"], self[f"due_{item.pk}"]) for item in self.items]

    def clean(self):
        cleaned = super().clean()
        for item in self.items:
            due = cleaned.get(f"due_{item.pk}")
            if due and due < self.today:
                self.add_error(
                    f"due_{item.pk}",
                    f"Due date for {item.assessment.reference} must be today or in the future",
                )
        return cleaned

    def assignments(self) -> dict:
        return {
            item.pk: (
                self.people[self.cleaned_data[f"auditor_{item.pk}"]],
                self.cleaned_data[f"due_{item.pk}"],
            )
            for item in self.items
        }


def _auditor_label(person, load):
    name = person.full_name or person.email
    return f"{name} ({load} audit{'s' if load != 1 else ''} to do)"


class ConfirmForm(GovUKForm):
    # The sample's revision when the check page was opened: if it has changed since (someone
    # replaced an EHA, say), the QA lead checks it again before confirming.
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
