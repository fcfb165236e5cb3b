"""The completed audit as a tagged PDF (PDF/UA-1) for the Child and Family file.

The PDF is made by core.pdf.render_pdf from an HTML template (audits/pdf/audit.html) and a print
stylesheet (audits/pdf/audit.css) beside it. The document is A4, carries the partnership's name
and the OFFICIAL-SENSITIVE marking on every page (it holds information about a child) and
numbers its pages "Page N of M". Text typed by people is escaped by the template like any page.
"""

from pathlib import Path

from django.conf import settings
from django.utils import timezone

from earlyhelp.core.pdf import PRINT_STYLESHEET, render_pdf

_STYLESHEET = Path(__file__).resolve().parent / "templates" / "audits" / "pdf" / "audit.css"


def render_audit_pdf(audit) -> bytes:
    """The audit as PDF bytes. Give it an audit fetched with its framework version's sections,
    grades and anchors prefetched (as `views._audit_for` does) to keep the queries few."""
    return render_pdf(
        "audits/pdf/audit.html", _context(audit), stylesheets=(PRINT_STYLESHEET, _STYLESHEET)
    )


def _context(audit):
    version = audit.framework_version
    ratings = list(
        audit.ratings.select_related("standard", "rating").order_by(
            "standard__section__order", "standard__order"
        )
    )
    by_section = {}
    for rating in ratings:
        by_section.setdefault(rating.standard.section_id, []).append(rating)
    sections = [
        (section, by_section[section.pk])
        for section in version.sections.all()
        if section.pk in by_section
    ]
    anchor = next((a for a in version.impact_anchors.all() if a.score == audit.impact_score), None)
    return {
        "audit": audit,
        "eha": audit.assessment,
        "version": version,
        "sections": sections,
        "checks": list(audit.bottom_line_checks.select_related("bottom_line")),
        "impact_anchor": anchor,
        "partnership_name": settings.PARTNERSHIP_NAME,
        "service_name": settings.SERVICE_NAME,
        "generated_at": timezone.localtime(),
    }
