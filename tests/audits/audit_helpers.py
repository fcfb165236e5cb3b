"""Making audits for the audit form's tests, through the same service the QA lead uses."""

import datetime

from earlyhelp.accounts.roles import Role
from earlyhelp.audits.services import create_audit
from earlyhelp.standards.defaults import load_default_library
from earlyhelp.standards.models import FrameworkVersion

from ..cases.factories import EarlyHelpAssessmentFactory
from ..factories import UserFactory


def default_version():
    """The shipped CSCP framework's first version."""
    load_default_library()  # flushed databases (browser tests) lose the one migrate loaded
    return (
        FrameworkVersion.objects.filter(framework__ref_id="cscp-early-help-qaf")
        .order_by("effective_date")
        .first()
    )


def new_audit(auditor=None, version=None, **kwargs):
    auditor = auditor or UserFactory(roles=[Role.AUDITOR])
    qa_lead = UserFactory(roles=[Role.QA_LEAD])
    return create_audit(
        assessment=kwargs.pop("assessment", None) or EarlyHelpAssessmentFactory(),
        auditor=auditor,
        due_date=kwargs.pop("due_date", datetime.date(2026, 12, 31)),
        audit_type=kwargs.pop("audit_type", "dip_sample"),
        created_by=qa_lead,
        framework_version=version or default_version(),
    )
