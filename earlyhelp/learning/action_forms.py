"""The forms of the actions pages: raising an action, the list's filters, and each step."""

from django import forms
from django.db.models import Q
from django.utils import timezone

from earlyhelp.accounts.filter_fields import full_width_select
from earlyhelp.accounts.models import Agency, AgencyType, User
from earlyhelp.core.forms import GovUKDateField, GovUKForm
from earlyhelp.standards.models import FrameworkVersion

from . import actions
from .models import Action, LearningTheme


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class ActionForm(GovUKForm):
    """Raising an action. `standards` are the framework version's standards, as (ref_id, text)."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="What is to be done, in a few words. For example, 'Chronology training for "
        "the family support team'.",
    )
    action_type = forms.ChoiceField(
        label="Type of action", choices=Action.Type.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Anything the owner needs to know to do it.",
    )
    finding = forms.CharField(
        label="The finding it answers (optional)",
        max_length=300,
        required=False,
        help_text="In a sentence: what the audit, theme or recommendation found.",
    )
    you_said = forms.CharField(
        label="What families told us (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For You said, we did: what families said that this action answers, "
        "such as a publishable quote from Voice results. It is shown to the partnership: never "
        "write anything that could identify a family.",
    )
    theme = forms.ModelChoiceField(
        label="Learning theme (optional)",
        queryset=LearningTheme.objects.none(),
        empty_label="No learning theme",
        required=False,
        help_text="The theme it responds to: its close-the-loop page then shows this action.",
        widget=full_width_select(),
    )
    standards = forms.MultipleChoiceField(
        label="Standards it should improve (optional)",
        help_text="Later audits on these standards show whether practice changed.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    owner = PersonChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        empty_label="Choose the owner",
        help_text="The person who will do it and record the evidence. For an agency, its manager.",
        widget=full_width_select(),
    )
    agency = forms.ModelChoiceField(
        label="Agency (optional)",
        queryset=Agency.objects.all(),
        empty_label="No agency",
        required=False,
        help_text="Its manager can see and update the action.",
        widget=full_width_select(),
    )
    agency_type = forms.ModelChoiceField(
        label="Agency type (optional)",
        queryset=AgencyType.objects.all(),
        empty_label="No agency type",
        required=False,
        help_text="For an action for every agency of a kind, such as all schools.",
        widget=full_width_select(),
    )
    due_date = GovUKDateField(label="Due date", help_text="For example, 27 3 2027")

    def __init__(self, *args, standards=(), theme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = actions.possible_owners()
        # Themes in use, and the one it is raised from even if that has since been retired.
        in_use = Q(is_active=True) | Q(pk=theme.pk if theme is not None else None)
        self.fields["theme"].queryset = LearningTheme.objects.filter(in_use)
        self.fields["standards"].choices = [(ref, f"{ref}: {text}") for ref, text in standards]
        self.fields["standards"].error_messages["invalid_choice"] = "Select standards from the list"

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        if due_date is not None and due_date < timezone.localdate():
            raise forms.ValidationError("Due date must be today or in the future")
        return due_date


class EvidenceForm(GovUKForm):
    evidence = forms.CharField(
        label="Evidence that it is done",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="What was done, when, and how the QA lead can check it: for example the "
        "training dates and how many attended.",
    )


class ReasonForm(GovUKForm):
    """A reason for sending an action back or cancelling it: see SEND_BACK and CANCEL."""

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)

    def __init__(self, *args, words, **kwargs):
        label, required, prefix = words
        super().__init__(*args, prefix=prefix, **kwargs)
        field = self.fields["reason"]
        field.label = label
        field.error_messages["required"] = required
        self._govuk_messages(field, label)


# (label, message when empty, prefix) of each step's reason.
SEND_BACK = ("Why is the evidence not enough?", "Enter why the evidence is not enough", "back")
CANCEL = ("Why is it cancelled?", "Enter why the action is cancelled", "cancel")


class DueDateForm(GovUKForm):
    due_date = GovUKDateField(label="New due date", help_text="For example, 27 3 2027")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="due", **kwargs)

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        if due_date is not None and due_date < timezone.localdate():
            raise forms.ValidationError("New due date must be today or in the future")
        return due_date


class ActionFilterForm(GovUKForm):
    """The list's filters, sent by GET; every one optional."""

    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Any status"), *Action.Status.choices],
        required=False,
        widget=full_width_select(),
    )
    type = forms.ChoiceField(
        label="Type",
        choices=[("", "All types"), *Action.Type.choices],
        required=False,
        widget=full_width_select(),
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.all(),
        empty_label="All agencies",
        required=False,
        widget=full_width_select(),
    )
    owner = PersonChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        empty_label="All owners",
        required=False,
        widget=full_width_select(),
    )
    overdue = forms.BooleanField(label="Only overdue actions", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        owners = actions.visible_actions(user).values("owner_id")
        self.fields["owner"].queryset = User.objects.filter(pk__in=owners).order_by(
            "full_name", "email"
        )


class FrameworkVersionForm(GovUKForm):
    framework_version = forms.ModelChoiceField(
        label="Framework version this review produced",
        queryset=FrameworkVersion.objects.select_related("framework").order_by(
            "framework__name", "-effective_date"
        ),
        empty_label="Choose a version",
        help_text="Load the revised framework first (Standards), then choose its new version.",
        error_messages={"required": "Choose the framework version this review produced"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="version", **kwargs)
