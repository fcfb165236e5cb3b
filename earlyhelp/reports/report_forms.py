"""Forms of the quarterly report pages: the period of a new report, the narrative, and the
reason for a correction."""

import datetime

from django import forms
from django.utils import timezone

from earlyhelp.core.forms import GovUKForm
from earlyhelp.voice.results import quarter_containing
from earlyhelp.voice.results_forms import PeriodForm

from .publishing import recommendation_lines

LONGEST_TEXT = 20_000


class NewReportForm(PeriodForm):
    """A quarter from the list (the last complete quarter unless another is chosen), or two
    dates, which win when both are given."""

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, today=today, **kwargs)
        last_quarter = quarter_containing(
            quarter_containing(self.today).start - datetime.timedelta(days=1)
        )
        self.initial["quarter"] = last_quarter.quarter

    def clean(self):
        cleaned = super().clean()
        end = cleaned.get("date_to")
        if end and end > timezone.localdate() and "date_to" not in self.errors:
            self.add_error("date_to", "The last day must be today or in the past")
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
