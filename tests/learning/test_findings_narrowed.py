"""Findings narrowed to a district or a type of lead agency (of the audited EHA): every figure
counts only those audits, the period before included; compliance (Met of applicable) for any
period by the same rules; and the queries are as many narrowed as not, whatever the audits."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.accounts.models import AgencyType, District
from earlyhelp.audits.models import BottomLineCheck, StandardRating
from earlyhelp.learning import findings
from earlyhelp.learning.models import AuditTheme, LearningTheme
from earlyhelp.standards.models import RatingOption

from ..audits.factories import AuditFactory
from ..cases.factories import EarlyHelpAssessmentFactory

pytestmark = pytest.mark.django_db

Q3 = findings.parse_quarter("2026-Q3")
IN_Q3 = datetime.date(2026, 8, 10)
IN_Q2 = datetime.date(2026, 5, 10)


def place(name):
    return District.objects.get_or_create(name=name)[0]


def led_by(name):
    return AgencyType.objects.get_or_create(name=name)[0]


def audit_of(day, district, agency_type, rating, judged="Good", missed=False, theme=None):
    """A submitted audit of an EHA in `district` led by `agency_type`, S1.1 rated `rating`."""
    eha = EarlyHelpAssessmentFactory(district=place(district), agency_type=led_by(agency_type))
    audit = AuditFactory(judged=judged, with_parts=True, assessment=eha)
    audit.submitted_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    audit.save(update_fields=["submitted_at"])
    option = RatingOption.objects.get(version=audit.framework_version, label=rating)
    StandardRating.objects.filter(audit=audit, standard__ref_id="S1.1").update(rating=option)
    BottomLineCheck.objects.filter(audit=audit).update(evidenced=True)
    if missed:
        BottomLineCheck.objects.filter(audit=audit, bottom_line__ref_id="BL1").update(
            evidenced=False
        )
    if theme is not None:
        AuditTheme.objects.create(audit=audit, theme=theme, tagged_by=audit.auditor)
    return audit


@pytest.fixture
def two_districts():
    """Eden: three audits this quarter (2 Met, schools; 1 Not met, health), one the quarter
    before. Carlisle: two audits this quarter (Not met, schools), none before."""
    theme = LearningTheme.objects.get_or_create(name="Voice of the child")[0]
    audit_of(IN_Q3, "Eden", "School", "Met", theme=theme)
    audit_of(IN_Q3, "Eden", "School", "Met", judged="Outstanding")
    audit_of(IN_Q3, "Eden", "Health", "Not met", judged="Inadequate", missed=True, theme=theme)
    audit_of(IN_Q2, "Eden", "School", "Not met", theme=theme)
    audit_of(IN_Q3, "Carlisle", "School", "Not met", missed=True)
    audit_of(IN_Q3, "Carlisle", "School", "Not met", judged="Inadequate", missed=True)
    return theme


def s11(found):
    row = next(row for row in found.standards if row.ref_id == "S1.1")
    return row.met, row.applicable


def bl1_missed(found):
    return next(line[2].count for line in found.bottom_lines if line[0] == "BL1")


def judgements(found):
    return {label: figure.count for label, figure in found.judgements if figure.count}


def test_findings_narrowed_to_a_district_count_only_the_audits_of_its_ehas(two_districts):
    eden = findings.findings(Q3, district=place("Eden"))
    assert (eden.audit_count, eden.previous_audit_count) == (3, 1)
    assert s11(eden) == (2, 3)
    assert bl1_missed(eden) == 1
    assert judgements(eden) == {"Outstanding": 1, "Good": 1, "Inadequate": 1}
    assert [(theme.name, now.count, before) for theme, now, before, _ in eden.themes] == [
        ("Voice of the child", 2, 1)
    ]
    carlisle = findings.findings(Q3, district=place("Carlisle"))
    assert (carlisle.audit_count, carlisle.previous_audit_count) == (2, 0)
    assert s11(carlisle) == (0, 2)
    assert bl1_missed(carlisle) == 2
    assert carlisle.themes == []


def test_findings_narrowed_to_a_type_of_lead_agency_count_only_the_ehas_it_leads(two_districts):
    schools = findings.findings(Q3, agency_type=led_by("School"))
    assert (schools.audit_count, schools.previous_audit_count) == (4, 1)
    assert s11(schools) == (2, 4)
    health_in_eden = findings.findings(Q3, district=place("Eden"), agency_type=led_by("Health"))
    assert health_in_eden.audit_count == 1
    assert s11(health_in_eden) == (0, 1)
    assert judgements(health_in_eden) == {"Inadequate": 1}


def test_findings_not_narrowed_count_every_district(two_districts):
    everywhere = findings.findings(Q3)
    assert (everywhere.audit_count, everywhere.previous_audit_count) == (5, 1)
    assert s11(everywhere) == (2, 5)
    assert bl1_missed(everywhere) == 3


def test_compliance_of_a_period_is_met_of_applicable_as_the_findings_count_it(two_districts):
    found = findings.findings(Q3)
    assert findings.compliance(Q3) == (
        sum(row.met for row in found.standards),
        sum(row.applicable for row in found.standards),
    )
    assert findings.compliance(Q3, district=place("Eden")) == (2, 3)
    assert findings.compliance(findings.previous_period(Q3), district=place("Eden")) == (0, 1)


def test_compliance_takes_the_same_queries_for_a_period_without_audits(two_districts):
    with CaptureQueriesContext(connection) as some:
        findings.compliance(Q3)
    with CaptureQueriesContext(connection) as none:
        findings.compliance(findings.parse_quarter("2020-Q1"))
    assert len(none) == len(some) == 2


def _queries(**narrowing):
    with CaptureQueriesContext(connection) as queries:
        findings.findings(Q3, **narrowing)
    return len(queries)


def test_narrowed_findings_take_as_many_queries_as_the_whole_for_few_audits_or_many(
    two_districts,
):
    eden, schools = place("Eden"), led_by("School")
    few = _queries()
    assert _queries(district=eden) == _queries(agency_type=schools) == few
    for n in range(10):
        audit_of(IN_Q3, "Eden", "School", "Met" if n % 2 else "Not met", theme=two_districts)
    assert _queries() == _queries(district=eden, agency_type=schools) == few
