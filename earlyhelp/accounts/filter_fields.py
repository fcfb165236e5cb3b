"""Fields that several forms share: a list filtered by district or lead agency offers the same
choice, worded the same way, on every page; a long list of agencies is ticked type by type."""

from django import forms

from .models import Agency, AgencyType, District


def full_width_select():
    return forms.Select(attrs={"class": "govuk-!-width-full"})


def district_filter():
    return forms.ModelChoiceField(
        label="District",
        queryset=District.objects.all(),
        empty_label="All districts",
        required=False,
        widget=full_width_select(),
    )


def lead_agency_filter():
    return forms.ModelChoiceField(
        label="Lead agency",
        queryset=Agency.objects.all(),
        empty_label="All agencies",
        required=False,
        widget=full_width_select(),
    )


def agency_type_filter(label="Type of lead agency", empty_label="All types of agency"):
    return forms.ModelChoiceField(
        label=label,
        queryset=AgencyType.objects.all(),
        empty_label=empty_label,
        required=False,
        widget=full_width_select(),
    )


NO_AGENCY_TYPE = "Agencies of no recorded type"


def agency_groups(bound_field, type_name_of: dict) -> list[dict]:
    """A multiple-choice field's agency checkboxes grouped by type of agency, for one disclosure
    each (template: accounts/_agencies_by_type.html): [{"name", "options", "ticked"}].
    `type_name_of` maps each choice's value (as text) to its agency type's name."""
    groups = {}
    for option in bound_field.subwidgets:
        name = type_name_of.get(str(option.data["value"]), NO_AGENCY_TYPE)
        group = groups.setdefault(name, {"name": name, "options": [], "ticked": 0})
        group["options"].append(option)
        group["ticked"] += bool(option.data["selected"])
    return list(groups.values())
