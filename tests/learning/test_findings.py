"""Findings for a period: compliance per standard and section, bottom lines missed, judgement
mix, learning themes with their change; the audits behind each figure; who sees what; a number
of queries that does not grow with the number of audits."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit, BottomLineCheck, StandardRating
from earlyhelp.learning import findings
from earlyhelp.learning.models import AuditTheme, LearningTheme
from earlyhelp.standards.defaults import DEFAULT_LIBRARY
from earlyhelp.standards.library import load_library
from earlyhelp.standards.models import RatingOption

from ..audits.factories import AuditFactory

pytestmark = pytest.mark.django_db

S = Audit.Status
Q3 = findings.parse_quarter("2026-Q3")
Q2 = findings.parse_quarter("2026-Q2")


# Helpers ----------------------------------------------------------------------------------------


def moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def submitted(day, judged="Good", status=S.SUBMITTED, **fields):
    """A submitted audit with every rating row and bottom line check, all bottom lines
    evidenced and nothing rated yet."""
    audit = AuditFactory(judged=judged, with_parts=True, status=status, **fields)
    audit.submitted_at = moment(day)
    audit.save(update_fields=["submitted_at"])
    BottomLineCheck.objects.filter(audit=audit).update(evidenced=True)
    return audit


def rate(audit, ref_id, label):
    option = RatingOption.objects.get(version=audit.framework_version, label=label)
    updated = StandardRating.objects.filter(audit=audit, standard__ref_id=ref_id).update(
        rating=option
    )
    assert updated == 1


def miss(audit, ref_id):
    BottomLineCheck.objects.filter(audit=audit, bottom_line__ref_id=ref_id).update(evidenced=False)


def tag(audit, theme):
    AuditTheme.objects.create(audit=audit, theme=theme, tagged_by=audit.auditor)


def standard_row(found, ref_id):
    return next(row for row in found.standards if row.ref_id == ref_id)


def section_row(found, ref_id):
    return next(section.row for section in found.sections if section.row.ref_id == ref_id)


def cells(found, row):
    return dict(zip(found.labels, (cell.count for cell in row.cells), strict=True))


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def page_text(response):
    return " ".join(soup_of(response).get_text().split())


@pytest.fixture
def known_set():
    """Four audits in 2026-Q3 with known ratings; others that must not be counted."""
    day = datetime.date(2026, 8, 10)
    audits = [submitted(day, judged=j) for j in ("Good", "Good", "Inadequate", "Outstanding")]
    for audit, label in zip(audits, ["Met", "Met", "Partly met", "Not applicable"], strict=True):
        rate(audit, "S1.1", label)
        rate(audit, "S1.2", "Not met")
    rate(audits[0], "S2.1", "Met")
    miss(audits[0], "BL1")
    miss(audits[1], "BL1")
    miss(audits[1], "BL2")
    # Not counted: submitted in Q2; reopened (in progress); shared and closed are counted.
    rate(submitted(datetime.date(2026, 6, 30)), "S1.1", "Met")
    rate(submitted(day, status=S.IN_PROGRESS), "S1.1", "Met")
    audits[3].status = S.CLOSED
    audits[3].save(update_fields=["status"])
    return audits


# Periods ----------------------------------------------------------------------------------------


def test_the_period_before_a_quarter_is_the_quarter_before():
    assert findings.previous_period(Q3) == Q2
    assert findings.previous_period(findings.parse_quarter("2026-Q1")).quarter == "2025-Q4"


def test_the_period_before_two_dates_is_as_long_and_ends_the_day_before():
    period = findings.dates_period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 10))
    before = findings.previous_period(period)
    assert (before.start, before.end) == (datetime.date(2026, 2, 19), datetime.date(2026, 2, 28))


def test_months_before_keeps_the_day_or_the_last_of_a_shorter_month():
    assert findings.months_before(datetime.date(2026, 8, 31), 6) == datetime.date(2026, 2, 28)
    assert findings.months_before(datetime.date(2026, 3, 15), 6) == datetime.date(2025, 9, 15)


# Compliance -------------------------------------------------------------------------------------


def test_compliance_per_standard_counts_each_rating_and_met_of_the_applicable(known_set):
    found = findings.findings(Q3)
    assert found.audit_count == 4
    assert found.labels == ["Met", "Partly met", "Not met", "Not applicable"]
    s11 = standard_row(found, "S1.1")
    assert cells(found, s11) == {"Met": 2, "Partly met": 1, "Not met": 0, "Not applicable": 1}
    assert (s11.met, s11.applicable, s11.rated, s11.percent_met) == (2, 3, 4, 67)
    s12 = standard_row(found, "S1.2")
    assert cells(found, s12) == {"Met": 0, "Partly met": 0, "Not met": 4, "Not applicable": 0}
    assert s12.percent_met == 0
    unrated = standard_row(found, "S1.3")
    assert (unrated.rated, unrated.applicable, unrated.percent_met) == (0, 0, None)


def test_compliance_per_section_adds_up_its_standards(known_set):
    found = findings.findings(Q3)
    s1 = section_row(found, "S1")
    assert cells(found, s1) == {"Met": 2, "Partly met": 1, "Not met": 4, "Not applicable": 1}
    assert (s1.met, s1.applicable) == (2, 7)
    s2 = section_row(found, "S2")
    assert (s2.met, s2.applicable) == (1, 1)
    assert [section.row.ref_id for section in found.sections] == ["S1", "S2", "S3"]
    assert [row.ref_id for row in found.sections[0].standards][:3] == ["S1.1", "S1.2", "S1.3"]


def test_bottom_lines_missed_count_the_audits_that_did_not_evidence_each(known_set):
    found = findings.findings(Q3)
    missed = {ref: (figure.count, checked) for ref, _text, figure, checked in found.bottom_lines}
    assert missed["BL1"] == (2, 4)
    assert missed["BL2"] == (1, 4)
    assert missed["BL3"] == (0, 4)
    assert list(missed)[:3] == ["BL1", "BL2", "BL3"]


def test_the_judgement_mix_follows_the_versions_order(known_set):
    found = findings.findings(Q3)
    assert [(label, figure.count) for label, figure in found.judgements] == [
        ("Outstanding", 1),
        ("Good", 2),
        ("Requires Improvement", 0),
        ("Inadequate", 1),
    ]


def test_audits_of_two_framework_versions_are_counted_together_by_reference(known_set):
    version_2 = load_library(
        DEFAULT_LIBRARY.read_text(encoding="utf-8")
        .replace('version: "1.0"', 'version: "2.0"')
        .replace("effective_date: 2025-04-01", "effective_date: 2026-04-01")
    ).version
    assert version_2 != known_set[0].framework_version
    audit = submitted(datetime.date(2026, 9, 1), framework_version=version_2)
    rate(audit, "S1.1", "Met")
    found = findings.findings(Q3)
    assert found.audit_count == 5
    assert [row.ref_id for row in found.standards].count("S1.1") == 1
    assert cells(found, standard_row(found, "S1.1"))["Met"] == 3
    assert [label for label, _ in found.judgements][:2] == ["Outstanding", "Good"]


# Themes -----------------------------------------------------------------------------------------


def test_themes_are_counted_with_their_change_against_the_period_before():
    voice = LearningTheme.objects.get(name="Voice of the child")
    smart = LearningTheme.objects.get(name="SMART plan")
    drift = LearningTheme.objects.get(name="Drift and delay")
    now = [submitted(datetime.date(2026, 7, 5)) for _ in range(3)]
    before = [submitted(datetime.date(2026, 5, 5)) for _ in range(2)]
    for audit in now:
        tag(audit, voice)
    tag(now[0], smart)
    for audit in before:
        tag(audit, smart)
    tag(before[0], drift)
    tag(submitted(datetime.date(2026, 1, 5)), drift)  # two quarters back: not counted
    found = findings.findings(Q3)
    assert found.previous_audit_count == 2
    figures = {
        theme.name: (figure.count, old, change) for theme, figure, old, change in found.themes
    }
    assert figures == {
        "Voice of the child": (3, 0, 3),
        "SMART plan": (1, 2, -1),
        "Drift and delay": (0, 1, -1),
    }
    assert next(theme.name for theme, *_ in found.themes) == "Voice of the child"


# The audits behind a figure ----------------------------------------------------------------------


def test_each_figure_knows_the_audits_behind_it(known_set):
    good, good_2, inadequate, outstanding = known_set
    found = findings.findings(Q3)
    met_cell = standard_row(found, "S1.1").cells[0]
    assert met_cell.filters == {"quarter": "2026-Q3", "standard": "S1.1", "rating": "Met"}
    behind = findings.audits_behind(Q3, standard="S1.1", rating="Met")
    assert set(behind) == {good, good_2}
    assert set(findings.audits_behind(Q3, section="S1", rating="Partly met")) == {inadequate}
    assert set(findings.audits_behind(Q3, bottom_line="BL1")) == {good, good_2}
    assert set(findings.audits_behind(Q3, judgement="Outstanding")) == {outstanding}
    assert findings.audits_behind(Q3).count() == 4


# Pages ------------------------------------------------------------------------------------------


def index(client, quarter="2026-Q3"):
    return client.get(reverse("findings:index"), {"quarter": quarter})


def test_the_qa_lead_sees_the_figures_with_links_to_the_audits_behind_them(client_for, known_set):
    client = client_for(Role.QA_LEAD)
    response = index(client)
    assert response.status_code == 200
    page = soup_of(response)
    links = [a["href"] for a in page.select("a[href^='/learning/audits/']")]
    assert "/learning/audits/?quarter=2026-Q3&standard=S1.1&rating=Met" in links
    assert "/learning/audits/?quarter=2026-Q3&bottom_line=BL1" in links
    row = page.select_one("#compliance-s1 tbody tr")
    assert "2 of 3 (67%)" in row.get_text()
    assert page.select_one("a[href='/learning/themes/']") is not None


def test_a_partnership_viewer_sees_the_numbers_but_no_audit_links_or_references(
    client_for, known_set
):
    client = client_for(Role.PARTNERSHIP_VIEWER)
    response = index(client)
    assert response.status_code == 200
    page = soup_of(response)
    assert page.select("a[href^='/learning/audits/']") == []
    assert page.select("a[href^='/audits/']") == []
    assert "2 of 3 (67%)" in page.select_one("#compliance-s1 tbody tr").get_text()
    text = page_text(response)
    assert not any(audit.assessment.reference in text for audit in known_set)
    assert client.get(reverse("findings:audits"), {"quarter": "2026-Q3"}).status_code == 403


def test_the_drill_down_lists_only_the_audits_the_auditor_may_see(client, known_set):
    mine = known_set[0]
    client.force_login(mine.auditor)
    response = client.get(
        reverse("findings:audits"), {"quarter": "2026-Q3", "standard": "S1.1", "rating": "Met"}
    )
    assert response.status_code == 200
    rows = soup_of(response).select("#figure-audits tbody tr")
    assert [row.th.get_text(strip=True) for row in rows] == [mine.assessment.reference]
    assert known_set[1].assessment.reference not in page_text(response)
    assert "There are 2 audits behind this figure. You may open 1 of them" in page_text(response)


def test_the_qa_lead_drill_down_lists_every_audit_behind_the_figure(client_for, known_set):
    client = client_for(Role.QA_LEAD)
    response = client.get(reverse("findings:audits"), {"quarter": "2026-Q3", "bottom_line": "BL1"})
    references = [
        row.th.get_text(strip=True) for row in soup_of(response).select("#figure-audits tbody tr")
    ]
    assert sorted(references) == sorted(a.assessment.reference for a in known_set[:2])
    assert soup_of(response).select_one("#figure-audits a")["href"].startswith("/audits/")


def test_a_drill_down_that_is_not_a_figure_is_not_found(client_for):
    client = client_for(Role.QA_LEAD)
    url = reverse("findings:audits")
    assert client.get(url, {"standard": "S1.1; drop table"}).status_code == 404
    assert client.get(url, {"theme": "999999"}).status_code == 404
    assert client.get(url, {"quarter": "nonsense"}).status_code == 404


def test_a_bad_period_is_an_error_on_the_form(client_for):
    client = client_for(Role.QA_LEAD)
    response = client.get(
        reverse("findings:index"),
        {"date_from_0": "1", "date_from_1": "9", "date_from_2": "2026"},
    )
    assert response.status_code == 200
    assert soup_of(response).select_one(".govuk-error-summary") is not None
    assert soup_of(response).select_one("#compliance") is None


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert index(client).status_code == 200
    return len(queries)


def test_the_findings_page_runs_as_many_queries_for_30_audits_as_for_3(client_for):
    client = client_for(Role.QA_LEAD)
    voice = LearningTheme.objects.get(name="Voice of the child")

    def add(count):
        for _ in range(count):
            audit = submitted(datetime.date(2026, 8, 1))
            rate(audit, "S1.1", "Met")
            miss(audit, "BL3")
            tag(audit, voice)

    add(3)
    few = _queries(client)
    add(27)
    assert _queries(client) == few
    assert few <= 25


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.LINE_MANAGER, Role.DATA_OFFICER])
def test_every_findings_page_is_refused_to_other_roles(client_for, role):
    client = client_for(role)
    theme = LearningTheme.objects.first()
    for url in [
        reverse("findings:index"),
        reverse("findings:audits"),
        reverse("findings:loop", args=[theme.pk]),
        reverse("findings:loop-recommendation", args=[1]),
    ]:
        assert client.get(url).status_code == 403, url


def test_the_learning_menu_item_opens_the_findings(client_for):
    client = client_for(Role.AUDITOR)
    response = client.get(reverse("findings:index"))
    assert response.status_code == 200
    current = soup_of(response).select_one("[aria-current=page]")
    assert current is not None
    assert "Learning" in current.get_text()


def test_the_learning_page_links_to_themes_actions_and_recommendations(client_for):
    page = soup_of(client_for(Role.QA_LEAD).get(reverse("findings:index")))
    links = [a["href"] for a in page.select("#learning-links a")]
    assert links == [
        reverse("learning:themes"),
        reverse("actions:list"),
        reverse("recommendations:list"),
        reverse("recommendations:training"),
        reverse("findings:you-said"),
    ]


def test_the_learning_page_offers_a_partnership_viewer_only_pages_they_may_open(client_for):
    from earlyhelp.accounts.access import offered_url

    client = client_for(Role.PARTNERSHIP_VIEWER)
    response = client.get(reverse("findings:index"))
    viewer = response.wsgi_request.user
    for a in soup_of(response).select("#learning-links a"):
        assert client.get(a["href"]).status_code == 200
    assert offered_url(viewer, "learning:themes") is None
    assert offered_url(viewer, "no-such:page") is None
