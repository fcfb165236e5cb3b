"""Each role's home page and navigation: a person is offered only pages they may open."""

import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from django.utils.html import escape

from earlyhelp.accounts.demo import DEMO_ROLE_USERS, demo_email
from earlyhelp.accounts.models import Agency, District, User, UserRole
from earlyhelp.accounts.roles import ROLE_PURPOSE, Role


def nav_labels(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".govuk-service-navigation__list a")]


@pytest.mark.parametrize("role", list(Role))
def test_home_page_explains_each_role_held(client_for, role):
    response = client_for(role).get("/")
    assert response.status_code == 200
    assert escape(ROLE_PURPOSE[role]) in response.content.decode()


def test_only_administrators_are_offered_the_administration_link(client_for):
    assert "Administration" in nav_labels(client_for(Role.ADMINISTRATOR).get("/"))


CASE_ROLES = [Role.QA_LEAD, Role.AUDITOR, Role.COORDINATOR, Role.LINE_MANAGER]


@pytest.mark.parametrize(
    ("role", "work"),
    [
        (
            Role.QA_LEAD,
            [
                "Audits",
                "Dip samples",
                "Drift",
                "Learning",
                "Actions",
                "Escalations",
                "Audit feedback",
                "Voice results",
                "Reports",
            ],
        ),
        (Role.AUDITOR, ["My audits", "Drift", "Learning", "Actions", "Audit feedback"]),
        (Role.COORDINATOR, ["Actions", "Audit feedback", "Closure forms"]),
        (Role.LINE_MANAGER, ["Actions", "Escalations", "Audit feedback", "Closure forms"]),
    ],
)
def test_roles_that_see_cases_are_offered_home_cases_their_work_and_account(client_for, role, work):
    dashboard = ["Dashboard"] if role == Role.QA_LEAD else []
    expected = ["Home", *dashboard, "Cases", *work, "Standards", "Notifications", "Your account"]
    assert nav_labels(client_for(role).get("/")) == expected


def test_a_qa_lead_who_also_audits_is_offered_both_audit_lists(client_for):
    labels = nav_labels(client_for(Role.QA_LEAD, Role.AUDITOR).get("/"))
    assert labels[:5] == ["Home", "Dashboard", "Cases", "My audits", "Audits"]


def test_partnership_viewers_see_home_aggregates_standards_and_account(client_for):
    assert nav_labels(client_for(Role.PARTNERSHIP_VIEWER).get("/")) == [
        "Home",
        "Dashboard",
        "Learning",
        "Voice results",
        "Reports",
        "Performance data",
        "Standards",
        "Notifications",
        "Your account",
    ]


def test_data_officers_are_offered_imports_but_no_cases(client_for):
    labels = nav_labels(client_for(Role.DATA_OFFICER).get("/"))
    assert labels == [
        "Home",
        "Performance data",
        "Imports",
        "Standards",
        "Notifications",
        "Your account",
    ]


@pytest.mark.parametrize("role", [Role.PARTNERSHIP_VIEWER, Role.DATA_OFFICER, Role.ADMINISTRATOR])
def test_roles_that_may_not_see_cases_are_not_offered_them(client_for, role):
    labels = nav_labels(client_for(role).get("/"))
    assert "Cases" not in labels
    assert labels[0] == "Home"
    assert "Your account" in labels


def test_the_qa_lead_reaches_the_performance_data_from_the_dashboard(client_for):
    page = client_for(Role.QA_LEAD).get("/dashboard/").content.decode()
    assert 'href="/performance/' in page


def test_the_qa_lead_reaches_the_voice_pages_from_voice_results(client_for):
    page = client_for(Role.QA_LEAD).get("/voice/").content.decode()
    for address in ("/family-feedback/", "/closure-forms/", "/staff-survey/"):
        assert f'href="{address}"' in page


def test_a_person_with_no_role_is_told_whom_to_ask(client_for):
    page = client_for().get("/").content.decode()
    assert "you do not hold a role in the service yet" in page


def test_current_page_is_marked_in_the_navigation(client_for):
    soup = BeautifulSoup(client_for(Role.AUDITOR).get("/account/").content, "html.parser")
    current = soup.select('.govuk-service-navigation__list a[aria-current="page"]')
    assert [a.get_text(strip=True) for a in current] == ["Your account"]


def test_anonymous_visitors_see_no_navigation_but_the_footer_links(client, db):
    response = client.get("/sign-in/")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select(".govuk-service-navigation__list") == []
    footer = [a["href"] for a in soup.select("footer a")]
    assert "/accessibility/" in footer
    assert "/privacy/" in footer


@pytest.mark.parametrize("path", ["/accessibility/", "/privacy/"])
def test_accessibility_statement_and_privacy_notice_are_public(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert BeautifulSoup(response.content, "html.parser").h1 is not None


def test_migrate_alone_gives_the_six_cumbria_districts(db):
    assert sorted(District.objects.values_list("name", flat=True)) == [
        "Allerdale",
        "Barrow-in-Furness",
        "Carlisle",
        "Copeland",
        "Eden",
        "South Lakeland",
    ]


def test_demo_data_is_a_believable_partnership_and_loading_it_twice_adds_nothing(db):
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (Agency.objects.count(), User.objects.count(), UserRole.objects.count())
    assert counts[0] >= 40
    assert counts[1] >= 150
    practitioners = User.objects.exclude(email__in=[demo_email(u[0]) for u in DEMO_ROLE_USERS])
    with_manager = practitioners.filter(line_manager__isnull=False).count()
    assert with_manager >= 100
    for local_part, _, _, role in DEMO_ROLE_USERS:
        assert User.objects.get(email=demo_email(local_part)).has_role(role)
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Agency.objects.count(), User.objects.count(), UserRole.objects.count()) == counts


def test_demo_data_is_refused_outside_development(db, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="refused"):
        call_command("load_demo_data")


def test_production_settings_pass_the_deployment_checks():
    env = {
        "DJANGO_SECRET_KEY": "a-deployment-check-key-" + "k9" * 30,
        "DJANGO_ALLOWED_HOSTS": "qa.example.org",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings=config.settings.production",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_only_the_closest_navigation_item_is_marked_current(client, make_user):
    client.force_login(make_user(Role.QA_LEAD, Role.AUDITOR))
    soup = BeautifulSoup(client.get("/audits/mine/").content, "html.parser")
    current = soup.select('.govuk-service-navigation__list a[aria-current="page"]')
    assert [a.get_text(strip=True) for a in current] == ["My audits"]
