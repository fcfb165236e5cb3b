import io

import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph

from earlyhelp.reports.exports.docx import docx_bytes
from earlyhelp.reports.exports.wording import DRAFT, superseded
from earlyhelp.reports.presentation import cell_text

from .export_sample import sample_document


@pytest.fixture(scope="module")
def document():
    return sample_document()


@pytest.fixture(scope="module")
def word(document):
    return WordDocument(io.BytesIO(docx_bytes(document, draft=True)))


@pytest.fixture(scope="module")
def final_word(document):
    return WordDocument(io.BytesIO(docx_bytes(document)))


def _body(word):
    """The paper's paragraphs and tables in reading order."""
    for child in word.element.body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, word)
        elif child.tag == qn("w:tbl"):
            yield WordTable(child, word)


def _descriptions(paragraph):
    return [p.get("descr") for p in paragraph._p.iter(qn("wp:docPr"))]


def test_the_paper_opens_with_the_title_and_period(word, document):
    assert word.paragraphs[0].style.name == "Title"
    assert word.paragraphs[0].text == document.title
    assert word.paragraphs[1].text == document.period_label
    assert word.paragraphs[2].text == "Figures computed on 5 October 2026."
    assert word.core_properties.title == f"DRAFT: {document.title}, {document.period_label}"


def test_every_section_is_a_heading_in_the_navigation_pane(word, document):
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == [section.title for section in document.sections]


def test_every_paragraph_is_in_the_paper(word, document):
    texts = [p.text for p in word.paragraphs]
    for section in document.sections:
        for paragraph in section.paragraphs:
            assert paragraph in texts


def test_every_table_has_its_caption_before_it_and_every_figure_in_its_cells(word, document):
    body = list(_body(word))
    grids = [(i, item) for i, item in enumerate(body) if isinstance(item, WordTable)]
    assert len(grids) == len(document.all_tables())
    for table, (place, grid) in zip(document.all_tables(), grids, strict=True):
        assert body[place - 1].style.name == "Caption"
        assert body[place - 1].text == table.caption
        cells = [[cell.text for cell in row.cells] for row in grid.rows]
        assert cells[0] == table.columns
        assert cells[1:] == [[cell_text(value) for value in row] for row in table.rows]


def test_the_header_row_is_bold_and_repeats_on_every_page(word):
    for grid in word.tables:
        header = grid.rows[0]
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
        assert all(row._tr.trPr is None for row in grid.rows[1:])


def test_each_chart_is_a_picture_right_after_its_table_with_its_description_as_alt_text(
    word, document
):
    body = list(_body(word))
    assert len(word.inline_shapes) == sum(len(s.charts) for s in document.sections)
    for section in document.sections:
        for chart in section.charts:
            table = section.table(chart.table_key)
            caption_at = next(
                i for i, item in enumerate(body) if getattr(item, "text", None) == table.caption
            )
            picture_at = next(
                i
                for i, item in enumerate(body)
                if isinstance(item, Paragraph) and chart.description in _descriptions(item)
            )
            # Only the table, its notes and the chart's own caption lie between them.
            between = body[caption_at + 1 : picture_at]
            assert isinstance(between[0], WordTable)
            assert [p.text for p in between[1:]] == [*table.notes, chart.title]


def test_the_draft_marking_is_the_same_whether_asked_for_as_draft_or_as_a_marking(document):
    marked = WordDocument(io.BytesIO(docx_bytes(document, marking=DRAFT)))
    assert marked.sections[0].header.paragraphs[0].text == "DRAFT: not yet published"
    assert marked.core_properties.title.startswith("DRAFT: ")


def test_a_draft_says_draft_in_the_header_of_every_page(word, final_word):
    assert all("DRAFT" in s.header.paragraphs[0].text for s in word.sections)
    assert not any("DRAFT" in s.header.paragraphs[0].text for s in final_word.sections)
    assert not any("DRAFT" in p.text for p in final_word.paragraphs)


def test_a_superseded_version_says_so_in_the_header_of_every_page_and_under_the_title(document):
    word = WordDocument(io.BytesIO(docx_bytes(document, marking=superseded(3, "2027-01-12"))))
    assert all(
        s.header.paragraphs[0].text == "SUPERSEDED: corrected by version 3" for s in word.sections
    )
    notices = [p.text for p in word.paragraphs if p.text.startswith("SUPERSEDED:")]
    assert len(notices) == 1
    assert "corrected by version 3, published on 12 January 2027" in notices[0]
    assert word.core_properties.title.startswith("SUPERSEDED: ")
    assert not any("DRAFT" in p.text for p in word.paragraphs)


def test_the_text_is_marked_as_british_english(word):
    language = word.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert language.get(qn("w:val")) == "en-GB"
