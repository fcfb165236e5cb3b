import contextlib
import re
import zlib

import pytest

from earlyhelp.reports.document import Document, Section, Table
from earlyhelp.reports.exports.pdf import pdf_bytes
from earlyhelp.reports.exports.wording import superseded
from earlyhelp.reports.figures import build_report
from earlyhelp.reports.presentation import cell_text
from earlyhelp.reports.statistics import Proportion
from earlyhelp.standards.models import Standard

from .export_sample import sample_document
from .pdf_text import pdf_info, pdf_pages, pdf_text
from .real_quarter import JUDGEMENTS, Q3, submitted_quarter

# WeasyPrint takes about half a second a page: each PDF is made once for the module.


@pytest.fixture(scope="module")
def document():
    return sample_document()


@pytest.fixture(scope="module")
def draft_pdf(document):
    return pdf_bytes(document, draft=True)


@pytest.fixture(scope="module")
def final_pdf(document):
    return pdf_bytes(document)


@pytest.fixture(scope="module")
def text(draft_pdf):
    return pdf_text(draft_pdf)


def test_the_pdf_is_tagged_for_screen_readers(draft_pdf, final_pdf):
    assert pdf_info(draft_pdf)["Tagged"] == "yes"
    assert pdf_info(final_pdf)["Tagged"] == "yes"


def test_the_pdf_is_titled_with_the_report_and_its_period(final_pdf, document):
    assert pdf_info(final_pdf)["Title"] == f"{document.title}, {document.period_label}"


def test_the_first_page_gives_title_period_and_generated_date(draft_pdf, document):
    first = pdf_pages(draft_pdf)[0]
    assert document.title in first
    assert document.period_label in first
    assert "5 October 2026" in first


def test_the_contents_lists_every_section(draft_pdf, document):
    first = pdf_pages(draft_pdf)[0]
    contents = first[first.index("Contents") :]
    for section in document.sections:
        assert section.title in contents


def test_every_paragraph_is_printed(text, document):
    for section in document.sections:
        assert section.title in text
        for paragraph in section.paragraphs:
            assert paragraph in text


def test_every_table_prints_its_caption_headers_figures_and_notes(text, document):
    for table in document.all_tables():
        assert table.caption in text
        for column in table.columns:
            assert column in text
        for row in table.rows:
            # A row reads across the page: its cells in order, the empty ones left out.
            assert " ".join(cell_text(v) for v in row if v is not None) in text
        for note in table.notes:
            assert note in text


def test_each_chart_follows_its_table_with_its_title_and_description(text, document):
    for section in document.sections:
        for chart in section.charts:
            table = section.table(chart.table_key)
            last_row = " ".join(cell_text(v) for v in table.rows[-1] if v is not None)
            after_table = text.index(last_row, text.index(table.caption)) + len(last_row)
            chart_at = text.index(chart.description, after_table)
            following = [
                text.index(other.caption)
                for other in document.all_tables()
                if text.index(other.caption) > after_table
            ]
            assert chart_at < min(following, default=len(text))
            assert chart.title in text[after_table:chart_at]


def test_a_draft_says_draft_on_every_page(draft_pdf):
    pages = pdf_pages(draft_pdf)
    assert len(pages) > 1
    assert all("DRAFT" in page for page in pages)
    assert pdf_info(draft_pdf)["Title"].startswith("DRAFT: ")


def test_a_draft_says_not_yet_published_at_the_top_of_every_page(draft_pdf):
    assert all("DRAFT: not yet published" in page for page in pdf_pages(draft_pdf))


def test_a_report_that_is_not_a_draft_never_says_draft(final_pdf):
    assert "DRAFT" not in pdf_text(final_pdf)


def test_a_superseded_version_says_which_version_corrected_it_on_every_page(document):
    pdf = pdf_bytes(document, marking=superseded(2, "2026-11-03"))
    pages = pdf_pages(pdf)
    assert len(pages) > 1
    assert all("SUPERSEDED: corrected by version 2" in page for page in pages)
    assert "corrected by version 2, published on 3 November 2026" in pages[0]
    assert pdf_info(pdf)["Title"].startswith("SUPERSEDED: ")
    assert "DRAFT" not in pdf_text(pdf)


def test_text_from_the_data_is_printed_as_text_not_markup():
    document = sample_document()
    document.sections = document.sections[-1:]
    document.sections[0].paragraphs = ["<b>Not bold</b> & <img src='http://example.invalid/x'>"]
    text = pdf_text(pdf_bytes(document))
    assert "<b>Not bold</b> & <img src='http://example.invalid/x'>" in text


def _squeezed(text):
    # A long cell wraps, at a space or after a hyphen ("well-" / "being"): compare without them.
    return "".join(text.split())


@pytest.mark.django_db
def test_the_pdf_of_a_real_quarter_shows_the_judgement_counts_and_every_standards_compliance():
    audits = submitted_quarter()
    text = _squeezed(pdf_text(pdf_bytes(build_report(Q3), draft=True)))
    judged = len(audits)
    for label in ("Good", "Inadequate"):
        count = JUDGEMENTS.count(label)
        share = Proportion(count, judged)
        # The judgement's row: its count, of how many, and the proportion with its interval.
        row = [label, count, judged, share.percent, share.low, share.high, share.text]
        assert _squeezed(" ".join(cell_text(v) for v in row)) in text
    standards = Standard.objects.filter(section__version=audits[0].framework_version).order_by(
        "section__order", "order"
    )
    assert standards.count() > 10
    for place, standard in enumerate(standards):
        met = 2 if place == 0 else 3  # the first is Partly met in one of the Good audits
        share = Proportion(met, judged)
        row = [standard.ref_id, standard.text, met, judged, share.percent, share.low, share.high]
        assert _squeezed(" ".join(cell_text(v) for v in [*row, share.text])) in text


def _inflated(pdf):
    """The PDF's bytes with every compressed stream inflated, to read its structure tags."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(match.group(1)))
    return b"\n".join(parts)


def test_each_chart_is_a_tagged_figure_with_alternative_text(final_pdf, document):
    figures = re.findall(rb"/S /Figure\b[^\n]*?/Alt \(([^)]*)\)", _inflated(final_pdf))
    titles = [chart.title.encode() for section in document.sections for chart in section.charts]
    assert sorted(figures) == sorted(titles)


def test_a_long_table_repeats_its_column_headers_on_every_page_it_runs_onto():
    long_table = Table(
        key="months",
        caption="EHAs open at each month end, ten years",
        columns=["Month number", "Open EHAs at the month end"],
        rows=[[f"Month {n}", 400 + n] for n in range(1, 121)],
    )
    document = Document(
        "A long table", "2026-Q3", "2026-10-05", [Section("all", "All", [], [long_table])]
    )
    pages = pdf_pages(pdf_bytes(document))
    holding_rows = [page for page in pages if "Month " in page.replace("Month number", "")]
    assert len(holding_rows) > 1
    assert all("Month number Open EHAs at the month end" in page for page in holding_rows)
