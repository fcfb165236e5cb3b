"""The staff survey's forms: the QA lead opening a round, and the anonymous answer form."""

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from earlyhelp.accounts.filter_fields import NO_AGENCY_TYPE, agency_groups
from earlyhelp.accounts.models import AgencyType
from earlyhelp.core.forms import GovUKDateField, GovUKForm, WholeNumberField

from .forms import QuestionnaireForm
from .staff_survey import agencies_for_audience

PREFER_NOT_TO_SAY = "none"
MOST_STAFF_ASKED = 100_000


def staff_asked_field():
    return WholeNumberField(
        label="How many staff are sent the link (optional)",
        help_text="The number of people you send it to, if you know it: the results then give "
        "the response rate. You can add or change it later.",
        required=False,
        min_value=1,
        max_value=MOST_STAFF_ASKED,
        error_messages={
            "invalid": "Enter the number of staff asked as a whole number, like 40 or 1,200",
            "min_value": "The number of staff asked must be 1 or more",
            "max_value": f"The number of staff asked must be {MOST_STAFF_ASKED:,} or fewer",
        },
    )


class StaffAskedForm(GovUKForm):
    """How many staff were sent a round's link, recorded or changed after it opened."""

    staff_asked = staff_asked_field()


class RoundForm(GovUKForm):
    """A new round: its name, its dates and its audience."""

    name = forms.CharField(
        label="Name of the survey round",
        help_text="For example, Staff survey spring 2027. Only staff in the service see it, "
        "and people answering see it as the survey's title.",
        max_length=200,
        error_messages={"required": "Enter a name for the survey round"},
    )
    opens_on = GovUKDateField(
        label="Opening date",
        help_text="The first day the link works. For example, 1 3 2027",
        error_messages={"required": "Enter the opening date"},
    )
    closes_on = GovUKDateField(
        label="Closing date",
        help_text="The last day the link works. For example, 31 3 2027",
        error_messages={"required": "Enter the closing date"},
    )
    agency_types = forms.MultipleChoiceField(
        label="Types of agency",
        help_text="Tick the types of agency whose staff are asked. Leave these and the "
        "agencies below unticked to ask everyone in the partnership.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agencies = forms.MultipleChoiceField(
        label="Agencies",
        help_text="Open a type of agency to tick its agencies. People are asked which type of "
        "agency they work for, never which agency.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    staff_asked = staff_asked_field()

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self._types = {
            str(t.pk): t for t in AgencyType.objects.filter(is_active=True).order_by("name")
        }
        self.fields["agency_types"].choices = [(key, t.name) for key, t in self._types.items()]
        self._agencies = {
            str(a.pk): a for a in agencies_for_audience().order_by("agency_type__name", "name")
        }
        self.fields["agencies"].choices = [(key, a.name) for key, a in self._agencies.items()]
        self.fields["agency_types"].error_messages["invalid_choice"] = (
            "Select types of agency from the list"
        )
        self.fields["agencies"].error_messages["invalid_choice"] = "Select agencies from the list"

    def agency_groups(self):
        """The agency checkboxes grouped by type of agency, one disclosure each:
        [{"name", "options", "ticked"}] in the order of the types' names."""
        type_name_of = {
            key: agency.agency_type.name if agency.agency_type else NO_AGENCY_TYPE
            for key, agency in self._agencies.items()
        }
        return agency_groups(self["agencies"], type_name_of)

    def clean_opens_on(self):
        opens_on = self.cleaned_data["opens_on"]
        if opens_on and opens_on < self.today:
            raise forms.ValidationError("Opening date must be today or in the future")
        return opens_on

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error(
                "closes_on", "Closing date must be the same as or after the opening date"
            )
        return cleaned

    def clean_agency_types(self):
        return [self._types[key] for key in self.cleaned_data["agency_types"]]

    def clean_agencies(self):
        return [self._agencies[key] for key in self.cleaned_data["agencies"]]


class StaffSurveyAnswerForm(QuestionnaireForm):
    """The questionnaire, after one question of its own: which type of agency the person works
    for (or that they would rather not say). Build it with
    `StaffSurveyAnswerForm.for_version(version, data, agency_types=[…])`."""

    agency_type = forms.ChoiceField(
        label="Which type of agency do you work for?",
        help_text="We use this only to show results by type of agency, and never for a group "
        "of fewer than 5 people.",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the type of agency you work for, or Prefer not to say",
        },
    )

    def __init__(self, *args, agency_types, **kwargs):
        super().__init__(*args, **kwargs)
        if any(q["id"] == "agency_type" for _, q in self.version.questions()):
            raise ImproperlyConfigured(
                "A staff survey question may not have the id agency_type: the form asks it"
            )
        self._types = {str(t.pk): t for t in agency_types}
        field = self.fields["agency_type"]
        field.choices = [(key, t.name) for key, t in self._types.items()] + [
            (PREFER_NOT_TO_SAY, "Prefer not to say")
        ]
        field.error_messages["invalid_choice"] = (
            "Select the type of agency you work for from the list"
        )

    def clean_agency_type(self):
        key = self.cleaned_data["agency_type"]
        return None if key == PREFER_NOT_TO_SAY else self._types[key]

    def answers(self) -> dict:
        given = super().answers()
        given.pop("agency_type", None)
        return given
