"""The data report import: every rule of docs/import-format.md, with hand-made files."""

import datetime
import io

import pytest
from django.utils import timezone

from earlyhelp.accounts.models import Agency, AgencyType
from earlyhelp.cases.importing import ImportRefused, run_import
from earlyhelp.cases.models import CaseChange, EarlyHelpAssessment

from ..factories import UserFactory
from .import_files import HEADERS, csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db

# A name with characters that UTF-8 and Windows-1252 write differently.
ACCENTED_NAME = "Zo\u00eb O\u2019Neill"


def import_csv(rows, *, dry_run=False, **file_options):
    return run_import(io.BytesIO(csv_bytes(rows, **file_options)), dry_run=dry_run)


def test_a_valid_row_creates_an_eha_with_every_value():
    summary = import_csv([row()])
    assert (summary.rows, summary.created, summary.rejected) == (1, 1, 0)
    eha = EarlyHelpAssessment.objects.select_related(
        "family", "district", "lead_agency", "agency_type"
    ).get()
    assert eha.reference == "EHA-000001"
    assert eha.family.reference == "FAM-000001"
    assert eha.district.name == "Carlisle"
    assert eha.lead_agency.name == "Carlisle Early Help Team"
    assert eha.agency_type.name == "Family Support"
    assert eha.coordinator_email == "jo.bloggs@agency.test"
    assert eha.start_date == datetime.date(2025, 2, 1)
    assert eha.taf_meeting_date == datetime.date(2025, 2, 20)
    assert eha.plan_in_place is True
    assert eha.number_of_reviews == 2
    assert eha.next_review_date == datetime.date(2025, 8, 1)
    assert eha.status == "open"
    assert eha.closure_date is None
    assert eha.step_down_from_social_care is False
    assert eha.children_in_family == 3
    assert eha.chronology_recorded is False


def test_headers_match_without_regard_to_case_or_surrounding_spaces():
    headers = [f"  {h.upper()} " for h in HEADERS]
    data = csv_bytes([row()]).replace(",".join(HEADERS).encode(), ",".join(headers).encode())
    assert run_import(io.BytesIO(data)).created == 1


def test_unknown_columns_are_ignored_and_listed():
    summary = import_csv([row(Favourite_Colour="blue")], headers=[*HEADERS, "Favourite Colour"])
    assert summary.created == 1
    assert summary.ignored_columns == ["Favourite Colour"]


def test_the_same_rows_with_the_columns_in_another_order_are_unchanged():
    rows = [row(EHA_Reference=f"EHA-{n}") for n in range(3)]
    assert import_csv(rows).created == 3
    shuffled = [*reversed(HEADERS[10:]), *HEADERS[:10]]
    summary = import_csv(rows, headers=shuffled)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    # A cell after the last column (as a stray comma leaves) is not part of the row.
    data = csv_bytes(rows).decode().replace("\n", ",stray\n").replace(",stray\n", "\n", 1)
    summary = run_import(io.BytesIO(data.encode()))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)


def test_only_required_columns_are_needed():
    required = ["EHA Reference", "Family Reference", "District", "Lead Agency"]
    required += ["Start Date", "Status"]
    summary = import_csv([row()], headers=required)
    assert summary.created == 1
    assert EarlyHelpAssessment.objects.get().plan_in_place is None


def test_a_file_missing_required_columns_is_refused_naming_them():
    headers = [h for h in HEADERS if h not in ("District", "Status")]
    with pytest.raises(ImportRefused, match="missing required columns: District, Status"):
        import_csv([row()], headers=headers)
    assert EarlyHelpAssessment.objects.count() == 0


def test_a_column_named_twice_is_refused():
    with pytest.raises(ImportRefused, match="“District” appears twice"):
        import_csv([row()], headers=[*HEADERS, "district"])


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV or Excel"),
        (b"PK\x03\x04 not really a workbook", "could not be opened as an Excel workbook"),
        (b"\x81\x8d\x8f\x90\x9d" * 10, "neither UTF-8 nor Windows-1252"),
        (b"name,age\nJo,3\n", "missing required columns"),
    ],
)
def test_files_that_are_not_data_reports_are_refused_whole(content, reason):
    with pytest.raises(ImportRefused, match=reason):
        run_import(io.BytesIO(content))
    assert EarlyHelpAssessment.objects.count() == 0


def test_header_only_file_imports_nothing():
    summary = import_csv([])
    assert (summary.rows, summary.created, summary.rejected) == (0, 0, 0)


