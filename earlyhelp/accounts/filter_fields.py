"""Filter fields that several lists share: a list filtered by district or lead agency offers the
same choice, worded the same way, on every page."""

from django import forms

from .models import Agency, District


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
