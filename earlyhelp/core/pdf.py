"""Tagged PDFs (PDF/UA-1) with WeasyPrint, made the same way for every document of the service:
an HTML template and its stylesheets, the system's fonts, and nothing fetched while rendering: no
fonts, images or stylesheets from anywhere, so a note that contains a link cannot make the server
fetch it.

Reports and audits start from the shared print stylesheet (PRINT_STYLESHEET: A4, the
partnership's name at the top of each page, "Page N of M" at the foot) and add their own after
it; the invitation letters, which are posted to families, have a layout of their own."""

from pathlib import Path

from django.template.loader import render_to_string

PDF_VARIANT = "pdf/ua-1"
PRINT_STYLESHEET = Path(__file__).resolve().parent / "templates" / "pdf" / "print.css"


def render_pdf(template_name: str, context: dict, *, stylesheets: tuple[Path, ...]) -> bytes:
    # Imported here so that WeasyPrint (and pango) load only when a PDF is made.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    refuse_all = URLFetcher(allowed_protocols=())
    html = render_to_string(template_name, context)
    sheets = [
        CSS(string=path.read_text(encoding="utf-8"), url_fetcher=refuse_all) for path in stylesheets
    ]
    return HTML(string=html, url_fetcher=refuse_all).write_pdf(
        stylesheets=sheets, pdf_variant=PDF_VARIANT
    )
