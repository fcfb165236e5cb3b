"""The GOV.UK form layer renders each component as the GOV.UK Design System specifies,
with an error summary linking to each field, inline errors, hints and GOV.UK messages."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone

from earlyhelp.core.forms import GovUKForm, WholeNumberField

from .form_layer_example import EveryComponentForm

VALID = {
    "full_name": "Jo Bloggs",
    "email": "jo@example.org",
    "reviews": "3",
    "district": "eden",
    "judgement": "good",
    "bottom_lines": ["genogram", "plan"],
    "journey": "Started with a TAF meeting.",
    "notes": "",
    "confirmed": "on",
    "start_date_0": "27",
    "start_date_1": "3",
    "start_date_2": "2026",
}


def render(form):
    page = render_to_string("govuk/error_summary.html", {"form": form}) + form.render()
    return BeautifulSoup(page, "html.parser")


def bound(**changes):
    data = {**VALID, **changes}
    return EveryComponentForm(data={k: v for k, v in data.items() if v is not None})


def test_a_complete_form_is_valid_and_gives_a_real_date():
    form = bound()
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start_date"] == datetime.date(2026, 3, 27)


def test_text_input_has_label_hint_and_describedby():
    soup = render(EveryComponentForm())
    field = soup.find("input", {"name": "full_name"})
    assert "govuk-input" in field["class"]
    assert soup.find("label", {"for": field["id"]}).get_text(strip=True) == "Full name"
    hint = soup.find(id=f"{field['id']}_helptext")
    assert hint.get_text(strip=True) == "As it appears on the EHA"
    assert "govuk-hint" in hint["class"]
    assert field["aria-describedby"] == hint["id"]


def test_missing_text_gives_enter_message_inline_and_in_summary():
    form = bound(full_name="")
    assert not form.is_valid()
    soup = render(form)
    field = soup.find("input", {"name": "full_name"})
    assert "govuk-input--error" in field["class"]
    assert field["aria-invalid"] == "true"
    error = soup.find(id=f"{field['id']}_error")
    assert error.get_text(" ", strip=True) == "Error: Enter full name"
    assert field["aria-describedby"].split() == [f"{field['id']}_helptext", error["id"]]
    group = field.find_parent("div", class_="govuk-form-group")
    assert "govuk-form-group--error" in group["class"]
    link = soup.select_one(".govuk-error-summary__list a")
    assert link["href"] == f"#{field['id']}"
    assert link.get_text(strip=True) == "Enter full name"


def test_error_summary_lists_every_error_in_form_order_with_links():
    form = EveryComponentForm(data={})
    assert not form.is_valid()
    soup = render(form)
    links = [(a["href"], a.get_text(strip=True)) for a in soup.select(".govuk-error-summary a")]
    assert links == [
        ("#id_full_name", "Enter full name"),
        ("#id_email", "Enter e-mail address"),
        ("#id_reviews", "Enter number of reviews"),
        ("#id_district", "Select district"),
        ("#id_judgement_0", "Select overall judgement"),
        ("#id_bottom_lines_0", "Select bottom lines evidenced"),
        ("#id_journey", "Enter the child's journey"),
        ("#id_confirmed", "Select 'I have read the whole file' to continue"),
        ("#id_start_date_0", "Enter start date"),
    ]
    # Every link points at an element that exists on the page.
    for href, _ in links:
        assert soup.find(id=href[1:]) is not None, href
    assert soup.select_one(".govuk-error-summary__title").get_text(strip=True) == (
        "There is a problem"
    )


def test_no_error_summary_without_errors():
    assert render(bound()).select_one(".govuk-error-summary") is None


def test_email_in_the_wrong_format():
    form = bound(email="not-an-address")
    assert form.errors["email"] == [
        "Enter an e-mail address in the correct format, like name@example.com"
    ]


def test_whole_number_message():
    assert bound(reviews="two").errors["reviews"] == ["Number of reviews must be a whole number"]


def test_a_message_the_form_gives_itself_is_kept():
    class OwnWords(GovUKForm):
        staff = forms.IntegerField(error_messages={"invalid": "Enter staff as a number, like 40"})
        email = forms.EmailField(error_messages={"invalid": "Enter the team's shared address"})

    form = OwnWords({"staff": "forty", "email": "nowhere"})
    assert form.errors == {
        "staff": ["Enter staff as a number, like 40"],
        "email": ["Enter the team's shared address"],
    }


def test_select_renders_govuk_select_with_options():
    soup = render(bound(district="eden"))
    select = soup.find("select", {"name": "district"})
    assert "govuk-select" in select["class"]
    assert [o["value"] for o in select.find_all("option")] == ["", "carlisle", "eden"]
    assert select.find("option", selected=True)["value"] == "eden"


def test_radios_sit_in_a_fieldset_with_the_label_as_legend():
    form = bound(judgement=None)
    assert not form.is_valid()
    soup = render(form)
    radios = soup.find_all("input", {"name": "judgement"})
    assert len(radios) == 4
    assert all("govuk-radios__input" in r["class"] for r in radios)
    fieldset = radios[0].find_parent("fieldset")
    assert fieldset.legend.get_text(strip=True) == "Overall judgement"
    assert fieldset["aria-describedby"] == "id_judgement_error"
    assert radios[0].find_parent("div", class_="govuk-radios")["data-module"] == "govuk-radios"
    labels = [soup.find("label", {"for": r["id"]}).get_text(strip=True) for r in radios]
    assert labels == ["Outstanding", "Good", "Requires Improvement", "Inadequate"]
    assert "govuk-form-group--error" in fieldset.parent["class"]


def test_checkboxes_keep_what_was_ticked():
    soup = render(bound(bottom_lines=["genogram"], full_name=""))
    boxes = soup.find_all("input", {"name": "bottom_lines"})
    assert all("govuk-checkboxes__input" in b["class"] for b in boxes)
    assert [b.has_attr("checked") for b in boxes] == [True, False, False]
    assert boxes[0].find_parent("fieldset")["aria-describedby"] == "id_bottom_lines_helptext"


def test_textarea_with_a_limit_is_a_character_count():
    soup = render(EveryComponentForm())
    textarea = soup.find("textarea", {"name": "journey"})
    wrapper = textarea.find_parent("div", class_="govuk-character-count")
    assert wrapper["data-module"] == "govuk-character-count"
    assert wrapper["data-maxlength"] == "200"
    assert "govuk-js-character-count" in textarea["class"]
    assert not textarea.has_attr("maxlength")  # people may type past it and see by how much
    info = soup.find(id="id_journey-info")
    assert info.get_text(strip=True) == "You can enter up to 200 characters"
    assert textarea["aria-describedby"].split()[0] == "id_journey-info"


def test_text_over_the_limit_is_refused_with_the_limit_named():
    assert bound(journey="x" * 201).errors["journey"] == [
        "The child's journey must be 200 characters or fewer"
    ]


def test_textarea_without_a_limit_is_a_plain_textarea():
    soup = render(EveryComponentForm())
    textarea = soup.find("textarea", {"name": "notes"})
    assert "govuk-textarea" in textarea["class"]
    assert textarea.find_parent("div", class_="govuk-character-count") is None


def test_single_checkbox():
    form = bound(confirmed=None)
    assert form.errors["confirmed"] == ["Select 'I have read the whole file' to continue"]
    soup = render(form)
    box = soup.find("input", {"name": "confirmed"})
    assert box["type"] == "checkbox"
    assert "govuk-checkboxes__input" in box["class"]


def test_date_input_renders_three_labelled_parts_in_a_fieldset():
    soup = render(EveryComponentForm())
    parts = soup.select(".govuk-date-input input")
    assert [p["name"] for p in parts] == ["start_date_0", "start_date_1", "start_date_2"]
    assert [soup.find("label", {"for": p["id"]}).get_text(strip=True) for p in parts] == [
        "Day",
        "Month",
        "Year",
    ]
    assert all(p["inputmode"] == "numeric" for p in parts)
    assert "govuk-input--width-4" in parts[2]["class"]
    fieldset = parts[0].find_parent("fieldset")
    assert fieldset["role"] == "group"
    assert fieldset.legend.get_text(strip=True) == "Start date"


def test_date_input_rejects_31_february_with_a_clear_message():
    form = bound(start_date_0="31", start_date_1="02", start_date_2="2026")
    assert form.errors["start_date"] == ["Start date must be a real date"]
    soup = render(form)
    parts = soup.select(".govuk-date-input input")
    assert all("govuk-input--error" in p["class"] for p in parts)
    assert soup.select_one(".govuk-error-summary a")["href"] == "#id_start_date_0"
    # What the person typed is kept, so they can correct it.
    assert [p["value"] for p in parts] == ["31", "02", "2026"]


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "highlighted"),
    [
        ("", "", "", "Enter start date", [0, 1, 2]),
        ("", "3", "2026", "Start date must include a day", [0]),
        ("27", "", "", "Start date must include a month and year", [1, 2]),
        ("27", "3", "", "Start date must include a year", [2]),
        ("27", "March", "2026", "Start date must be a real date", [1]),
        ("\u00b9", "3", "2026", "Start date must be a real date", [0]),
        ("27", "13", "2026", "Start date must be a real date", [0, 1, 2]),
        ("29", "2", "2025", "Start date must be a real date", [0, 1, 2]),
        ("27", "3", "26", "Year must include 4 numbers", [2]),
    ],
)
def test_date_input_messages_name_what_is_wrong(day, month, year, message, highlighted):
    form = bound(start_date_0=day, start_date_1=month, start_date_2=year)
    assert form.errors["start_date"] == [message]
    parts = render(form).select(".govuk-date-input input")
    assert [i for i, p in enumerate(parts) if "govuk-input--error" in p["class"]] == highlighted


def test_date_input_accepts_29_february_in_a_leap_year():
    form = bound(start_date_0="29", start_date_1="2", start_date_2="2024")
    assert form.is_valid(), form.errors


def test_date_input_refuses_a_future_date_when_asked_to():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = bound(
        start_date_0=str(tomorrow.day),
        start_date_1=str(tomorrow.month),
        start_date_2=str(tomorrow.year),
    )
    assert form.errors["start_date"] == ["Start date must be today or in the past"]


def test_date_input_shows_an_initial_date_in_its_parts():
    form = EveryComponentForm(initial={"start_date": datetime.date(2025, 11, 5)})
    parts = render(form).select(".govuk-date-input input")
    assert [p["value"] for p in parts] == ["5", "11", "2025"]


def test_form_layer_leaves_no_browser_validation_in_the_way():
    soup = render(EveryComponentForm())
    assert soup.find(attrs={"required": True}) is None


# Whole numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "number"),
    [("40", 40), ("1,000", 1000), (" 12 500 ", 12500), ("1,000,000", 1_000_000), ("0", 0)],
)
def test_a_whole_number_may_be_written_with_thousands_separators(typed, number):
    assert WholeNumberField().clean(typed) == number


@pytest.mark.parametrize("typed", ["1,00", "1.5", "1,,000", "10,00,000", "1, 000", "forty"])
def test_separators_anywhere_but_between_groups_of_three_are_refused(typed):
    with pytest.raises(ValidationError):
        WholeNumberField().clean(typed)


def test_a_whole_number_is_asked_for_in_a_text_input_with_a_numeric_keyboard():
    html = str(WholeNumberField(width=3).widget.render("count", None))
    assert 'type="text"' in html
    assert 'inputmode="numeric"' in html
    assert "govuk-input--width-3" in html
