from django import forms
from django.core.validators import MaxLengthValidator
from django.forms.utils import pretty_name

from .dates import GovUKDateField
from .renderer import GovUKFormRenderer


def _lower_first(label: str) -> str:
    # "E-mail address" -> "e-mail address", but keep acronyms: "TAF meeting date".
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _django_message(field, key):
    """Django's own message for `key` for this kind of field (None if it has none). Messages
    our own field classes define (GovUKDateField's) count as the form's own."""
    for kind in type(field).__mro__:
        if not kind.__module__.startswith("django."):
            continue
        message = getattr(kind, "default_error_messages", {}).get(key)
        if message is not None:
            return message
    return None


def _default_required_message(field, label):
    if isinstance(field, forms.BooleanField):
        return f"Select '{label}' to continue"
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
        return f"Select {_lower_first(label)}"
    if isinstance(field, forms.FileField):
        return f"Select {_lower_first(label)}"
    return f"Enter {_lower_first(label)}"


class GovUKFormMixin:
    """GOV.UK rendering and GOV.UK-style error messages for a Django form.

    Messages a form sets itself (`error_messages=`) are kept; Django's generic ones are replaced
    with messages that name the field, as the GOV.UK Design System asks.
    `heading_field` names a field whose label or legend is the page's h1 (one-question pages).
    """

    default_renderer = GovUKFormRenderer
    use_required_attribute = False  # the server checks; browser pop-ups are not accessible
    heading_field = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.label is None:
                field.label = pretty_name(name)
            self._govuk_messages(field, str(field.label))

    @staticmethod
    def _govuk_messages(field, label):
        # Only Django's own words are replaced: a message the form gave is kept.
        own = {
            key: message
            for key, message in field.error_messages.items()
            if message != _django_message(field, key)
        }
        field.error_messages["required"] = _default_required_message(field, label)
        if isinstance(field, GovUKDateField):
            field.error_messages.update(own)
            return
        if isinstance(field, forms.EmailField):
            field.error_messages["invalid"] = (
                "Enter an e-mail address in the correct format, like name@example.com"
            )
        elif isinstance(field, forms.IntegerField):
            field.error_messages["invalid"] = f"{label} must be a whole number"
        elif isinstance(field, forms.ChoiceField):
            field.error_messages["invalid_choice"] = f"Select {_lower_first(label)} from the list"  # noqa: S608 - a message, not SQL
        field.error_messages.update(own)
        field.validators = [
            MaxLengthValidator(
                v.limit_value, f"{label} must be {v.limit_value} characters or fewer"
            )
            if isinstance(v, MaxLengthValidator)
            else v
            for v in field.validators
        ]

    @property
    def error_list(self):
        """(anchor, message) pairs for the error summary, in the order of the form."""
        items = [("", error) for error in self.non_field_errors()]
        for bound in self:
            items.extend((bound.error_anchor, error) for error in bound.errors)
        return items


class GovUKForm(GovUKFormMixin, forms.Form):
    pass


class GovUKModelForm(GovUKFormMixin, forms.ModelForm):
    pass
