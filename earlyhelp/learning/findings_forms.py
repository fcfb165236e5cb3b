"""Forms of the findings pages: the period (the same as the voice results' period form, so a
quarter or two dates), and the filter of the audits behind a figure."""

import re

from django import forms

from earlyhelp.core.forms import GovUKForm
from earlyhelp.voice.results_forms import PeriodForm

REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$")


class FindingsPeriodForm(PeriodForm):
    """A quarter (this one unless another is chosen), or two dates, which win."""


class FigureForm(GovUKForm):
    """Which figure's audits to list. Every value is checked; anything else is not a figure."""

    standard = forms.CharField(required=False, max_length=50)
    section = forms.CharField(required=False, max_length=50)
    rating = forms.CharField(required=False, max_length=50)
    bottom_line = forms.CharField(required=False, max_length=50)
    judgement = forms.CharField(required=False, max_length=50)
    theme = forms.IntegerField(required=False, min_value=1)

    def _ref(self, name):
        value = (self.cleaned_data.get(name) or "").strip()
        if value and not REF.match(value):
            raise forms.ValidationError("Not a reference from the framework")
        return value

    def clean_standard(self):
        return self._ref("standard")

    def clean_section(self):
        return self._ref("section")

    def clean_bottom_line(self):
        return self._ref("bottom_line")

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "standard": data.get("standard") or "",
            "section": data.get("section") or "",
            "rating": (data.get("rating") or "").strip(),
            "bottom_line": data.get("bottom_line") or "",
            "judgement": (data.get("judgement") or "").strip(),
            "theme": data.get("theme"),
        }
