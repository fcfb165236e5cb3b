"""The completed audit as a PDF download, for the Child and Family file."""

import re

from django.http import Http404, HttpResponse

from earlyhelp.accounts.access import roles_required
from earlyhelp.core.access_log import record_view

from .pdf import render_audit_pdf
from .views import AUDIT_ROLES, _audit_for


@roles_required(*AUDIT_ROLES)
def audit_pdf(request, pk):
    """The QA lead (any audit) or the assigned auditor, once the audit is submitted or later.
    An audit still being written has no PDF: it answers 404, like an audit one may not see."""
    audit = _audit_for(request, pk)
    if audit.is_editable:
        raise Http404
    content = render_audit_pdf(audit)
    reference = audit.assessment.reference
    record_view(request=request, record_type="audit", record_id=audit.pk, record_label=reference)
    response = HttpResponse(content, content_type="application/pdf")
    filename = "audit-" + re.sub(r"[^A-Za-z0-9._-]+", "-", reference) + ".pdf"
    # It holds information about a child: like every page for someone signed in, it is sent
    # with Cache-Control: private, no-store (accounts/not_stored.py).
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
