"""The performance data's filters, sent by GET so a view of the figures can be bookmarked and
downloaded as it is shown: a district and a type of lead agency."""

from earlyhelp.accounts.filter_fields import agency_type_filter, district_filter
from earlyhelp.core.forms import GovUKForm


class PerformanceFilterForm(GovUKForm):
    district = district_filter()
    agency_type = agency_type_filter()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].error_messages["invalid_choice"] = "Select a district from the list"
        self.fields["agency_type"].error_messages["invalid_choice"] = (
            "Select a type of lead agency from the list"
        )

    def filters(self) -> dict:
        """{"district": …, "agency_type": …} (None for all), after is_valid() if bound."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return {"district": data.get("district"), "agency_type": data.get("agency_type")}
