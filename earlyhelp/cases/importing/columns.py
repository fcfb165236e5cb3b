"""The columns of the EHM data report, in the order the model keeps them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str  # text, email, date, yesno, count, status, district, agency, agency_type
    required: bool = False
    max_length: int | None = None
    minimum: int = 0


COLUMNS = [
    Column("EHA Reference", "reference", "text", required=True, max_length=50),
    Column("Family Reference", "family", "text", required=True, max_length=50),
    Column("District", "district", "district", required=True),
    Column("Lead Agency", "lead_agency", "agency", required=True, max_length=200),
    Column("Agency Type", "agency_type", "agency_type"),
    Column("Coordinator Name", "coordinator_name", "text", max_length=150),
    Column("Coordinator Email", "coordinator_email", "email", max_length=254),
    Column("Coordinator Manager Email", "coordinator_manager_email", "email", max_length=254),
    Column("Start Date", "start_date", "date", required=True),
    Column("TAF Meeting Date", "taf_meeting_date", "date"),
    Column("Plan In Place", "plan_in_place", "yesno"),
    Column("Last Review Date", "last_review_date", "date"),
    Column("Number Of Reviews", "number_of_reviews", "count", minimum=0),
    Column("Next Review Date", "next_review_date", "date"),
    Column("Status", "status", "status", required=True),
    Column("Closure Date", "closure_date", "date"),
    Column("Closure Reason", "closure_reason", "text", max_length=200),
    Column("Step Down From Social Care", "step_down_from_social_care", "yesno"),
    Column("Stepped Up To Social Care", "stepped_up_to_social_care", "yesno"),
    Column("Children In Family", "children_in_family", "count", minimum=1),
    Column("Genogram Recorded", "genogram_recorded", "yesno"),
    Column("Chronology Recorded", "chronology_recorded", "yesno"),
]

BY_HEADER = {column.header.lower(): column for column in COLUMNS}
REQUIRED_HEADERS = [column.header for column in COLUMNS if column.required]

# Dates that cannot be in the future: they record something that has happened.
# In the order of the columns, so a row breaking two rules has its errors in the same order.
PAST_DATES = ("start_date", "taf_meeting_date", "last_review_date", "closure_date")
# Dates that cannot come before the EHA started.
NOT_BEFORE_START = ("taf_meeting_date", "last_review_date", "closure_date")

# What an import sets on an EHA, by database attribute name, apart from the reference and family.
DATA_FIELDS = [
    "district_id",
    "lead_agency_id",
    "agency_type_id",
    "coordinator_name",
    "coordinator_email",
    "coordinator_id",
    "coordinator_manager_email",
    "coordinator_manager_id",
    "start_date",
    "taf_meeting_date",
    "plan_in_place",
    "last_review_date",
    "number_of_reviews",
    "next_review_date",
    "status",
    "closure_date",
    "closure_reason",
    "step_down_from_social_care",
    "stepped_up_to_social_care",
    "children_in_family",
    "genogram_recorded",
    "chronology_recorded",
]
DATE_FIELDS = {"start_date", "taf_meeting_date", "last_review_date", "next_review_date"}
DATE_FIELDS |= {"closure_date"}
TEXT_FIELDS = {"coordinator_name", "coordinator_email", "coordinator_manager_email"}
TEXT_FIELDS |= {"closure_reason"}
# Links to accounts, set from the e-mail addresses rather than read from the report
# (cases/linking.py): a change of link is recorded as the change of address it follows.
LINK_FIELDS = {"coordinator_id", "coordinator_manager_id"}
