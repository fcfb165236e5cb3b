from pathlib import Path

from django import forms
from django.conf import settings

from earlyhelp.core.forms import GovUKForm

ALLOWED_SUFFIXES = {".csv", ".xlsx"}


class UploadForm(GovUKForm):
    report = forms.FileField(
        label="Data report",
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={
            "required": "Select a data report to upload",
            "empty": "The selected file is empty",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].help_text = (
            "The EHM data report saved as CSV or Excel (.xlsx), "
            f"up to {settings.IMPORT_MAX_UPLOAD_MB} MB"
        )

    def clean_report(self):
        report = self.cleaned_data["report"]
        if Path(report.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError("The selected file must be a CSV or an Excel (.xlsx) file")
        if report.size == 0:
            raise forms.ValidationError("The selected file is empty")
        if report.size > settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"The selected file must be smaller than {settings.IMPORT_MAX_UPLOAD_MB} MB"
            )
        return report
