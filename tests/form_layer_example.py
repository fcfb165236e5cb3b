"""A form with one of every GOV.UK form-layer component, and a page that shows it.

Used by the form-layer tests and, through `urlpatterns` below, by the browser test that runs axe
on a page full of errors. It is not part of the service's own URLs.
"""

from django import forms
from django.shortcuts import render
from django.urls import include, path

from earlyhelp.accounts.access import public
from earlyhelp.core.forms import GovUKDateField, GovUKForm

JUDGEMENTS = [
    ("outstanding", "Outstanding"),
    ("good", "Good"),
    ("requires_improvement", "Requires Improvement"),
    ("inadequate", "Inadequate"),
]
BOTTOM_LINES = [
    ("genogram", "Genogram"),
    ("chronology", "Chronologies"),
    ("plan", "Family Action Plan"),
]


class EveryComponentForm(GovUKForm):
    full_name = forms.CharField(
        label="Full name", help_text="As it appears on the EHA", max_length=50
    )
    email = forms.EmailField(label="E-mail address")
    reviews = forms.IntegerField(label="Number of reviews", min_value=0)
    district = forms.ChoiceField(
        label="District",
        choices=[("", "Choose a district"), ("carlisle", "Carlisle"), ("eden", "Eden")],
    )
    judgement = forms.ChoiceField(
        label="Overall judgement", widget=forms.RadioSelect, choices=JUDGEMENTS
    )
    bottom_lines = forms.MultipleChoiceField(
        label="Bottom lines evidenced",
        widget=forms.CheckboxSelectMultiple,
        choices=BOTTOM_LINES,
        help_text="Select all that apply",
    )
    journey = forms.CharField(label="The child's journey", widget=forms.Textarea, max_length=200)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    confirmed = forms.BooleanField(label="I have read the whole file")
    start_date = GovUKDateField(
        label="Start date", help_text="For example, 27 3 2026", past_or_today=True
    )


@public
def every_component(request):
    form = EveryComponentForm(request.POST or None)
    submitted = request.method == "POST" and form.is_valid()
    return render(request, "form_layer_example.html", {"form": form, "submitted": submitted})


urlpatterns = [
    path("form-layer-example/", every_component, name="form-layer-example"),
    path("", include("config.urls")),
]
