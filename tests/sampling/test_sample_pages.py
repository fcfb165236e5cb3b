"""The QA lead's dip sample pages, as the rules they prove: only the QA lead opens them; a draw
with a theme keeps its filters and explains them; a replacement needs a reason and stays in its
district; a request must name a real EHA; assigning starts from the balanced suggestion;
confirming plans the audits; a confirmed sample offers no changes; and the sample page reads
the same number of queries however many EHAs it holds."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import timezone

from earlyhelp.accounts.models import AgencyType, District
from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit
from earlyhelp.core.months import add_months, first_of_month, last_of_month
from earlyhelp.sampling import services
from earlyhelp.sampling.models import DipSample, SampleItem
from earlyhelp.sampling.themes import Theme

from ..audits.factories import AuditFactory
from ..cases.factories import EarlyHelpAssessmentFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
NEXT_MONTH = add_months(first_of_month(timezone.localdate()), 1)


def district(name):
    return District.objects.get_or_create(name=name)[0]


def agency_type(name):
    return AgencyType.objects.get_or_create(name=name)[0]


def ehas(count, name="Carlisle", **fields):
    return [EarlyHelpAssessmentFactory(district=district(name), **fields) for _ in range(count)]


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def error_summary(response):
    return [
        li.get_text(" ", strip=True) for li in soup_of(response).select(".govuk-error-summary li")
    ]


def item_rows(response):
    return [
        [cell.get_text(" ", strip=True) for cell in tr.select("th, td")]
        for tr in soup_of(response).select("#items-table tbody tr")
    ]


@pytest.fixture
def county(db):
    """18 open EHAs: 9 in Carlisle, 6 in Eden, 3 in Copeland."""
    return {"Carlisle": ehas(9), "Eden": ehas(6, "Eden"), "Copeland": ehas(3, "Copeland")}


@pytest.fixture
def lead(make_user):
    return make_user(Role.QA_LEAD, full_name="Quinn Lead")


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture
def draft(county, lead):
    return services.draw_draft(month=NEXT_MONTH, size=6, seed=7, by=lead)


def assign_all(sample, auditor):
    due = last_of_month(sample.month)
    services.assign(sample, {i.pk: (auditor, due) for i in services.active_items(sample)})


def page_urls(sample):
    item = sample.items.first()
    base = f"/samples/{sample.pk}/"
    return [
        "/samples/",
        "/samples/new/",
        base,
        f"{base}items/{item.pk}/replace/",
        f"{base}request/",
        f"{base}assign/",
        f"{base}confirm/",
    ]


# Who may use the pages --------------------------------------------------------------------------


def test_the_qa_lead_opens_every_page(lead_client, draft):
    for url in page_urls(draft):
        assert lead_client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [r for r in Role if r != Role.QA_LEAD])
def test_every_other_role_is_refused_every_page(client_for, draft, role):
    client = client_for(role)
    for url in page_urls(draft):
        assert client.get(url).status_code == 403, url
    item = draft.items.first()
    for url in (f"/samples/{draft.pk}/cancel/", f"/samples/{draft.pk}/items/{item.pk}/remove/"):
        assert client.post(url).status_code == 403, url
    draft.refresh_from_db()
    assert draft.status == DipSample.Status.DRAFT


def test_anonymous_visitors_are_sent_to_sign_in(client, draft):
    for url in page_urls(draft):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")
    response = client.post(f"/samples/{draft.pk}/cancel/")
    assert response["Location"].startswith("/sign-in/")
    draft.refresh_from_db()
    assert draft.status == DipSample.Status.DRAFT


# The list ---------------------------------------------------------------------------------------


def test_the_list_shows_samples_newest_month_first(lead_client, county, lead):
    services.draw_draft(month=NEXT_MONTH, size=3, seed=1, by=lead)
    later = add_months(NEXT_MONTH, 1)
    services.draw_draft(
        month=later, theme=Theme(districts=(district("Eden").pk,), name="Eden only"), size=2
    )
    rows = [
        [cell.get_text(" ", strip=True) for cell in tr.select("th, td")]
        for tr in soup_of(lead_client.get("/samples/")).select("#sample-table tbody tr")
    ]
    assert [row[0].split(",")[0].strip() for row in rows] == [
        f"{later:%B %Y}",
        f"{NEXT_MONTH:%B %Y}",
    ]
    assert rows[0][1:4] == ["Eden only", "Draft", "2"]
    assert rows[0][4].startswith("The service, automatically")
    assert rows[1][1:4] == ["No theme", "Draft", "3"]
    assert rows[1][4].startswith("Quinn Lead")


def test_the_list_says_when_there_are_no_samples(lead_client):
    page = soup_of(lead_client.get("/samples/"))
    assert page.select_one("#empty-state").get_text() == "There are no dip samples yet"
    assert page.find("a", string="Draw a sample")["href"] == "/samples/new/"


# Drawing ----------------------------------------------------------------------------------------


def draw_data(**changes):
    data = {"month": NEXT_MONTH.strftime("%Y-%m"), "size": "8", "status": "open"}
    data.update(changes)
    return data


def test_the_draw_form_starts_at_next_month_and_the_usual_size(lead_client, county):
    page = soup_of(lead_client.get("/samples/new/"))
    checked = page.select_one("input[name=month][checked]")
    assert checked["value"] == NEXT_MONTH.strftime("%Y-%m")
    assert page.select_one("input[name=size]")["value"] == str(settings.DIP_SAMPLE_SIZE)
    assert page.select_one("input[name=status][checked]")["value"] == "open"
    assert page.select_one("input[name=seed]").get("value") is None


def test_drawing_with_a_theme_stores_the_filters_and_explains_them(lead_client, county, lead):
    health = agency_type("Health Visiting")
    long_open = EarlyHelpAssessmentFactory(
        district=district("Eden"),
        agency_type=health,
        start_date=add_months(TODAY(), -30),
    )
    EarlyHelpAssessmentFactory(district=district("Eden"), agency_type=health)  # too recent
    data = draw_data(
        theme_name="Health visiting over 2 years",
        open_longer_than="24",
        districts=[str(district("Eden").pk)],
        agency_types=[str(health.pk)],
        seed="42",
    )
    response = lead_client.post("/samples/new/", data)
    sample = DipSample.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/samples/{sample.pk}/"
    assert sample.created_by == lead
    assert sample.seed == 42
    assert sample.theme_name == "Health visiting over 2 years"
    assert sample.filters["open_longer_than_months"] == 24
    assert sample.filters["districts"] == [district("Eden").pk]
    assert sample.filters["agency_types"] == [health.pk]
    assert sample.theme_key != ""
    assert list(sample.items.values_list("assessment_id", flat=True)) == [long_open.pk]

    page = soup_of(lead_client.get(response["Location"]))
    explanation = page.select_one("#explanation").get_text()
    assert explanation.startswith(
        "1 of 1 open EHAs, open longer than 24 months, in Eden, delivered by Health Visiting"
    )
    assert "seed 42" in explanation
    assert "Fewer" not in explanation
    assert page.select_one("#seed").get_text() == "42"
    assert "Stratified random sample" in page.get_text()
    assert page.select_one("h1").get_text() == f"{NEXT_MONTH:%B %Y}: Health visiting over 2 years"


def test_a_draw_for_the_whole_county_shows_the_population_per_district(lead_client, county):
    lead_client.post("/samples/new/", draw_data(size="6", seed="3"))
    sample = DipSample.objects.get()
    page = soup_of(lead_client.get(f"/samples/{sample.pk}/"))
    population = [
        [cell.get_text(strip=True) for cell in tr.select("th, td")]
        for tr in page.select("#population-table tbody tr")
    ]
    assert population == [
        ["Carlisle", "9", "3"],
        ["Copeland", "3", "1"],
        ["Eden", "6", "2"],
        ["Total", "18", "6"],
    ]
    assert sample.theme_key == ""


def test_the_lead_agency_checkboxes_are_grouped_by_type_of_agency(lead_client, county):
    eha = county["Eden"][0]
    page = soup_of(lead_client.get("/samples/new/"))
    summaries = [s.get_text(" ", strip=True) for s in page.select("details summary")]
    assert any(text.startswith("Family Support (") for text in summaries)
    lead_client.post("/samples/new/", draw_data(lead_agencies=[str(eha.lead_agency_id)], size="3"))
    sample = DipSample.objects.get()
    assert sample.filters["lead_agencies"] == [eha.lead_agency_id]
    assert list(sample.items.values_list("assessment_id", flat=True)) == [eha.pk]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"size": ""}, "Enter how many EHAs to draw"),
        ({"size": "0"}, "How many EHAs to draw must be 1 or more"),
        ({"size": "eight"}, "How many EHAs to draw must be a whole number"),
        ({"seed": "-1"}, "Seed must be 0 or more"),
        ({"month": "1999-01"}, "Select one of the months shown for the sample"),
        (
            {"status": "closed", "open_longer_than": "9"},
            "Closed EHAs cannot be open for longer than a number of months",
        ),
        (
            {
                "period_from_0": "1", "period_from_1": "6", "period_from_2": "2026",
                "period_to_0": "1", "period_to_1": "5", "period_to_2": "2026",
            },
            "Period ends must be the same as or after period starts",
        ),
        ({"period_to_0": "31", "period_to_1": "2", "period_to_2": "2026"}, "Period ends must be"),
        ({"districts": ["999999"]}, "Select districts from the list"),
    ],
    ids=[
        "no size", "size 0", "size in words", "negative seed", "month not offered",
        "closed and open longer than", "period backwards", "not a date", "unknown district",
    ],
)  # fmt: skip
def test_a_draw_with_a_mistake_is_refused_with_a_message(lead_client, county, changes, message):
    response = lead_client.post("/samples/new/", draw_data(**changes))
    assert response.status_code == 200
    assert any(text.startswith(message) for text in error_summary(response)), error_summary(
        response
    )
    assert soup_of(response).title.get_text().startswith("Error: ")
    assert not DipSample.objects.exists()


def test_a_draw_that_matches_nothing_says_so_and_saves_nothing(lead_client, county):
    response = lead_client.post("/samples/new/", draw_data(social_care=["stepped_up"]))
    assert error_summary(response)[0].startswith("No EHA can be drawn with these filters")
    assert not DipSample.objects.exists()


# Changing a draft -------------------------------------------------------------------------------


def test_replacing_needs_a_reason(lead_client, draft):
    item = draft.items.first()
    url = f"/samples/{draft.pk}/items/{item.pk}/replace/"
    response = lead_client.post(url, {"reason": "  "})
    assert error_summary(response) == ["Enter why you are replacing this EHA"]
    item.refresh_from_db()
    assert not item.is_replaced


def test_a_replacement_keeps_the_district_and_the_page_shows_both(lead_client, draft):
    item = draft.items.get(district__name="Eden", order=draft.items.filter(
        district__name="Eden").order_by("order").first().order)  # fmt: skip
    url = f"/samples/{draft.pk}/items/{item.pk}/replace/"
    page = soup_of(lead_client.get(url))
    assert page.select_one("h1").get_text(strip=True) == (
        f"Why are you replacing {item.assessment.reference}?"
    )
    response = lead_client.post(url, {"reason": "Family moved out of the county"})
    assert response.status_code == 302
    item.refresh_from_db()
    new = item.replaced_by
    assert new.district == item.district
    assert new.source == SampleItem.Source.REPLACEMENT

    rows = {row[0]: row for row in item_rows(lead_client.get(f"/samples/{draft.pk}/"))}
    old_ref, new_ref = item.assessment.reference, new.assessment.reference
    assert rows[f"{old_ref} (replaced)"][3] == (
        f"Replaced by {new_ref}: Family moved out of the county"
    )
    assert rows[new_ref][2] == "Replacement"
    assert rows[new_ref][3] == f"Replaces {old_ref}: Family moved out of the county"
    page = soup_of(lead_client.get(f"/samples/{draft.pk}/"))
    assert page.select_one(f"#item-{item.pk} th s a").get_text() == old_ref
    assert lead_client.get(url).status_code == 302  # a replaced EHA cannot be replaced again


def test_a_replacement_with_none_left_in_the_district_is_explained(lead_client, county, lead):
    sample = services.draw_draft(month=NEXT_MONTH, size=18, seed=1, by=lead)
    item = sample.items.filter(district__name="Copeland").first()
    response = lead_client.post(
        f"/samples/{sample.pk}/items/{item.pk}/replace/", {"reason": "Duplicate"}
    )
    assert error_summary(response) == [
        "There is no other eligible EHA in Copeland to replace it with"
    ]


def test_a_request_for_an_unknown_reference_is_an_error(lead_client, draft):
    response = lead_client.post(
        f"/samples/{draft.pk}/request/", {"reference": "NOPE-1", "reason": "Officer asked"}
    )
    assert error_summary(response) == ["There is no EHA with the reference NOPE-1"]
    link = soup_of(response).select_one(".govuk-error-summary a")
    assert link["href"] == "#id_reference"
    assert draft.items.count() == 6


def test_a_request_needs_a_reference_and_a_reason(lead_client, draft):
    response = lead_client.post(f"/samples/{draft.pk}/request/", {})
    assert error_summary(response) == [
        "Enter the EHA reference",
        "Enter why this EHA was requested",
    ]


def test_a_requested_eha_is_added_with_its_reason_and_can_be_removed(lead_client, draft):
    wanted = EarlyHelpAssessmentFactory(status="closed", closure_date=datetime.date(2026, 1, 5))
    response = lead_client.post(
        f"/samples/{draft.pk}/request/",
        {"reference": wanted.reference.lower(), "reason": "Asked for by Sam: complaint"},
    )
    assert response.status_code == 302
    item = draft.items.get(assessment=wanted)
    rows = {row[0]: row for row in item_rows(lead_client.get(f"/samples/{draft.pk}/"))}
    assert rows[wanted.reference][2:4] == ["Requested", "Asked for by Sam: complaint"]
    assert rows[wanted.reference][6] == f"Remove {wanted.reference}"

    again = lead_client.post(
        f"/samples/{draft.pk}/request/", {"reference": wanted.reference, "reason": "Again"}
    )
    assert error_summary(again) == [f"{wanted.reference} is already in this sample"]

    assert lead_client.get(f"/samples/{draft.pk}/items/{item.pk}/remove/").status_code == 405
    response = lead_client.post(f"/samples/{draft.pk}/items/{item.pk}/remove/")
    assert response.status_code == 302
    assert not draft.items.filter(assessment=wanted).exists()


def test_a_drawn_eha_is_not_removed_but_replaced(lead_client, draft):
    item = draft.items.first()
    lead_client.post(f"/samples/{draft.pk}/items/{item.pk}/remove/")
    assert draft.items.filter(pk=item.pk).exists()


# Assigning --------------------------------------------------------------------------------------


def test_assigning_starts_from_the_suggested_auditors_and_due_date(lead_client, draft, make_user):
    busy = make_user(Role.AUDITOR, full_name="Alex Busy")
    free = make_user(Role.AUDITOR, full_name="Blair Free")
    for _ in range(3):
        AuditFactory(auditor=busy)
    items = list(services.active_items(draft))
    suggestion = services.suggest_auditors(items, [busy, free])
    page = soup_of(lead_client.get(f"/samples/{draft.pk}/assign/"))
    due = services.default_due_date(draft)
    for item in items:
        chosen = page.select_one(f"select[name=auditor_{item.pk}] option[selected]")
        assert chosen["value"] == str(suggestion[item.pk].pk)
        assert page.select_one(f"input[name=due_{item.pk}_0]")["value"] == str(due.day)
        assert page.select_one(f"input[name=due_{item.pk}_1]")["value"] == str(due.month)
        assert page.select_one(f"input[name=due_{item.pk}_2]")["value"] == str(due.year)
    options = [o.get_text() for o in page.select(f"select[name=auditor_{items[0].pk}] option")]
    assert options == [
        "Choose an auditor",
        "Alex Busy (3 audits to do)",
        "Blair Free (0 audits to do)",
    ]
    workload = [
        [c.get_text(strip=True) for c in tr.select("th, td")]
        for tr in page.select("#workload-table tbody tr")
    ]
    assert workload == [["Alex Busy", "3"], ["Blair Free", "0"]]


def assign_data(sample, auditor, due):
    data = {}
    for item in services.active_items(sample):
        data[f"auditor_{item.pk}"] = str(auditor.pk)
        data[f"due_{item.pk}_0"], data[f"due_{item.pk}_1"], data[f"due_{item.pk}_2"] = (
            str(due.day), str(due.month), str(due.year),
        )  # fmt: skip
    return data


def test_assigning_saves_each_auditor_and_due_date(lead_client, draft, make_user):
    auditor = make_user(Role.AUDITOR)
    due = last_of_month(NEXT_MONTH)
    response = lead_client.post(f"/samples/{draft.pk}/assign/", assign_data(draft, auditor, due))
    assert response.status_code == 302
    assert {(i.auditor, i.due_date) for i in services.active_items(draft)} == {(auditor, due)}


def test_assigning_refuses_a_past_due_date_and_a_missing_auditor(lead_client, draft, make_user):
    auditor = make_user(Role.AUDITOR)
    data = assign_data(draft, auditor, TODAY() - datetime.timedelta(days=1))
    first = services.active_items(draft).select_related("assessment").first()
    data[f"auditor_{first.pk}"] = ""
    errors = error_summary(lead_client.post(f"/samples/{draft.pk}/assign/", data))
    reference = first.assessment.reference
    assert errors[0] == f"Select an auditor for {reference}"
    assert errors[1] == f"Due date for {reference} must be today or in the future"
    assert len(errors) == 1 + 6
    assert not services.active_items(draft).filter(auditor__isnull=False).exists()


def test_someone_without_the_auditor_role_cannot_be_assigned(lead_client, draft, make_user):
    coordinator = make_user(Role.COORDINATOR)
    data = assign_data(draft, coordinator, last_of_month(NEXT_MONTH))
    errors = error_summary(lead_client.post(f"/samples/{draft.pk}/assign/", data))
    assert errors[0].startswith("Select an auditor for ")


# Confirming -------------------------------------------------------------------------------------


def test_confirming_plans_the_audits_and_goes_back_to_the_sample(
    lead_client, draft, make_user, lead
):
    auditor = make_user(Role.AUDITOR, full_name="Sam Patel")
    assign_all(draft, auditor)
    page = soup_of(lead_client.get(f"/samples/{draft.pk}/confirm/"))
    rows = page.select("#confirm-table tbody tr")
    assert len(rows) == 6
    assert all("Monthly dip sample" in row.get_text() for row in rows)
    assert all("Sam Patel" in row.get_text() for row in rows)
    revision = page.select_one("input[name=revision]")["value"]

    response = lead_client.post(f"/samples/{draft.pk}/confirm/", {"revision": revision})
    assert response.status_code == 302
    assert response["Location"] == f"/samples/{draft.pk}/"
    draft.refresh_from_db()
    assert draft.status == DipSample.Status.CONFIRMED
    assert draft.confirmed_by == lead
    audits = Audit.objects.filter(auditor=auditor, status=Audit.Status.PLANNED)
    assert audits.count() == 6
    page = soup_of(lead_client.get(response["Location"]))
    links = [a["href"] for a in page.select("#items-table a[href^='/audits/']")]
    assert sorted(links) == sorted(f"/audits/{audit.pk}/" for audit in audits)


def test_confirming_without_every_auditor_shows_the_problem(lead_client, draft):
    page = soup_of(lead_client.get(f"/samples/{draft.pk}/confirm/"))
    assert (
        "6 EHAs still need an auditor and a due date"
        in page.select_one(".govuk-warning-text").get_text()
    )
    response = lead_client.post(f"/samples/{draft.pk}/confirm/", {"revision": draft.revision})
    assert response.status_code == 200
    assert error_summary(response)[0].startswith("Give an auditor and a due date for ")
    assert not Audit.objects.exists()


def test_a_sample_changed_since_the_check_page_is_checked_again(lead_client, draft, make_user):
    assign_all(draft, make_user(Role.AUDITOR))
    draft.refresh_from_db()
    opened_at = draft.revision
    services.replace(draft.items.first(), reason="Moved away", by=None)
    response = lead_client.post(f"/samples/{draft.pk}/confirm/", {"revision": opened_at})
    assert error_summary(response)[0].startswith("The sample changed after you opened this page")
    assert not Audit.objects.exists()
    fresh = soup_of(response).select_one("input[name=revision]")["value"]
    assert lead_client.post(f"/samples/{draft.pk}/confirm/", {"revision": fresh}).status_code == 302
    assert Audit.objects.count() == 6


def test_a_second_confirmed_sample_for_the_month_is_refused_with_the_reason(
    lead_client, county, lead, make_user
):
    auditor = make_user(Role.AUDITOR)
    first = services.draw_draft(month=NEXT_MONTH, size=2, seed=1, by=lead)
    second = services.draw_draft(month=NEXT_MONTH, size=2, seed=2, by=lead)
    for sample in (first, second):
        assign_all(sample, auditor)
    services.confirm(first, by=lead)
    second.refresh_from_db()
    response = lead_client.post(f"/samples/{second.pk}/confirm/", {"revision": second.revision})
    assert "has already been confirmed" in error_summary(response)[0]


def test_a_confirmed_sample_offers_no_changes(lead_client, draft, make_user, lead):
    assign_all(draft, make_user(Role.AUDITOR))
    services.confirm(draft, by=lead)
    page = soup_of(lead_client.get(f"/samples/{draft.pk}/"))
    text = page.get_text()
    for offer in ("Replace", "Remove", "Assign auditors", "Confirm sample", "Cancel draft"):
        assert offer not in text, offer
    assert "The sample can no longer change" in text
    item = draft.items.first()
    for url in page_urls(draft)[3:]:
        response = lead_client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"/samples/{draft.pk}/"
    lead_client.post(f"/samples/{draft.pk}/items/{item.pk}/replace/", {"reason": "Late"})
    lead_client.post(f"/samples/{draft.pk}/request/", {"reference": "X", "reason": "Late"})
    lead_client.post(f"/samples/{draft.pk}/cancel/")
    draft.refresh_from_db()
    assert draft.status == DipSample.Status.CONFIRMED
    assert draft.items.count() == 6
    assert not draft.items.filter(replaced_reason="Late").exists()


def test_cancelling_a_draft_keeps_it_marked_cancelled(lead_client, draft):
    response = lead_client.post(f"/samples/{draft.pk}/cancel/")
    assert response["Location"] == "/samples/"
    draft.refresh_from_db()
    assert draft.status == DipSample.Status.CANCELLED
    assert lead_client.get(f"/samples/{draft.pk}/cancel/").status_code == 405
    page = soup_of(lead_client.get(f"/samples/{draft.pk}/"))
    assert "This draft was cancelled" in page.get_text()
    assert "Confirm sample" not in page.get_text()


# Queries ----------------------------------------------------------------------------------------


def test_the_sample_page_reads_the_same_number_of_queries_whatever_its_size(
    lead_client, county, lead, make_user, django_assert_max_num_queries
):
    auditor = make_user(Role.AUDITOR)
    small = services.draw_draft(month=NEXT_MONTH, size=2, seed=1, by=lead)
    large = services.draw_draft(month=NEXT_MONTH, size=12, seed=1, by=lead)
    services.replace(large.items.first(), reason="Moved", by=lead)
    extra = EarlyHelpAssessmentFactory(status="closed", closure_date=datetime.date(2026, 1, 5))
    services.add_requested(large, reference=extra.reference, reason="Asked", by=lead)
    for sample in (small, large):
        assign_all(sample, auditor)
    with django_assert_max_num_queries(12) as few:
        lead_client.get(f"/samples/{small.pk}/")
    with django_assert_max_num_queries(12) as many:
        lead_client.get(f"/samples/{large.pk}/")
    assert len(many.captured_queries) == len(few.captured_queries)
