"""Forms of the voice results pages: the period, the list of free-text answers, and moderating
one answer."""

from django import forms
from django.utils import timezone

from earlyhelp.core.forms import GovUKDateField, GovUKForm

from . import moderation
from .results import dates_period, parse_quarter, quarter_containing, quarters_ending

QUARTERS_OFFERED = 12
LONGEST_PERIOD_DAYS = 366 * 5


class PeriodForm(GovUKForm):
    """The period of the results. Sent by GET, so results can be bookmarked and downloaded for
    the same period. A quarter, or else two dates, which win when both are given."""

    quarter = forms.ChoiceField(
        label="Quarter",
        help_text="Calendar quarters: Q1 is January to March",
        required=False,
        widget=forms.Select(attrs={"class": "govuk-!-width-full"}),
    )
    date_from = GovUKDateField(label="Or from", help_text="For example, 1 4 2026", required=False)
    date_to = GovUKDateField(label="To", help_text="For example, 30 6 2026", required=False)

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        offered = reversed(quarters_ending(self.today, QUARTERS_OFFERED))
        self.fields["quarter"].choices = [(q.quarter, q.label) for q in offered]
        self.fields["quarter"].error_messages["invalid_choice"] = (
            "Select one of the quarters in the list"
        )
        self.initial.setdefault("quarter", quarter_containing(self.today).quarter)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and not end and "date_to" not in self.errors:
            self.add_error("date_to", "Enter the last day of the period, or leave both dates blank")
        elif end and not start and "date_from" not in self.errors:
            self.add_error(
                "date_from", "Enter the first day of the period, or leave both dates blank"
            )
        elif start and end and end < start:
            self.add_error("date_to", "The last day must be the same as or after the first day")
        elif start and end and (end - start).days > LONGEST_PERIOD_DAYS:
            self.add_error("date_to", "The period must be 5 years or shorter")
        return cleaned

    def period(self):
        """The period asked for (after is_valid() for a bound form); the current quarter if none
        was."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        if data.get("date_from") and data.get("date_to"):
            return dates_period(data["date_from"], data["date_to"])
        return parse_quarter(data.get("quarter") or "") or quarter_containing(self.today)


class AnswersFilterForm(GovUKForm):
    kind = forms.ChoiceField(
        label="Form",
        choices=[("", "Both forms"), *moderation.KINDS.items()],
        required=False,
        widget=forms.Select(attrs={"class": "govuk-!-width-full"}),
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Any status"), *moderation.STATUSES.items()],
        required=False,
        widget=forms.Select(attrs={"class": "govuk-!-width-full"}),
    )


YES, NO = "yes", "no"


class ModerationForm(GovUKForm):
    text = forms.CharField(
        label="Wording to publish",
        help_text=(
            "Take out names, places, schools, ages, dates and anything else that could identify "
            "the family or anyone else. Change as little as you can otherwise."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    publishable = forms.ChoiceField(
        label="Can this quote be published?",
        help_text="Published quotes appear in the results that partnership viewers see.",
        choices=[(YES, "Yes, it identifies no one"), (NO, "No, do not publish it")],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publishable"].error_messages["required"] = (
            "Select whether this quote can be published"
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("publishable") == YES and not (cleaned.get("text") or "").strip():
            self.add_error("text", "Enter the wording to publish, or select that it cannot be")
        return cleaned
