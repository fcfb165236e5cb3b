"""The GOV.UK three-field date input (day, month, year) as a reusable widget and field."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

_PARTS = ("day", "month", "year")


class GovUKDateInput(forms.MultiWidget):
    template_name = "govuk/widgets/date_input.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        widgets = [
            forms.TextInput(attrs={"inputmode": "numeric"}),
            forms.TextInput(attrs={"inputmode": "numeric"}),
            forms.TextInput(attrs={"inputmode": "numeric"}),
        ]
        super().__init__(widgets, attrs)
        self.error_parts = set()

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for index, (part, sub) in enumerate(
            zip(_PARTS, context["widget"]["subwidgets"], strict=True)
        ):
            width = "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
            classes = ["govuk-input", "govuk-date-input__input", width]
            if index in self.error_parts:
                classes.append("govuk-input--error")
            sub["attrs"]["class"] = " ".join(classes)
            sub["attrs"].pop("aria-invalid", None)
            if index in self.error_parts:
                sub["attrs"]["aria-invalid"] = "true"
            sub["part_label"] = part.capitalize()
        return context

    def id_for_label(self, id_):
        # The label is a legend; the error summary links to the first part itself.
        return f"{id_}_0" if id_ else id_


class GovUKDateField(forms.MultiValueField):
    """A date typed as day, month and year, checked with GOV.UK's messages.

    `past_or_today=True` refuses dates after today (a start date cannot be in the future).
    """

    widget = GovUKDateInput

    def __init__(self, *, past_or_today=False, **kwargs):
        self.past_or_today = past_or_today
        self.error_parts = set()
        fields = [forms.CharField(required=False) for _ in _PARTS]
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def _message_label(self):
        label = str(self.label or "Date")
        return label[0].upper() + label[1:]

    def clean(self, value):
        self.error_parts = set()
        parts = [str(v).strip() if v is not None else "" for v in (value or ["", "", ""])]
        parts = [*parts, "", "", ""][:3]
        label = self._message_label()
        if not any(parts):
            if self.required:
                self.error_parts = {0, 1, 2}
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        missing = [i for i, v in enumerate(parts) if not v]
        if missing:
            self.error_parts = set(missing)
            names = " and ".join(_PARTS[i] for i in missing)
            raise ValidationError(f"{label} must include a {names}", code="incomplete")
        # isascii: Python counts "¹" as a digit, but int() refuses it.
        not_numbers = {i for i, v in enumerate(parts) if not (v.isascii() and v.isdigit())}
        if not_numbers:
            self.error_parts = not_numbers
            raise ValidationError(f"{label} must be a real date", code="invalid")
        day, month, year = (int(v) for v in parts)
        if len(parts[2]) != 4:
            self.error_parts = {2}
            raise ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            result = datetime.date(year, month, day)
        except ValueError:
            self.error_parts = {0, 1, 2}
            raise ValidationError(f"{label} must be a real date", code="invalid") from None
        if self.past_or_today and result > timezone.localdate():
            self.error_parts = {0, 1, 2}
            raise ValidationError(f"{label} must be today or in the past", code="future")
        self.run_validators(result)
        return result

    def compress(self, data_list):
        # clean() above does the whole job; MultiValueField requires this method to exist.
        raise NotImplementedError

    def has_changed(self, initial, data):
        try:
            return self.clean(data) != initial
        except ValidationError:
            return True
