"""The form for tagging an audit with learning themes."""

from django import forms

from earlyhelp.core.forms import GovUKForm

NOT_IN_LIST = (
    "Select learning themes from the list. A theme may have been retired since you opened this page"
)


class AuditThemesForm(GovUKForm):
    """Checkboxes of the themes offered for one audit (see services.themes_offered), each with
    its description as a hint. `cleaned_data["themes"]` is a list of LearningTheme objects."""

    heading_field = "themes"

    themes = forms.MultipleChoiceField(
        label="Which learning themes did this audit find?",
        help_text="Select all that apply. Untick a theme to remove it from this audit.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        # The project's checkboxes do not show a hint per option yet; this one does.
        template_name="learning/forms/checkboxes_with_hints.html",
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self._themes = {str(theme.pk): theme for theme in themes}
        field = self.fields["themes"]
        field.choices = [
            (key, theme.name if theme.is_active else f"{theme.name} (retired)")
            for key, theme in self._themes.items()
        ]
        field.option_hints = {
            key: theme.description
            if theme.is_active
            else "No longer in use. It stays on this audit unless you untick it."
            for key, theme in self._themes.items()
        }
        # Set here, after the form layer's own messages, which would name the whole question.
        field.error_messages["invalid_choice"] = NOT_IN_LIST
        field.error_messages["invalid_list"] = NOT_IN_LIST

    def clean_themes(self):
        return [self._themes[key] for key in self.cleaned_data["themes"]]