def test_utf8_with_a_byte_order_mark():
    data = b"\xef\xbb\xbf" + csv_bytes([row(Coordinator_Name=ACCENTED_NAME)])
    assert run_import(io.BytesIO(data)).created == 1
    assert EarlyHelpAssessment.objects.get().coordinator_name == ACCENTED_NAME


def test_windows_1252_as_excel_saves_it():
    data = csv_bytes([row(Coordinator_Name=ACCENTED_NAME, Closure_Reason="")], encoding="cp1252")
    assert b"\x92" in data  # Windows-1252's curly apostrophe, not valid UTF-8
    assert run_import(io.BytesIO(data)).created == 1
    assert EarlyHelpAssessment.objects.get().coordinator_name == ACCENTED_NAME


def test_windows_1252_is_found_even_when_its_first_accent_is_far_into_the_file():
    # Past the first megabyte that is read at a time: a file that starts as plain ASCII is
    # still read to its end before it is taken for UTF-8.
    filler = [row(EHA_Reference=f"EHA-{n}", Closure_Reason="x" * 150) for n in range(4000)]
    data = csv_bytes([*filler, row(Coordinator_Name=ACCENTED_NAME)], encoding="cp1252")
    assert data.index(b"\x92") > 1 << 20
    assert run_import(io.BytesIO(data)).created == 4001
    assert EarlyHelpAssessment.objects.get(reference="EHA-000001").coordinator_name == (
        ACCENTED_NAME
    )


def test_crlf_line_ends():
    data = csv_bytes([row(), row(EHA_Reference="EHA-2")], line_end="\r\n")
    assert run_import(io.BytesIO(data)).created == 2


def test_blank_rows_are_skipped_but_counted_in_row_numbers():
    summary = import_csv([row(), None, row(EHA_Reference="EHA-2", District="Nowhere")])
    assert (summary.rows, summary.created, summary.rejected) == (2, 1, 1)
    assert summary.errors[0][0] == 4  # header 1, first row 2, blank 3


def test_a_row_of_empty_cells_counts_as_blank():
    data = (
        csv_bytes([row()])
        + b",,,,,\n"
        + csv_bytes([row(EHA_Reference="EHA-2")])[len(",".join(HEADERS)) + 1 :]
    )
    summary = run_import(io.BytesIO(data))
    assert (summary.rows, summary.created) == (2, 2)


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"EHA_Reference": ""}, "EHA Reference", "EHA Reference is missing"),
        ({"Family_Reference": ""}, "Family Reference", "Family Reference is missing"),
        ({"District": "Kendal"}, "District", "“Kendal” is not one of the configured districts"),
        ({"Lead_Agency": ""}, "Lead Agency", "Lead Agency is missing"),
        ({"Agency_Type": "Wizards"}, "Agency Type", "“Wizards” is not one of the configured"),
        ({"Coordinator_Email": "jo@"}, "Coordinator Email", "“jo@” is not a valid e-mail"),
        ({"Coordinator_Manager_Email": "x"}, "Coordinator Manager Email", "not a valid e-mail"),
        ({"Start_Date": ""}, "Start Date", "Start Date is missing"),
        ({"Start_Date": "1st Feb"}, "Start Date", "“1st Feb” is not a date"),
        ({"Start_Date": "31/02/2025"}, "Start Date", "“31/02/2025” is not a real date"),
        ({"Start_Date": "2025-13-01"}, "Start Date", "is not a real date"),
        ({"Start_Date": "01/02/25"}, "Start Date", "is not a date: use dd/mm/yyyy"),
        ({"TAF_Meeting_Date": "01/01/2025"}, "TAF Meeting Date", "before the Start Date"),
        ({"Last_Review_Date": "31/01/2025"}, "Last Review Date", "before the Start Date"),
        ({"Plan_In_Place": "maybe"}, "Plan In Place", "“maybe” is not yes or no"),
        ({"Number_Of_Reviews": "-1"}, "Number Of Reviews", "not a whole number of 0 or more"),
        ({"Number_Of_Reviews": "2.5"}, "Number Of Reviews", "not a whole number"),
        ({"Number_Of_Reviews": "\u00b9"}, "Number Of Reviews", "not a whole number"),
        ({"Next_Review_Date": "30/02/2025"}, "Next Review Date", "not a real date"),
        ({"Status": ""}, "Status", "Status is missing"),
        ({"Status": "Pending"}, "Status", "“Pending” is not a status: use Open or Closed"),
        ({"Closure_Date": "01/06/2025"}, "Closure Date", "must be empty while the Status is Open"),
        ({"Status": "Closed"}, "Closure Date", "Closure Date is missing: the EHA is Closed"),
        (
            {"Status": "Closed", "Closure_Date": "01/01/2025"},
            "Closure Date",
            "before the Start Date",
        ),
        ({"Children_In_Family": "0"}, "Children In Family", "0 is less than 1"),
        ({"Genogram_Recorded": "perhaps"}, "Genogram Recorded", "is not yes or no"),
        ({"Closure_Reason": "x" * 201}, "Closure Reason", "longer than 200 characters"),
        ({"EHA_Reference": "E" * 51}, "EHA Reference", "longer than 50 characters"),
    ],
)
def test_each_broken_rule_rejects_the_row_naming_row_and_column(changes, column, message):
    summary = import_csv(
        [row(EHA_Reference="EHA-OK"), row(**{"EHA_Reference": "EHA-2", **changes})]
    )
    assert (summary.created, summary.rejected) == (1, 1)
    assert len(summary.errors) == 1, summary.errors
    error_row, error_column, error_message = summary.errors[0]
    assert (error_row, error_column) == (3, column)
    assert message in error_message
    assert not EarlyHelpAssessment.objects.filter(reference="EHA-2").exists()


