"""A report Document on the web: captions, header scopes, numbers right-aligned, and every chart
shown with the table that holds its numbers."""

from bs4 import BeautifulSoup
from django.template.loader import render_to_string

from earlyhelp.reports.document import Chart, Document, Section, Series, Table
from earlyhelp.reports.presentation import cell_text


def a_document():
    by_district = Table(
        key="open-by-district",
        caption="EHAs open at the end of March 2026, by district",
        columns=["District", "Open EHAs", "Share"],
        rows=[["Allerdale", 1200, 41.5], ["Carlisle <b>", 15, None], ["Copeland", None, 0.25]],
        notes=["Districts with fewer than 5 open EHAs are not shown."],
    )
    by_month = Table(
        key="open-by-month",
        caption="EHAs open at month end",
        columns=["Month", "Open EHAs"],
        rows=[["January 2026", 10], ["February 2026", 12]],
    )
    return Document(
        title="Performance data",
        period_label="April 2024 to March 2026",
        generated_on="2026-04-01",
        sections=[
            Section(
                key="open",
                title="EHAs open",
                paragraphs=["How many EHAs were open.", "Second sentence <i>."],
                tables=[by_month, by_district],
                charts=[
                    Chart(
                        kind="bar",
                        title="Open EHAs by district",
                        description="Allerdale has the most.",
                        table_key="open-by-district",
                        labels=["Allerdale", "Carlisle <b>"],
                        series=[Series("Open EHAs", [1200, 15])],
                    ),
                    Chart(
                        kind="spc",
                        title="Open EHAs each month",
                        description="Two months, no signal.",
                        table_key="open-by-month",
                        labels=["January 2026", "February 2026"],
                        series=[Series("Open EHAs", [10, 12])],
                        mean=11,
                        upper_limit=16.32,
                        lower_limit=5.68,
                        signals=[
                            {"rule": "beyond_limit", "points": [1], "explanation": "Went up."}
                        ],
                    ),
                ],
            ),
            Section(key="second", title="Second section"),
        ],
    )


def render(**context):
    html = render_to_string("reports/_document.html", {"document": a_document(), **context})
    return BeautifulSoup(html, "html.parser")


def test_every_section_has_its_heading_at_level_2_by_default():
    page = render()

    headings = [h.get_text(strip=True) for h in page.find_all("h2")]

    assert headings == ["EHAs open", "Second section"]


def test_heading_level_can_be_set_for_a_page_that_nests_the_document():
    page = render(heading_level=3)

    assert not page.find_all("h2")
    assert [h.get_text(strip=True) for h in page.find_all("h3")] == ["EHAs open", "Second section"]


def test_paragraphs_are_shown_and_escaped():
    page = render()
    section = page.find(id="section-open")

    texts = [p.get_text() for p in section.find_all("p", recursive=False)]

    assert texts == ["How many EHAs were open.", "Second sentence <i>."]
    assert section.find("i") is None


def test_each_table_has_its_caption_and_column_headers_with_scope():
    page = render()
    table = page.find(id="table-open-by-district")

    assert table.caption.get_text(strip=True) == "EHAs open at the end of March 2026, by district"
    headers = table.thead.find_all("th")
    assert [h.get_text(strip=True) for h in headers] == ["District", "Open EHAs", "Share"]
    assert all(h["scope"] == "col" for h in headers)


def test_a_table_scrolls_in_its_own_box_named_by_its_caption_and_reached_by_keyboard():
    page = render()
    table = page.find(id="table-open-by-district")
    box = table.parent
    assert "app-table-scroll" in box["class"]
    assert box["role"] == "region"
    assert box["tabindex"] == "0"
    assert page.find(id=box["aria-labelledby"]) is table.caption


def test_the_first_cell_of_each_row_is_its_row_header():
    page = render()
    rows = page.find(id="table-open-by-district").tbody.find_all("tr")

    row_headers = [row.find("th") for row in rows]

    assert [th.get_text(strip=True) for th in row_headers] == [
        "Allerdale",
        "Carlisle <b>",
        "Copeland",
    ]
    assert all(th["scope"] == "row" for th in row_headers)
    assert all(len(row.find_all("th")) == 1 for row in rows)


def test_numbers_are_right_aligned_and_written_with_separators():
    page = render()
    first_row = page.find(id="table-open-by-district").tbody.find("tr")

    cells = first_row.find_all("td")

    assert [c.get_text(strip=True) for c in cells] == ["1,200", "41.5"]
    assert all("govuk-table__cell--numeric" in c["class"] for c in cells)
    headers = page.find(id="table-open-by-district").thead.find_all("th")
    assert "govuk-table__header--numeric" in headers[1]["class"]
    assert "govuk-table__header--numeric" not in headers[0]["class"]


def test_an_empty_cell_is_empty_and_not_marked_as_a_number():
    page = render()
    carlisle = page.find(id="table-open-by-district").tbody.find_all("tr")[1]

    share = carlisle.find_all("td")[1]

    assert share.get_text(strip=True) == ""
    assert "govuk-table__cell--numeric" not in share["class"]


def test_the_tables_notes_are_shown_under_it():
    page = render()

    notes = page.find(id="table-open-by-district-notes")

    assert "fewer than 5 open EHAs" in notes.get_text()
    assert notes.find_previous("table")["id"] == "table-open-by-district"


def test_each_chart_is_shown_directly_above_the_table_with_its_numbers():
    page = render()

    for key in ("open-by-district", "open-by-month"):
        figure = page.find("figure", attrs={"data-table": key})
        assert figure.find_next("table")["id"] == f"table-{key}"
        assert figure.find_parent("div")["id"] == f"table-{key}-block"


def test_a_chart_has_an_inline_svg_with_its_title_and_a_figure_caption():
    page = render()
    figure = page.find("figure", attrs={"data-table": "open-by-district"})

    svg = figure.find("svg")

    assert svg["role"] == "img"
    assert svg.find("title").get_text() == "Open EHAs by district"
    caption = figure.figcaption.get_text(" ", strip=True)
    assert "Open EHAs by district" in caption
    assert "Allerdale has the most." in caption


def test_a_charts_description_is_its_caption_in_words():
    page = render()
    figure = page.find("figure", attrs={"data-table": "open-by-month"})

    assert "Two months, no signal." in figure.figcaption.get_text()


def test_a_chart_whose_table_is_elsewhere_is_still_shown_with_a_link_to_it():
    document = a_document()
    document.sections[1].charts.append(document.sections[0].charts[0])
    html = render_to_string("reports/_document.html", {"document": document})
    page = BeautifulSoup(html, "html.parser")

    figure = page.find(id="section-second").find("figure")

    assert figure.find("a")["href"] == "#table-open-by-district"


def test_a_cell_reads_with_thousands_separated_and_at_most_two_decimal_places():
    # The PDF and the Word paper write their cells with the same function, so a figure reads
    # the same in every output.
    assert [cell_text(v) for v in [1234567, 41.5, 0.256, 3.0, 1200.0, True, False, None, "x"]] == [
        "1,234,567",
        "41.5",
        "0.26",
        "3",
        "1,200",
        "Yes",
        "No",
        "",
        "x",
    ]
