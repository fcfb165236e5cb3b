"""A hand-made report for the export tests: several sections, tables of numbers and text (some of
it shaped like a formula), notes, and a chart of every kind beside its table."""

from earlyhelp.reports.document import Chart, Document, Section, Series, Table

EN_DASH = "\u2013"

JUDGEMENTS = Table(
    key="judgement_mix",
    caption="Overall judgements of the audits completed in the quarter",
    columns=["Judgement", "Audits", "Share"],
    rows=[
        ["Outstanding", 3, f"3 of 24: 13%, 4%{EN_DASH}31%"],
        ["Good", 14, f"14 of 24: 58%, 39%{EN_DASH}76%"],
        ["Requires improvement", 5, f"5 of 24: 21%, 9%{EN_DASH}40%"],
        ["Inadequate", 2, f"2 of 24: 8%, 2%{EN_DASH}26%"],
    ],
)
COMPLIANCE = Table(
    key="compliance_by_standard",
    caption="Compliance with each standard",
    columns=["Standard", "Met", "Rated", "Compliance"],
    rows=[
        ["1.1 The assessment is up to date", 19, 24, 79.2],
        ["1.2 The child's voice is recorded", 11, 24, 45.8],
        ["=SUM(A1)", 7, 8, 87.5],
        ["@cmd", 0, 3, 0.0],
    ],
    notes=["Standards rated in fewer than 5 audits are shown but not compared with last quarter."],
)
BY_DISTRICT = Table(
    key="audits_by_district/agency: [type]?",  # characters Excel refuses in a sheet name
    caption="Audits completed by district and agency type",
    columns=["District", "Schools", "Health", "Other"],
    rows=[
        ["Allerdale", 6, 5, None],
        ["Carlisle", 8, 7, 5],
        ["Eden", "fewer than 5", "not shown", 5],
    ],
    notes=["Counts under 5 are hidden so that no family can be recognised."],
)
TREND = Table(
    key="trend_good_or_better_over_the_last_eight_quarters",  # longer than 31
    caption="Audits judged Good or better, last 8 quarters",
    columns=["Quarter", "Good or better", "Audits", "Percentage"],
    rows=[
        ["2024-Q4", 12, 20, 60.0],
        ["2025-Q1", 13, 21, 61.9],
        ["2025-Q2", 15, 22, 68.2],
        ["2025-Q3", 14, 23, 60.9],
        ["2025-Q4", 16, 22, 72.7],
        ["2026-Q1", 15, 24, 62.5],
        ["2026-Q2", 18, 25, 72.0],
        ["2026-Q3", 17, 24, 70.8],
    ],
)
# Same key up to Excel's 31 characters as the trend table: the sheet names must still differ.
TREND_AGAIN = Table(
    key="trend_good_or_better_over_the_last_eight_quarters_by_type",
    caption="Dip sample audits judged Good or better, last 8 quarters",
    columns=["Quarter", "Good or better"],
    rows=[["2026-Q2", 9], ["2026-Q3", 10]],
)
OPEN_EHAS = Table(
    key="ehas_open_at_month_end",
    caption="EHAs open at the end of each month",
    columns=["Month", "Open EHAs"],
    rows=[
        ["October 2025", 412],
        ["November 2025", 420],
        ["December 2025", 431],
        ["January 2026", 405],
        ["February 2026", 398],
        ["March 2026", 466],
    ],
)

MONTHS = [row[0] for row in OPEN_EHAS.rows]


def sample_document() -> Document:
    return Document(
        title="Early Help quality assurance report",
        period_label="2026-Q3 (July to September 2026)",
        generated_on="2026-10-05",
        sections=[
            Section(
                key="judgements",
                title="How good is our Early Help practice?",
                paragraphs=[
                    f"17 of 24 audits were judged Good or better: 71%, 51%{EN_DASH}85%.",
                    "The sample is too small to say whether this has changed since last quarter.",
                ],
                tables=[JUDGEMENTS, TREND, TREND_AGAIN],
                charts=[
                    Chart(
                        kind="bar",
                        title="Overall judgements",
                        description="Most audits (14 of 24) were judged Good; 2 were Inadequate.",
                        table_key=JUDGEMENTS.key,
                        labels=[row[0] for row in JUDGEMENTS.rows],
                        series=[Series("Audits", [3, 14, 5, 2])],
                        y_label="Audits",
                    ),
                    Chart(
                        kind="line",
                        title="Good or better over the last 8 quarters",
                        description="The share judged Good or better rose from 60% to 71%.",
                        table_key=TREND.key,
                        labels=[row[0] for row in TREND.rows],
                        series=[Series("Good or better", [row[3] for row in TREND.rows])],
                        y_label="Percentage",
                        percent=True,
                    ),
                ],
            ),
            Section(
                key="compliance",
                title="Are we meeting the standards?",
                paragraphs=["The child's voice is the standard met least often."],
                tables=[COMPLIANCE, BY_DISTRICT],
                charts=[
                    Chart(
                        kind="stacked_bar",
                        title="Audits by district and agency type",
                        description="Carlisle completed the most audits, 20 in all.",
                        table_key=BY_DISTRICT.key,
                        labels=["Allerdale", "Carlisle", "Eden"],
                        series=[
                            Series("Schools", [6, 8, None]),
                            Series("Health", [5, 7, None]),
                            Series("Other", [None, 5, 5]),
                        ],
                        y_label="Audits",
                    ),
                ],
            ),
            Section(
                key="performance",
                title="How many families are we helping?",
                paragraphs=["EHAs open at month end rose in March above the upper process limit."],
                tables=[OPEN_EHAS],
                charts=[
                    Chart(
                        kind="spc",
                        title="EHAs open at month end",
                        description=(
                            "An XmR chart of EHAs open at month end: mean 422; March (466) is "
                            "above the upper process limit of 460."
                        ),
                        table_key=OPEN_EHAS.key,
                        labels=MONTHS,
                        series=[Series("Open EHAs", [row[1] for row in OPEN_EHAS.rows])],
                        mean=422.0,
                        upper_limit=460.0,
                        lower_limit=384.0,
                        signals=[
                            {
                                "index": 5,
                                "rule": "beyond_limit",
                                "points": [5],
                                "text": "March is above the upper process limit.",
                            }
                        ],
                        y_label="EHAs",
                    ),
                ],
            ),
            Section(
                key="working_well",
                title="What is working well",
                paragraphs=["Plans are written with families, in their words."],
            ),
        ],
    )
