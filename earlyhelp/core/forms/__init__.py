"""The GOV.UK form layer: Django forms rendered as GOV.UK Frontend components.

Use `GovUKForm` / `GovUKModelForm` as the base of every form a person fills in, and
`{% include "govuk/error_summary.html" %}` above the page's heading. See docs/decisions/0003.
"""

from .base import GovUKForm, GovUKFormMixin, GovUKModelForm
from .dates import GovUKDateField, GovUKDateInput
from .numbers import WholeNumberField

__all__ = [
    "GovUKDateField",
    "GovUKDateInput",
    "GovUKForm",
    "GovUKFormMixin",
    "GovUKModelForm",
    "WholeNumberField",
]