@pytest.mark.parametrize(
    "field", ["Start_Date", "TAF_Meeting_Date", "Last_Review_Date", "Closure_Date"]
)
def test_dates_of_things_that_happened_cannot_be_after_today(field):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    changes = {field: f"{tomorrow:%d/%m/%Y}"}
    if field == "Closure_Date":
        changes["Status"] = "Closed"
    summary = import_csv([row(**changes)])
    assert summary.rejected == 1
    assert any(c == field.replace("_", " ") and "is after today" in m for _, c, m in summary.errors)


def test_next_review_date_may_be_in_the_future():
    next_month = timezone.localdate() + datetime.timedelta(days=30)
    assert import_csv([row(Next_Review_Date=f"{next_month:%d/%m/%Y}")]).created == 1


def test_a_row_with_several_problems_gives_every_reason():
    summary = import_csv(
        [row(District="Kendal", Start_Date="31/02/2025", Plan_In_Place="maybe", Status="Closed")]
    )
    assert [(r, c) for r, c, _ in summary.errors] == [
        (2, "District"),
        (2, "Start Date"),
        (2, "Plan In Place"),
        (2, "Closure Date"),
    ]


def test_a_second_row_with_the_same_reference_is_a_duplicate_of_the_first():
    summary = import_csv([row(), row(EHA_Reference="EHA-2"), row(Family_Reference="FAM-9")])
    assert (summary.created, summary.rejected) == (2, 1)
    assert summary.errors == [(4, "EHA Reference", "duplicate of row 2")]
    assert EarlyHelpAssessment.objects.get(reference="EHA-000001").family.reference == "FAM-000001"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("27/03/2025", (2025, 3, 27)), ("7/3/2025", (2025, 3, 7)), ("2025-03-27", (2025, 3, 27))],
)
def test_accepted_date_formats(text, expected):
    import_csv([row(Start_Date=text, TAF_Meeting_Date="", Last_Review_Date="")])
    assert EarlyHelpAssessment.objects.get().start_date == datetime.date(*expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Y", True),
        ("n", False),
        ("YES", True),
        ("no", False),
        ("True", True),
        ("false", False),
        ("1", True),
        ("0", False),
        ("", None),
    ],
)
def test_yes_no_values(text, expected):
    import_csv([row(Plan_In_Place=text)])
    assert EarlyHelpAssessment.objects.get().plan_in_place is expected


def test_xlsx_with_real_date_cells_numbers_and_a_blank_row():
    first = row(
        Start_Date=datetime.datetime(2025, 2, 1),
        TAF_Meeting_Date=datetime.date(2025, 2, 20),
        Number_Of_Reviews=2,
        Children_In_Family=3.0,
        Plan_In_Place=True,
    )
    second = row(EHA_Reference="EHA-2", Start_Date="31/02/2025")
    summary = run_import(io.BytesIO(xlsx_bytes([first, None, second])))
    assert (summary.rows, summary.created, summary.rejected) == (2, 1, 1)
    assert summary.errors[0][:2] == (4, "Start Date")
    eha = EarlyHelpAssessment.objects.get()
    assert eha.start_date == datetime.date(2025, 2, 1)
    assert eha.taf_meeting_date == datetime.date(2025, 2, 20)
    assert (eha.number_of_reviews, eha.children_in_family, eha.plan_in_place) == (2, 3, True)


