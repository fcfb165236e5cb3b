"""The completed audit as a tagged PDF (PDF/UA-1) for the Child and Family file.

The PDF is made with WeasyPrint from an HTML template (audits/pdf/audit.html) and a print
stylesheet (audits/pdf/audit.css) beside it. The document is A4, carries the partnership's name
and the OFFICIAL-SENSITIVE marking on every page (it holds information about a child) and
numbers its pages "Page N of M". Text typed by people is escaped by the template like any page.

Nothing is fetched while rendering: no fonts, images or stylesheets from anywhere (the fonts
are the system's own), so a note that contains a link cannot make the server fetch it.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

PDF_VARIANT = "pdf/ua-1"
_STYLESHEET = Path(__file__).resolve().parent / "templates" / "audits" / "pdf" / "audit.css"


def render_audit_pdf(audit) -> bytes:
    """The audit as PDF bytes. Give it an audit fetched with its framework version's sections,
    grades and anchors prefetched (as `views._audit_for` does) to keep the queries few."""
    # Imported here so that WeasyPrint (and pango) load only when a PDF is made.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("audits/pdf/audit.html", _context(audit))
    refuse_all = URLFetcher(allowed_protocols=())
    return HTML(string=html, url_fetcher=refuse_all).write_pdf(
        stylesheets=[CSS(string=_STYLESHEET.read_text(encoding="utf-8"), url_fetcher=refuse_all)],
        pdf_variant=PDF_VARIANT,
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
