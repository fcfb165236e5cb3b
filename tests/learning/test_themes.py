"""Themes for learning: the managed list, who tags which audit and when, what is recorded, the
panel on the audit page, the list of themes with their counts, and the administrator's list."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from earlyhelp.accounts.roles import Role
from earlyhelp.audits.models import Audit
from earlyhelp.learning import services
from earlyhelp.learning.admin import LearningThemeForm
from earlyhelp.learning.models import AuditTheme, LearningTheme

from ..audits.factories import AuditFactory
from ..factories import UserFactory

pytestmark = pytest.mark.django_db

S = Audit.Status

DEFAULT_THEMES = [
    "Voice of the child",
    "Genogram missing",
    "Chronology missing",
    "SMART plan",
    "Review meetings",
    "Drift and delay",
    "Family engagement",
    "Multi-agency working",
    "Management oversight",
    "Safeguarding",
    "Step-down",
    "Closure and outcomes",
]


# Helpers ----------------------------------------------------------------------------------------


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def page_text(response):
    return " ".join(soup_of(response).get_text().split())


def themes_url(audit):
    return reverse("learning:audit-themes", args=[audit.pk])


def overview_url(audit):
    return reverse("audits:overview", args=[audit.pk])


def theme(name, description="", **fields):
    return LearningTheme.objects.create(name=name, description=description, **fields)


def offered(response):
    """The checkboxes on the tagging page: label text by value, and which are ticked."""
    page = soup_of(response)
    boxes = page.select("input[type=checkbox][name=themes]")
    return {
        page.select_one(f"label[for={box['id']}]").get_text(strip=True): box.has_attr("checked")
        for box in boxes
    }


def tagged(audit):
    return sorted(audit.learning_themes.values_list("name", flat=True))


def post_themes(client, audit, *themes):
    return client.post(themes_url(audit), {"themes": [str(t.pk) for t in themes]})


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def auditor():
    return UserFactory(roles=[Role.AUDITOR])


@pytest.fixture
def audit(auditor):
    """An audit the auditor has started: themes come from its findings."""
    return AuditFactory(auditor=auditor, status=S.IN_PROGRESS, with_parts=True)


@pytest.fixture
def as_auditor(client, auditor):
    return signed_in(client, auditor)


@pytest.fixture
def voice():
    return LearningTheme.objects.get(name="Voice of the child")


@pytest.fixture
def smart():
    return LearningTheme.objects.get(name="SMART plan")


# The managed list -------------------------------------------------------------------------------


def test_the_default_themes_are_there_after_migrate():
    names = set(LearningTheme.objects.values_list("name", flat=True))
    assert set(DEFAULT_THEMES) <= names
    assert LearningTheme.objects.filter(name__in=DEFAULT_THEMES, is_active=True).count() == 12
    assert all(LearningTheme.objects.filter(name__in=DEFAULT_THEMES).values_list("description"))


def test_a_theme_name_is_unique_whatever_its_capitals():
    theme("Parental mental health")
    with pytest.raises(IntegrityError), transaction.atomic():
        theme("PARENTAL Mental Health")


def test_the_administrator_is_told_a_name_is_taken_whatever_its_capitals():
    form = LearningThemeForm(data={"name": "voice OF the child", "is_active": "on"})
    assert not form.is_valid()
    assert form.errors["name"] == [
        "There is already a theme called “Voice of the child”. Names are compared without regard "
        "to capital letters."
    ]


def test_renaming_a_theme_to_its_own_name_in_other_capitals_is_allowed(voice):
    form = LearningThemeForm(
        data={"name": "Voice of the Child", "description": voice.description, "is_active": "on"},
        instance=voice,
    )
    assert form.is_valid(), form.errors
    form.save()
    assert LearningTheme.objects.get(pk=voice.pk).name == "Voice of the Child"


def test_the_themes_address_of_an_audit_reaches_the_themes_page():
    match = resolve("/audits/1/themes/")
    assert match.view_name == "learning:audit-themes", (
        f"/audits/1/themes/ is answered by {match.view_name}: the learning URLs must come before "
        "the audit section pages' audits/<pk>/<slug>/ in config/urls.py"
    )


# Tagging: what is recorded ----------------------------------------------------------------------


def test_the_auditor_tags_their_own_audit_and_who_and_when_are_recorded(
    as_auditor, auditor, audit, voice, smart
):
    before = timezone.now()
    response = post_themes(as_auditor, audit, voice, smart)
    assert response.status_code == 302
    assert response["Location"] == overview_url(audit) + "#learning-themes"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The learning themes have been saved"
    ]
    assert tagged(audit) == ["SMART plan", "Voice of the child"]
    for tag in AuditTheme.objects.filter(audit=audit):
        assert tag.tagged_by == auditor
        assert before <= tag.tagged_at <= timezone.now()


def test_the_tagging_page_offers_every_theme_in_use_with_its_description_as_a_hint(
    as_auditor, audit, voice
):
    response = as_auditor.get(themes_url(audit))
    assert response.status_code == 200
    assert set(offered(response)) >= set(DEFAULT_THEMES)
    box = soup_of(response).select_one(f"input[value='{voice.pk}']")
    hint = soup_of(response).select_one(f"#{box['aria-describedby']}")
    assert hint.get_text(strip=True) == voice.description
    assert soup_of(response).select_one("h1").get_text(strip=True) == (
        "Which learning themes did this audit find?"
    )


def test_the_themes_already_tagged_are_ticked(as_auditor, audit, voice, smart):
    post_themes(as_auditor, audit, voice)
    ticks = offered(as_auditor.get(themes_url(audit)))
    assert ticks["Voice of the child"] is True
    assert ticks["SMART plan"] is False


def test_a_tag_that_stays_keeps_who_added_it_and_when(client, audit, auditor, voice, smart):
    first = timezone.now() - datetime.timedelta(days=3)
    AuditTheme.objects.create(audit=audit, theme=voice, tagged_by=auditor, tagged_at=first)
    lead = UserFactory(roles=[Role.QA_LEAD])
    post_themes(signed_in(client, lead), audit, voice, smart)
    kept = AuditTheme.objects.get(audit=audit, theme=voice)
    assert (kept.tagged_by, kept.tagged_at) == (auditor, first)
    assert AuditTheme.objects.get(audit=audit, theme=smart).tagged_by == lead


def test_ticking_none_clears_the_themes(as_auditor, audit, voice, smart):
    post_themes(as_auditor, audit, voice, smart)
    response = post_themes(as_auditor, audit)
    assert response.status_code == 302
    assert tagged(audit) == []


def test_unticking_one_removes_only_that_one(as_auditor, audit, voice, smart):
    post_themes(as_auditor, audit, voice, smart)
    post_themes(as_auditor, audit, smart)
    assert tagged(audit) == ["SMART plan"]


# Retired themes ---------------------------------------------------------------------------------


def test_a_retired_theme_is_not_offered_for_new_tags(as_auditor, audit):
    old = theme("Old paperwork", is_active=False)
    assert "Old paperwork" not in offered(as_auditor.get(themes_url(audit)))
    response = post_themes(as_auditor, audit, old)
    assert response.status_code == 200
    assert "Select learning themes from the list" in page_text(response)
    assert tagged(audit) == []


def test_a_retired_theme_already_on_the_audit_stays_while_ticked_and_is_marked_retired(
    as_auditor, auditor, audit, voice
):
    old = theme("Old paperwork")
    post_themes(as_auditor, audit, old, voice)
    old.is_active = False
    old.save()

    ticks = offered(as_auditor.get(themes_url(audit)))
    assert ticks["Old paperwork (retired)"] is True
    post_themes(as_auditor, audit, old, voice)
    assert tagged(audit) == ["Old paperwork", "Voice of the child"]


def test_a_retired_theme_unticked_goes_and_cannot_come_back(as_auditor, audit, voice):
    old = theme("Old paperwork")
    post_themes(as_auditor, audit, old)
    LearningTheme.objects.filter(pk=old.pk).update(is_active=False)

    post_themes(as_auditor, audit, voice)
    assert tagged(audit) == ["Voice of the child"]
    assert "Old paperwork (retired)" not in offered(as_auditor.get(themes_url(audit)))
    with pytest.raises(services.ThemeNotAvailable):
        services.tag_audit(audit, [old], by=audit.auditor)
    assert tagged(audit) == ["Voice of the child"]


def test_a_theme_retired_while_the_page_was_open_is_refused_with_a_message(
    as_auditor, audit, voice
):
    as_auditor.get(themes_url(audit))
    LearningTheme.objects.filter(pk=voice.pk).update(is_active=False)
    response = post_themes(as_auditor, audit, voice)
    assert response.status_code == 200
    assert "A theme may have been retired since you opened this page" in page_text(response)
    assert tagged(audit) == []


# Bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["999999", "not-a-number", ""])
def test_an_unknown_theme_posted_is_an_error_message_not_a_crash(as_auditor, audit, voice, value):
    post_themes(as_auditor, audit, voice)
    response = as_auditor.post(themes_url(audit), {"themes": [str(voice.pk), value]})
    assert response.status_code == 200
    page = soup_of(response)
    assert page.select_one("title").get_text().startswith("Error: ")
    summary = page.select_one(".govuk-error-summary")
    assert "Select learning themes from the list" in summary.get_text()
    assert summary.select_one("a")["href"] == "#id_themes_0"
    assert tagged(audit) == ["Voice of the child"]  # nothing changed


# Who may tag, and when --------------------------------------------------------------------------


def test_the_qa_lead_tags_any_audit(client, voice):
    lead = UserFactory(roles=[Role.QA_LEAD])
    someone_elses = AuditFactory(status=S.SUBMITTED, judged="Good", with_parts=True)
    response = post_themes(signed_in(client, lead), someone_elses, voice)
    assert response.status_code == 302
    assert AuditTheme.objects.get(audit=someone_elses).tagged_by == lead


def test_another_auditor_is_told_the_audit_does_not_exist(client, audit, voice):
    signed_in(client, UserFactory(roles=[Role.AUDITOR]))
    assert client.get(themes_url(audit)).status_code == 404
    assert post_themes(client, audit, voice).status_code == 404
    assert tagged(audit) == []


def test_an_audit_that_does_not_exist_is_not_found(as_auditor):
    assert as_auditor.get("/audits/999999/themes/").status_code == 404


@pytest.mark.parametrize(
    "role",
    [
        Role.PARTNERSHIP_VIEWER,
        Role.COORDINATOR,
        Role.DATA_OFFICER,
        Role.LINE_MANAGER,
        Role.ADMINISTRATOR,
    ],
)
def test_roles_without_audit_work_are_refused(client_for, audit, voice, role):
    client = client_for(role)
    for response in (client.get(themes_url(audit)), post_themes(client, audit, voice)):
        assert response.status_code == 403
        assert response.wsgi_request.refused_by_access_policy
    assert client.get(reverse("learning:themes")).status_code == 403
    assert tagged(audit) == []


def test_a_planned_audit_cannot_be_tagged_yet(as_auditor, auditor, voice):
    planned = AuditFactory(auditor=auditor, status=S.PLANNED, with_parts=True)
    assert as_auditor.get(themes_url(planned)).status_code == 403
    assert post_themes(as_auditor, planned, voice).status_code == 403
    lead = signed_in(Client(), UserFactory(roles=[Role.QA_LEAD]))
    assert post_themes(lead, planned, voice).status_code == 403
    assert tagged(planned) == []
    with pytest.raises(services.TaggingRefused):
        services.tag_audit(planned, [voice], by=auditor)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (S.PLANNED, False),
        (S.IN_PROGRESS, True),
        (S.SUBMITTED, True),
        (S.SHARED, True),
        (S.CLOSED, True),
    ],
)
def test_tagging_is_allowed_once_the_audit_has_started(auditor, status, allowed):
    audit = AuditFactory(auditor=auditor, status=status)
    lead = UserFactory(roles=[Role.QA_LEAD])
    assert services.may_tag(auditor, audit) is allowed
    assert services.may_tag(lead, audit) is allowed
    assert services.may_tag(UserFactory(roles=[Role.AUDITOR]), audit) is False
    assert services.may_tag(UserFactory(roles=[Role.COORDINATOR]), audit) is False


def test_an_auditor_who_has_left_may_not_tag(auditor, audit):
    auditor.is_active = False
    auditor.save()
    assert services.may_tag(auditor, audit) is False


# The panel on the audit page --------------------------------------------------------------------


def panel_themes(response):
    return [li.get_text(strip=True) for li in soup_of(response).select("#learning-themes-list li")]


def change_links(response):
    return soup_of(response).find_all("a", string="Change learning themes")


def test_the_audit_page_shows_the_themes_and_the_change_link_to_its_auditor(
    as_auditor, audit, voice, smart
):
    post_themes(as_auditor, audit, voice, smart)
    response = as_auditor.get(overview_url(audit))
    assert soup_of(response).select_one("#learning-themes").get_text() == "Learning themes"
    assert panel_themes(response) == ["SMART plan", "Voice of the child"]
    [link] = change_links(response)
    assert link["href"] == themes_url(audit)


def test_the_audit_page_says_when_no_themes_are_tagged(as_auditor, audit):
    response = as_auditor.get(overview_url(audit))
    assert soup_of(response).select_one("#learning-themes-empty").get_text() == (
        "No learning themes tagged yet."
    )
    assert panel_themes(response) == []


def test_a_retired_theme_on_the_audit_is_shown_as_retired(as_auditor, audit):
    old = theme("Old paperwork")
    post_themes(as_auditor, audit, old)
    LearningTheme.objects.filter(pk=old.pk).update(is_active=False)
    assert panel_themes(as_auditor.get(overview_url(audit))) == ["Old paperwork (retired)"]


def test_the_qa_lead_sees_the_change_link_on_any_started_audit(client, audit):
    lead = signed_in(client, UserFactory(roles=[Role.QA_LEAD]))
    assert len(change_links(lead.get(overview_url(audit)))) == 1


def test_no_change_link_on_a_planned_audit(as_auditor, auditor):
    planned = AuditFactory(auditor=auditor, status=S.PLANNED, with_parts=True)
    response = as_auditor.get(overview_url(planned))
    assert response.status_code == 200
    assert change_links(response) == []
    assert "No learning themes tagged yet." in page_text(response)


def test_someone_who_reads_the_audit_but_may_not_tag_sees_the_themes_without_the_link(audit, voice):
    # Practitioners will read shared audits' pages; the panel must not offer them the change.
    AuditTheme.objects.create(audit=audit, theme=voice, tagged_by=audit.auditor)
    request = RequestFactory().get(overview_url(audit))
    request.user = UserFactory(roles=[Role.COORDINATOR])
    html = render_to_string("learning/_audit_themes_panel.html", {"audit": audit}, request=request)
    page = BeautifulSoup(html, "html.parser")
    assert [li.get_text(strip=True) for li in page.select("li")] == ["Voice of the child"]
    assert page.find("a", string="Change learning themes") is None


def test_the_panel_runs_the_same_queries_however_many_themes(as_auditor, auditor, voice):
    few = AuditFactory(auditor=auditor, status=S.IN_PROGRESS, with_parts=True)
    many = AuditFactory(auditor=auditor, status=S.IN_PROGRESS, with_parts=True)
    post_themes(as_auditor, few, voice)
    post_themes(as_auditor, many, *LearningTheme.objects.all())
    as_auditor.get(overview_url(few))  # the session's own first queries
    with CaptureQueriesContext(connection) as for_few:
        as_auditor.get(overview_url(few))
    with CaptureQueriesContext(connection) as for_many:
        response = as_auditor.get(overview_url(many))
    assert len(panel_themes(response)) == LearningTheme.objects.count()
    assert len(for_few) == len(for_many)


# The list of themes -----------------------------------------------------------------------------


def test_the_themes_page_counts_the_audits_tagged_with_each_in_use_first(
    client, auditor, voice, smart
):
    old = theme("Old paperwork", "Paper files.")
    first, second = (AuditFactory(auditor=auditor, status=S.IN_PROGRESS) for _ in range(2))
    services.tag_audit(first, [voice, smart, old], by=auditor)
    services.tag_audit(second, [voice], by=auditor)
    LearningTheme.objects.filter(pk=old.pk).update(is_active=False)

    response = signed_in(client, auditor).get(reverse("learning:themes"))
    assert response.status_code == 200
    rows = {
        tr.select_one("th").get_text(" ", strip=True): [
            td.get_text(strip=True) for td in tr.select("td")
        ]
        for tr in soup_of(response).select("#themes-table tbody tr")
    }
    assert rows["Voice of the child"] == [voice.description, "2"]
    assert rows["SMART plan"] == [smart.description, "1"]
    assert rows["Genogram missing"][1] == "0"
    assert rows["Old paperwork Retired"] == ["Paper files.", "1"]
    assert list(rows)[-1] == "Old paperwork Retired"  # retired ones after those in use


def test_the_qa_lead_reads_the_themes_page(client_for):
    assert client_for(Role.QA_LEAD).get(reverse("learning:themes")).status_code == 200


def test_the_themes_and_their_counts_are_one_query(django_assert_num_queries, auditor, voice):
    services.tag_audit(AuditFactory(auditor=auditor, status=S.IN_PROGRESS), [voice], by=auditor)
    with django_assert_num_queries(1):
        counts = {t.name: t.audit_count for t in services.themes_with_counts()}
    assert counts["Voice of the child"] == 1


# The administrator's list -----------------------------------------------------------------------


def test_administrators_manage_the_themes_in_the_admin(client_for):
    admin = client_for(Role.ADMINISTRATOR)
    response = admin.get("/admin/learning/learningtheme/?is_active__exact=1&q=genogram")
    assert response.status_code == 200
    assert "Genogram missing" in page_text(response)
    response = admin.post(
        "/admin/learning/learningtheme/add/",
        {"name": "Parental mental health", "description": "Not considered.", "is_active": "on"},
    )
    assert response.status_code == 302
    assert LearningTheme.objects.filter(name="Parental mental health").exists()


def test_a_theme_on_an_audit_cannot_be_deleted_in_the_admin(client_for, auditor, audit, voice):
    services.tag_audit(audit, [voice], by=auditor)
    unused = theme("Never used")
    admin = client_for(Role.ADMINISTRATOR)
    assert admin.get(f"/admin/learning/learningtheme/{voice.pk}/delete/").status_code == 403
    response = admin.post(f"/admin/learning/learningtheme/{unused.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not LearningTheme.objects.filter(pk=unused.pk).exists()
    assert LearningTheme.objects.filter(pk=voice.pk).exists()


def test_deleting_themes_in_bulk_leaves_those_on_audits(client_for, auditor, audit, voice):
    services.tag_audit(audit, [voice], by=auditor)
    response = client_for(Role.ADMINISTRATOR).post(
        "/admin/learning/learningtheme/",
        {"action": "delete_selected", "_selected_action": [str(voice.pk)], "post": "yes"},
    )
    assert response.status_code == 200
    assert "Cannot delete learning theme" in page_text(response)
    assert "Audit of" not in page_text(response)  # nor does it list the audits
    assert LearningTheme.objects.filter(pk=voice.pk).exists()