def test_an_unknown_lead_agency_is_created_and_listed():
    summary = import_csv([row(Lead_Agency="Brand New Charity", Agency_Type="Voluntary Sector")])
    assert summary.new_agencies == ["Brand New Charity"]
    agency = Agency.objects.get(name="Brand New Charity")
    assert agency.agency_type.name == "Voluntary Sector"


def test_agency_matching_ignores_case_and_the_type_falls_back_to_the_agencys_own():
    school = AgencyType.objects.get(name="School")
    Agency.objects.create(name="Eden Academy", agency_type=school)
    summary = import_csv([row(Lead_Agency="EDEN ACADEMY", Agency_Type="")])
    assert summary.new_agencies == []
    assert EarlyHelpAssessment.objects.get().agency_type == school


def test_coordinator_email_links_the_eha_to_that_person_even_if_their_account_comes_later():
    import_csv([row(Coordinator_Email="Later.Person@Agency.test")])
    assert EarlyHelpAssessment.objects.get().coordinator is None
    person = UserFactory(email="later.person@agency.test")
    summary = import_csv([row(Coordinator_Email="Later.Person@Agency.test")])
    assert summary.unchanged == 1
    assert EarlyHelpAssessment.objects.get().coordinator == person


def test_reimporting_the_same_file_changes_nothing():
    rows = [row(EHA_Reference=f"EHA-{n}") for n in range(5)]
    import_csv(rows)
    before = list(EarlyHelpAssessment.objects.order_by("pk").values())
    summary = import_csv(rows)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 5)
    assert list(EarlyHelpAssessment.objects.order_by("pk").values()) == before
    assert CaseChange.objects.count() == 0


def test_a_changed_file_updates_exactly_the_changed_rows_and_keeps_their_history(settings):
    from earlyhelp.cases.models import DataImport

    rows = [row(EHA_Reference=f"EHA-{n}") for n in range(5)]
    import_csv(rows)
    rows[1] = row(EHA_Reference="EHA-1", Status="Closed", Closure_Date="01/06/2025")
    rows[3] = row(EHA_Reference="EHA-3", District="Eden")
    data_import = DataImport.objects.create(file_name="second.csv", sha256="0" * 64, size_bytes=1)
    summary = run_import(io.BytesIO(csv_bytes(rows)), data_import=data_import)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 2, 3)
    changes = {c.assessment.reference: c.changes for c in CaseChange.objects.all()}
    assert changes == {
        "EHA-1": {"status": ["open", "closed"], "closure_date": [None, "2025-06-01"]},
        "EHA-3": {"district": ["Carlisle", "Eden"]},
    }
    assert EarlyHelpAssessment.objects.get(reference="EHA-3").updated_by_import == data_import


def test_a_row_written_differently_but_meaning_the_same_is_unchanged():
    import_csv([row(Plan_In_Place="Yes", Start_Date="01/02/2025")])
    summary = import_csv([row(Plan_In_Place="Y", Start_Date="2025-02-01")])
    assert (summary.updated, summary.unchanged) == (0, 1)


def test_an_eha_missing_from_a_later_file_is_kept():
    import_csv([row(), row(EHA_Reference="EHA-2")])
    summary = import_csv([row()])
    assert summary.unchanged == 1
    assert EarlyHelpAssessment.objects.count() == 2


def test_a_dry_run_writes_nothing_and_predicts_the_real_import():
    import_csv([row()])
    rows = [row(Status="Closed", Closure_Date="01/06/2025"), row(EHA_Reference="EHA-2")]
    rows.append(row(EHA_Reference="EHA-3", Lead_Agency="Another New Agency"))
    rows.append(row(EHA_Reference="EHA-4", District="Nowhere"))
    agencies_before = Agency.objects.count()
    predicted = run_import(io.BytesIO(csv_bytes(rows)), dry_run=True)
    assert EarlyHelpAssessment.objects.count() == 1
    assert Agency.objects.count() == agencies_before
    actual = run_import(io.BytesIO(csv_bytes(rows)))
    assert predicted.as_dict() == actual.as_dict()
    assert (actual.created, actual.updated, actual.rejected) == (2, 1, 1)


def test_a_file_that_breaks_part_way_leaves_the_database_as_it_was():
    import_csv([row(EHA_Reference="EHA-KEEP")])
    rows = [row(EHA_Reference=f"EHA-{n}") for n in range(2500)]
    data = csv_bytes(rows) + b'"' + b"x" * 200_000 + b'"\n'  # past the CSV field size limit
    with pytest.raises(ImportRefused, match="could not be read as CSV"):
        run_import(io.BytesIO(data))
    assert list(EarlyHelpAssessment.objects.values_list("reference", flat=True)) == ["EHA-KEEP"]
