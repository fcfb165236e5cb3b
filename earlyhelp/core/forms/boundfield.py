from django.forms import BoundField
from django.utils.functional import cached_property

# GOV.UK Frontend class for each Django widget type, and its error modifier.
_INPUT_CLASSES = {
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "select": ("govuk-select", "govuk-select--error"),
    "nullbooleanselect": ("govuk-select", "govuk-select--error"),
    "radioselect": ("govuk-radios__input", ""),
    "checkboxselectmultiple": ("govuk-checkboxes__input", ""),
    "checkbox": ("govuk-checkboxes__input", ""),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
    "clearablefile": ("govuk-file-upload", "govuk-file-upload--error"),
    "govukdate": ("", ""),  # the date widget styles its own three inputs
}
_DEFAULT_INPUT_CLASSES = ("govuk-input", "govuk-input--error")

# Widgets whose options are grouped in a fieldset, with the label as its legend.
_FIELDSET_WIDGETS = {"radioselect", "checkboxselectmultiple", "govukdate"}


class GovUKBoundField(BoundField):
    """A field that knows its GOV.UK component, ids and classes, so templates stay simple."""

    @property
    def component(self) -> str:
        """Which GOV.UK component the field template renders."""
        kind = self.widget_type
        if kind == "textarea":
            return "character_count" if self.max_length else "textarea"
        if kind in ("radioselect", "checkboxselectmultiple", "checkbox", "govukdate"):
            return {"radioselect": "radios", "checkboxselectmultiple": "checkboxes"}.get(
                kind, {"checkbox": "checkbox", "govukdate": "date"}.get(kind)
            )
        if kind in ("select", "nullbooleanselect", "selectmultiple"):
            return "select"
        if kind in ("file", "clearablefile"):
            return "file"
        return "input"

    @property
    def options(self):
        """Radios or checkboxes with their hints: a field may carry `option_hints`, a mapping
        from each choice's value to a line of explanation shown under its label."""
        hints = getattr(self.field, "option_hints", None) or {}
        return [
            (option, hints.get(str(option.data["value"]), ""), f"{option.id_for_label}-hint")
            for option in self.subwidgets
        ]

    @property
    def inline(self) -> bool:
        """Radios shown side by side (a short scale, such as 0 to 10): set `inline = True` on
        the field."""
        return bool(getattr(self.field, "inline", False))

    @property
    def in_fieldset(self) -> bool:
        return self.widget_type in _FIELDSET_WIDGETS

    @cached_property
    def max_length(self):
        return getattr(self.field, "max_length", None)

    @property
    def hint_id(self):
        return f"{self.auto_id}_helptext"

    @property
    def error_id(self):
        return f"{self.auto_id}_error"

    @property
    def info_id(self):
        # GOV.UK's character count script looks for the message at "<textarea id>-info".
        return f"{self.auto_id}-info"

    @property
    def describedby(self) -> str:
        """The ids that describe the field: its hint, then its error (GOV.UK's order)."""
        ids = []
        if self.help_text:
            ids.append(self.hint_id)
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def error_anchor(self) -> str:
        """Where the error summary's link for this field takes the focus."""
        if self.widget_type in ("radioselect", "checkboxselectmultiple"):
            return f"{self.auto_id}_0"
        if self.widget_type == "govukdate":
            parts = sorted(getattr(self.field, "error_parts", ()) or {0})
            return f"{self.auto_id}_{parts[0]}"
        return self.auto_id

    @property
    def is_page_heading(self) -> bool:
        return getattr(self.form, "heading_field", None) == self.name

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        base, error = _INPUT_CLASSES.get(self.widget_type, _DEFAULT_INPUT_CLASSES)
        classes = [base] if base else []
        if error and self.errors:
            classes.append(error)
        if self.component == "character_count":
            # Let people type past the limit and see by how much, as GOV.UK advises;
            # the form still refuses text that is too long.
            # (False rather than removing it: the widget's own attrs would put it back.)
            attrs["maxlength"] = False
            classes.append("govuk-js-character-count")
            attrs["aria-describedby"] = " ".join(filter(None, [self.info_id, self.describedby]))
        existing = (widget or self.field.widget).attrs.get("class", "")
        attrs["class"] = " ".join(filter(None, [*classes, existing]))
        if self.in_fieldset:
            # The fieldset carries the description, not each option.
            attrs.pop("aria-describedby", None)
        if self.widget_type == "govukdate":
            self.field.widget.error_parts = (
                set(getattr(self.field, "error_parts", ()) or ()) if self.errors else set()
            )
        return attrs
