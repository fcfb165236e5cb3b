"""Invitation letters as a tagged PDF (PDF/UA-1), one A4 page each, for the lead agency to post.

The service holds no address: the agency puts each letter in an envelope and addresses it. The
letter names no family, child or reference. It gives the short link (SERVICE_URL/feedback/),
the code in groups of four, the last day it works, and which agency is posting it for the Early
Help Team. A batch starts with a covering page for the Early Help Team and the agencies, which
says which letter goes to which EHA: that page is OFFICIAL-SENSITIVE and is never posted.

Made by core.pdf.render_pdf like the audit PDF, with the letter's own stylesheet only (no page
numbers or running header on a letter): nothing is fetched while rendering.
"""

from pathlib import Path

from django.conf import settings
from django.utils import timezone

from earlyhelp.core.pdf import render_pdf

from .invitations import last_day, short_link, token_of
from .tokens import grouped

_STYLESHEET = Path(__file__).resolve().parent / "templates" / "voice" / "invitations" / "letter.css"


def render_letters(invitations, *, covering_page=True) -> bytes:
    """The letters for these invitations, in the order given, as PDF bytes."""
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
    return render_pdf(
        "voice/invitations/letters.html",
        {
            "letters": letters,
            "covering_page": covering_page,
            "short_link": short_link(),
            "printed_on": today,
            "partnership_name": settings.PARTNERSHIP_NAME,
            "service_contact_email": settings.SERVICE_CONTACT_EMAIL,
        },
        stylesheets=(_STYLESHEET,),
    )
