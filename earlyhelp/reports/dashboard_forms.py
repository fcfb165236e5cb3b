"""The dashboard's filters, sent by GET so a view of the dashboard can be bookmarked: a quarter
(the latest complete one unless another is chosen), a district and a type of lead agency."""

from django import forms
from django.utils import timezone

from earlyhelp.accounts.filter_fields import agency_type_filter, district_filter, full_width_select
from earlyhelp.core.forms import GovUKForm
from earlyhelp.voice.results import parse_quarter, quarters_ending

from .dashboard import latest_complete_quarter

QUARTERS_OFFERED = 8


class DashboardFilterForm(GovUKForm):
    quarter = forms.ChoiceField(
        label="Quarter",
        help_text="Calendar quarters: Q1 is January to March",
        required=False,
        widget=full_width_select(),
    )
    district = district_filter()
    agency_type = agency_type_filter()

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        latest = latest_complete_quarter(self.today)
        offered = reversed(quarters_ending(latest.end, QUARTERS_OFFERED))
        self.fields["quarter"].choices = [(q.quarter, q.label) for q in offered]
        self.fields["quarter"].error_messages["invalid_choice"] = (
            "Select one of the quarters in the list"
        )
        self.fields["district"].error_messages["invalid_choice"] = "Select a district from the list"
        self.fields["agency_type"].error_messages["invalid_choice"] = (
            "Select a type of lead agency from the list"
        )
        self.initial.setdefault("quarter", latest.quarter)

    def choices(self):
        """(period, district or None, agency type or None), after is_valid() for a bound form;
        the latest complete quarter for everyone when nothing was chosen."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        period = parse_quarter(data.get("quarter") or "") or latest_complete_quarter(self.today)
        return period, data.get("district"), data.get("agency_type")
