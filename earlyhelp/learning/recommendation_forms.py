"""Forms for recommendations: a new one, an agency's response, the group's decision."""

from django import forms

from earlyhelp.accounts.models import Agency
from earlyhelp.core.forms import GovUKDateField, GovUKForm

from .models import LearningTheme, Recommendation


class RecommendationStatusFilter(GovUKForm):
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "All"), *Recommendation.Status.choices],
        required=False,
    )


class RecommendationForm(GovUKForm):
    made_on = GovUKDateField(
        label="Date it was made",
        help_text="For example, 27 3 2026",
        past_or_today=True,
    )
    source = forms.ChoiceField(
        label="Where it came from",
        choices=Recommendation.Source.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label="Recommendation",
        help_text="As the group wrote it. Do not name a child, a family or a practitioner.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    theme = forms.ModelChoiceField(
        label="Learning theme (optional)",
        queryset=LearningTheme.objects.filter(is_active=True),
        required=False,
        empty_label="No theme",
    )


class AgencyResponseForm(GovUKForm):
    prefix = "response"

    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        empty_label="Select an agency",
    )
    response = forms.CharField(
        label="Their response",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    responded_on = GovUKDateField(
        label="Date of the response", help_text="For example, 27 3 2026", past_or_today=True
    )


class AcceptForm(GovUKForm):
    prefix = "accept"

    decision = forms.CharField(
        label="The group's decision (optional)",
        help_text="What the group decided when it accepted the recommendation.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class CloseForm(GovUKForm):
    prefix = "close"

    decision = forms.CharField(
        label="The group's decision",
        help_text="What the group decided, and why the recommendation can close.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    closed_on = GovUKDateField(
        label="Date it closed", help_text="For example, 27 3 2026", past_or_today=True
    )
