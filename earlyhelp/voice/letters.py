"""Invitation letters as a tagged PDF (PDF/UA-1), one A4 page each, for the lead agency to post.

The service holds no address: the agency puts each letter in an envelope and addresses it. The
letter names no family, child or reference. It gives the short link (SERVICE_URL/feedback/),
the code in groups of four, the last day it works, and which agency is posting it for the Early
Help Team. A batch starts with a covering page for the Early Help Team and the agencies, which
says which letter goes to which EHA: that page is OFFICIAL-SENSITIVE and is never posted.

Made with WeasyPrint like the audit PDF (audits/pdf.py): nothing is fetched while rendering.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .invitations import last_day, short_link, token_of
from .tokens import grouped

PDF_VARIANT = "pdf/ua-1"
_STYLESHEET = Path(__file__).resolve().parent / "templates" / "voice" / "invitations" / "letter.css"


def render_letters(invitations, *, covering_page=True) -> bytes:
    """The letters for these invitations, in the order given, as PDF bytes."""
    # Imported here so that WeasyPrint (and pango) load only when a PDF is made.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    today = timezone.localdate()
    letters = [
        {
            "number": number,
            "invitation": invitation,
            "agency": invitation.assessment.lead_agency.name,
            "code": grouped(token_of(invitation)),
            "last_day": last_day(invitation),
        }
        for number, invitation in enumerate(invitations, start=1)
    ]
    html = render_to_string(
        "voice/invitations/letters.html",
        {
            "letters": letters,
            "covering_page": covering_page,
            "short_link": short_link(),
            "printed_on": today,
            "partnership_name": settings.PARTNERSHIP_NAME,
            "service_contact_email": settings.SERVICE_CONTACT_EMAIL,
        },
    )
    refuse_all = URLFetcher(allowed_protocols=())
    return HTML(string=html, url_fetcher=refuse_all).write_pdf(
        stylesheets=[CSS(string=_STYLESHEET.read_text(encoding="utf-8"), url_fetcher=refuse_all)],
        pdf_variant=PDF_VARIANT,
    )
