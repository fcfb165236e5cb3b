"""Whole numbers as people write them."""

import re

from django import forms

# "1,000", "12 500", "1,000,000": groups of three digits after the first, with a comma or a
# space between them. Anything else ("1,00", "1.000") is left as typed, and refused.
_GROUPED = re.compile(r"\d{1,3}(?:[, \u00a0]\d{3})+")
_SEPARATORS = str.maketrans("", "", ", \u00a0")


class WholeNumberField(forms.IntegerField):
    """An IntegerField that takes a large number written with thousands separators, as the
    GOV.UK Design System asks services to accept, and shows a text input with a numeric
    keyboard (not type="number", which GOV.UK advises against)."""

    def __init__(self, *, width=5, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "spellcheck": "false",
                    "class": f"govuk-input--width-{width}",
                }
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and _GROUPED.fullmatch(value.strip()):
            value = value.strip().translate(_SEPARATORS)
        return super().to_python(value)
