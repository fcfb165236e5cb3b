"""The filters of the QA lead's list of all audits."""

import datetime
import re

from django import forms
from django.db.models import Exists, Min, OuterRef, Q

from earlyhelp.accounts.filter_fields import district_filter, full_width_select, lead_agency_filter
from earlyhelp.accounts.models import User, UserRole
from earlyhelp.accounts.roles import Role
from earlyhelp.core.forms import GovUKForm
from earlyhelp.standards.models import JudgementGrade

from .models import Audit
from .selectors import DEFAULT_SORT, SORTS

MONTH_NAMES = {
    name.lower(): number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH_INVALID = "Enter the month due as a month and year, like March 2026 or 2026-03"
MONTH_NOT_REAL = "Month due must be a real month, like March 2026 or 2026-03"
FIRST_YEAR, LAST_YEAR = 2000, 2100


def parse_month(text: str) -> datetime.date:
    """The first day of the month a person typed: "2026-03", "03/2026", "3 2026", "March 2026"
    or "Mar 2026". Raises ValidationError with a message that says what to type."""
    text = text.strip().lower()
    if match := re.fullmatch(r"(\d{4})\s*[-/.\s]\s*(\d{1,2})", text):
        year, month = int(match[1]), int(match[2])
    elif match := re.fullmatch(r"(\d{1,2})\s*[-/.\s]\s*(\d{4})", text):
        month, year = int(match[1]), int(match[2])
    elif (match := re.fullmatch(r"([a-z]+)\.?,?\s*(\d{4})", text)) and match[1] in MONTH_NAMES:
        month, year = MONTH_NAMES[match[1]], int(match[2])
    else:
        raise forms.ValidationError(MONTH_INVALID, code="invalid")
    if not (1 <= month <= 12 and FIRST_YEAR <= year <= LAST_YEAR):
        raise forms.ValidationError(MONTH_NOT_REAL, code="invalid")
    return datetime.date(year, month, 1)


class MonthField(forms.Field):
    """A month and year typed as text; cleans to the month's first day, or None when empty."""

    MAX_LENGTH = 20

    def to_python(self, value):
        value = str(value or "").strip()
        if not value:
            return None
        if len(value) > self.MAX_LENGTH:
            raise forms.ValidationError(MONTH_INVALID, code="invalid")
        return parse_month(value)


def judgement_choices():
    """Every judgement grade's label, best first, once however many framework versions use it."""
    labels = JudgementGrade.objects.values("label").annotate(first=Min("order")).order_by("first")
    return [(row["label"], row["label"]) for row in labels]


def auditors():
    """People who audit now, and people who have audits from before, by name."""
    holds_role = UserRole.objects.filter(user=OuterRef("pk"), role=Role.AUDITOR)
    has_audits = Audit.objects.filter(auditor=OuterRef("pk"))
    return User.objects.filter(Q(Exists(holds_role)) | Q(Exists(has_audits))).order_by(
        "full_name", "email"
    )


class AuditorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class AuditFilterForm(GovUKForm):
    """The filters of the list of all audits. Sent by GET, so a filtered list can be bookmarked
    and works without JavaScript. Every field is optional: empty means "any"."""

    month = MonthField(
        label="Month due",
        help_text="For example, March 2026 or 2026-03",
        required=False,
        widget=forms.TextInput(
            attrs={"spellcheck": "false", "class": "govuk-input--width-10", "maxlength": "20"}
        ),
    )
    type = forms.ChoiceField(
        label="Type",
        choices=[("", "All types"), *Audit.Type.choices],
        required=False,
        widget=full_width_select(),
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Any status"), *Audit.Status.choices],
        required=False,
        widget=full_width_select(),
    )
    auditor = AuditorChoiceField(
        label="Auditor",
        queryset=User.objects.none(),
        empty_label="All auditors",
        required=False,
        widget=full_width_select(),
    )
    district = district_filter()
    lead_agency = lead_agency_filter()
    judgement = forms.ChoiceField(
        label="Judgement",
        help_text="Of submitted audits",
        choices=[],
        required=False,
        widget=full_width_select(),
    )
    # Kept as the filters change, so a sorted list stays sorted. Never an error: an unknown
    # value (an edited address) simply gives the usual order.
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = auditors()
        self.fields["judgement"].choices = [("", "Any judgement"), *judgement_choices()]

    def clean_sort(self):
        sort = self.cleaned_data["sort"]
        return sort if sort.lstrip("-") in SORTS else DEFAULT_SORT
