"""Forms of the quarterly report pages: the period of a new report, the narrative, and the
reason for a correction."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from earlyhelp.core.forms import GovUKDateField, GovUKForm
from earlyhelp.voice.results import parse_quarter, quarter_containing, quarters_ending
from earlyhelp.voice.results_forms import QUARTERS_OFFERED, PeriodForm

from .publishing import has_ended, not_ended_message, recommendation_lines

LONGEST_TEXT = 20_000


class _PeriodDateField(GovUKDateField):
    """A date of the period whose every message names it: the shared field says only "Year
    must include 4 numbers", which on a page with two dates does not say which."""

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError as error:
            if error.code == "invalid_year":
                raise ValidationError(
                    f"The year of {str(self.label)[0].lower()}{str(self.label)[1:]} must "
                    "include 4 numbers",
                    code="invalid_year",
                ) from None
            raise


class _EndedQuarterField(forms.ChoiceField):
    """A quarter from the list. One that has not ended is refused in words that say so, rather
    than as a stranger to the list (the list offers only ended quarters)."""

    today: datetime.date | None = None

    def validate(self, value):
        period = parse_quarter(value)
        if period is not None and not has_ended(period.end, self.today):
            raise ValidationError(not_ended_message(period.label, period.end), code="not_ended")
        super().validate(value)


class NewReportForm(PeriodForm):
    """A quarter that has ended, from the list (the last complete quarter unless another is
    chosen), or the first and last days of a period that has ended, which win when both are
    given."""

    quarter = _EndedQuarterField(
        label="Quarter",
        help_text="Calendar quarters that have ended: Q1 is January to March",
        required=False,
        widget=forms.Select(attrs={"class": "govuk-!-width-full"}),
    )
    date_from = _PeriodDateField(
        label="The first day of the period",
        help_text="For example, 1 4 2026",
        required=False,
    )
    date_to = _PeriodDateField(
        label="The last day of the period", help_text="For example, 30 6 2026", required=False
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, today=today, **kwargs)
        last_quarter = quarter_containing(
            quarter_containing(self.today).start - datetime.timedelta(days=1)
        )
        offered = reversed(quarters_ending(last_quarter.end, QUARTERS_OFFERED))
        self.fields["quarter"].choices = [(q.quarter, q.label) for q in offered]
        self.fields["quarter"].today = self.today
        self.initial["quarter"] = last_quarter.quarter

    def clean(self):
        cleaned = super().clean()
        end = cleaned.get("date_to")
        if end and not has_ended(end, self.today) and "date_to" not in self.errors:
            self.add_error("date_to", "The last day of the period must be in the past")
        return cleaned


def _text(label, hint, rows=6):
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=LONGEST_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


NO_ONE_NAMED = "Do not name a child, a family or a practitioner."


class NarrativeForm(GovUKForm):
    working_well = _text(
        "What is working well",
        f"What the audits, families and staff show is going well. Leave a blank line between "
        f"paragraphs. {NO_ONE_NAMED}",
    )
    needs_to_improve = _text(
        "What needs to improve",
        f"The areas for practice improvement the figures point to. {NO_ONE_NAMED}",
    )
    key_themes = _text(
        "Key themes",
        f"The themes for learning that run through this period's audits. {NO_ONE_NAMED}",
    )
    recommendations = _text(
        "Recommendations",
        "One recommendation per line. When the report is published, each becomes a "
        "recommendation tracked in the learning loop.",
        rows=8,
    )

    def clean_recommendations(self):
        lines = recommendation_lines(self.cleaned_data.get("recommendations", ""))
        if any(len(line) > 2000 for line in lines):
            raise forms.ValidationError("Each recommendation must be 2000 characters or fewer")
        return lines


class CorrectionForm(GovUKForm):
    reason = forms.CharField(
        label="Why does the report need correcting?",
        help_text="This is shown with the corrected report, to everyone who reads it.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the report needs correcting"},
    )
