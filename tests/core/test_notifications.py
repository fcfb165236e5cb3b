"""Notifications: one entry in the person's own list and one e-mail that says nothing about the
family; the list, opening one, marking them read, and the unread count in the header."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import District
from earlyhelp.accounts.roles import Role
from earlyhelp.core import notifications
from earlyhelp.core.models import DailyRun, Notification
from earlyhelp.core.notifications import EMAILS, notify

from ..cases.factories import EarlyHelpAssessmentFactory, FamilyFactory
from ..factories import AgencyFactory, UserFactory

LIST_URL = "/notifications/"


def open_url(notification):
    return reverse("notifications:open", args=[notification.pk])


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def make_notification(recipient, **fields):
    fields.setdefault("kind", "audit_due_soon")
    fields.setdefault("text", "Your audit of EHA000001 is due on 3 December 2026.")
    return Notification.objects.create(recipient=recipient, **fields)


# notify --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_notify_makes_one_notification_and_sends_one_email():
    user = UserFactory()
    notification = notify(
        "audit_due_soon", recipient=user, text="Your audit is due soon.", url="/audits/7/"
    )
    assert Notification.objects.get() == notification
    assert notification.recipient == user
    assert notification.read_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert mail.outbox[0].subject.startswith(EMAILS["audit_due_soon"].subject)
    notification.refresh_from_db()
    assert notification.emailed_at is not None


@pytest.mark.django_db
def test_a_notification_is_emailed_once_however_often_the_task_runs():
    notification = notify("audit_overdue", recipient=UserFactory(), text="Overdue.")
    assert notifications.send_email(notification.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_once_only_key_tells_the_person_once():
    user = UserFactory()
    first = notify("audit_overdue", recipient=user, text="Overdue.", key="audit:1:overdue")
    second = notify("audit_overdue", recipient=user, text="Overdue.", key="audit:1:overdue")
    assert first is not None
    assert second is None
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_same_key_still_tells_each_person_once():
    one, other = UserFactory(), UserFactory()
    notify("audit_shared", recipient=one, text="Shared.", key="audit:1:shared")
    notify("audit_shared", recipient=other, text="Shared.", key="audit:1:shared")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([one.email, other.email])


@pytest.mark.django_db
def test_a_once_only_key_for_an_address_ignores_its_capitals():
    notify("escalation_without_account", email="Manager@Agency.test", text="x", key="esc:1")
    notify("escalation_without_account", email="manager@agency.test", text="x", key="esc:1")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["Manager@Agency.test"]


@pytest.mark.django_db
def test_someone_without_an_account_gets_an_email_but_no_list_entry_and_no_deep_link():
    with override_settings(SERVICE_URL="https://qa.example.org"):
        notification = notify(
            "escalation_without_account",
            email="manager@agency.test",
            text="x",
            url="/audits/7/escalation/",
        )
    assert notification.recipient is None
    assert mail.outbox[0].to == ["manager@agency.test"]
    assert "https://qa.example.org/\n" in mail.outbox[0].body
    assert "/audits/7/" not in mail.outbox[0].body


@pytest.mark.django_db
def test_an_inactive_person_is_told_nothing():
    user = UserFactory(is_active=False)
    assert notify("audit_due_soon", recipient=user, text="Due soon.") is None
    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="Unknown kind"):
        notify("birthday", recipient=UserFactory(), text="Happy birthday")
    assert not Notification.objects.exists()


def test_a_notification_needs_someone_to_tell():
    with pytest.raises(ValueError, match="person or an e-mail address"):
        notify("audit_due_soon", text="To nobody")


@pytest.fixture
def distinctive_case(db):
    """An EHA whose every detail is unlike anything the service writes itself."""
    district = District.objects.create(name="Quillthwaite")
    eha = EarlyHelpAssessmentFactory(
        reference="EHA-ZX-48213",
        family=FamilyFactory(reference="FAM-QV-90127"),
        district=district,
        lead_agency=AgencyFactory(name="Brambleholme Family Hub", district=district),
        coordinator_name="Philomena Okonkwo-Rasmussen",
        coordinator_email="philomena.rasmussen@brambleholme.test",
        coordinator_manager_email="ignatius.featherstone@brambleholme.test",
        start_date=datetime.date(2025, 2, 14),
        closure_reason="Moved to Tarnside",
    )
    values = [
        eha.reference,
        eha.family.reference,
        eha.coordinator_name,
        "Philomena",
        "Okonkwo",
        "Rasmussen",
        eha.coordinator_email,
        eha.coordinator_manager_email,
        "Featherstone",
        district.name,
        eha.lead_agency.name,
        "Brambleholme",
        "Tarnside",
        "14 February 2025",
        "2025-02-14",
        "14/02/2025",
    ]
    text = (
        f"Audit of {eha.reference} (family {eha.family.reference}) in {district.name}: "
        f"coordinator {eha.coordinator_name} <{eha.coordinator_email}> of "
        f"{eha.lead_agency.name}, manager {eha.coordinator_manager_email}, started 14 February "
        f"2025 (2025-02-14, 14/02/2025), {eha.closure_reason}."
    )
    return eha, text, values


@pytest.mark.parametrize("kind", sorted(EMAILS))
@override_settings(SERVICE_URL="https://qa.example.org/")
def test_no_email_of_any_kind_carries_anything_about_the_family(distinctive_case, kind):
    eha, text, values = distinctive_case
    manager = UserFactory(full_name="Ignatius Featherstone")
    url = reverse("cases:detail", args=[eha.pk])
    notify(kind, recipient=manager, text=text, url=url, key=f"case:{eha.pk}")
    notify(kind, email=eha.coordinator_manager_email, text=text, url=url)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        written = f"{message.subject}\n{message.body}".lower()
        leaked = [value for value in values if value.lower() in written]
        assert leaked == [], f"the {kind} e-mail names {leaked}"
        assert "Ignatius" not in message.body
        assert not getattr(message, "alternatives", None)
    # Each carries a link to the service: the page itself for someone with an account.
    assert f"https://qa.example.org{url}" in mail.outbox[0].body
    assert "https://qa.example.org/\n" in mail.outbox[1].body
    assert EMAILS[kind].subject in mail.outbox[0].subject


def test_every_email_text_is_free_of_placeholders():
    for kind, words in EMAILS.items():
        for written in (words.subject, words.body):
            assert "{" not in written, kind
            assert "%" not in written, kind


# The list ------------------------------------------------------------------------------------


@pytest.fixture
def person(make_user):
    return make_user()


@pytest.fixture
def signed_in_client(client, person):
    client.force_login(person)
    return client


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for url in (LIST_URL, "/notifications/1/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")


def test_the_list_says_when_there_is_nothing(signed_in_client):
    page = soup(signed_in_client.get(LIST_URL))
    assert page.h1.get_text(strip=True) == "Notifications"
    assert page.select_one("#empty-state").get_text(strip=True) == "You have no notifications"
    assert page.select_one("#notification-table") is None
    assert "Mark all as read" not in page.get_text()


def test_the_list_shows_ones_own_newest_first_with_unread_marked(
    signed_in_client, person, make_user
):
    now = timezone.now()
    older = make_notification(
        person, text="Older and read", created_at=now - datetime.timedelta(days=2), read_at=now
    )
    newer = make_notification(person, text="Newer and unread", url="/audits/3/", created_at=now)
    make_notification(make_user(), text="Somebody else's notification")

    page = soup(signed_in_client.get(LIST_URL))
    rows = page.select("#notification-table tbody tr")
    assert [row.td.get_text(" ", strip=True) for row in rows] == [
        "Unread Newer and unread",
        "Older and read",
    ]
    assert "Somebody else's" not in page.get_text()
    assert rows[0].select_one(".govuk-tag").get_text(strip=True) == "Unread"
    assert rows[0].a["href"] == open_url(newer)
    assert rows[1].select_one(".govuk-tag") is None
    assert rows[1].a is None  # read, and it leads nowhere
    received = rows[1].select_one("time")
    assert received["datetime"] == timezone.localtime(older.created_at).isoformat()
    assert page.select_one("#unread-summary").get_text(strip=True) == (
        "You have 1 unread notification."
    )


def test_the_time_is_written_the_govuk_way(signed_in_client, person):
    make_notification(person, created_at=datetime.datetime(2026, 3, 5, 14, 30, tzinfo=datetime.UTC))
    time = soup(signed_in_client.get(LIST_URL)).select_one("#notification-table time")
    assert time.get_text(strip=True) == "5 March 2026 at 2:30pm"


def test_an_unread_notification_without_a_page_can_be_marked_read(signed_in_client, person):
    notification = make_notification(person, text="Nothing to open")
    link = soup(signed_in_client.get(LIST_URL)).select_one("#notification-table tbody a")
    assert link["href"] == open_url(notification)
    assert link.get_text(" ", strip=True).startswith("Mark as read")
    response = signed_in_client.get(link["href"])
    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_the_list_is_paged(signed_in_client, person):
    Notification.objects.bulk_create(
        Notification(recipient=person, kind="audit_due_soon", text=f"Number {n}") for n in range(30)
    )
    first = soup(signed_in_client.get(LIST_URL))
    assert len(first.select("#notification-table tbody tr")) == 25
    assert first.caption.get_text(strip=True) == "Showing 1 to 25 of 30 notifications"
    assert first.select_one(".govuk-pagination__next a")["href"] == "?page=2"
    second = soup(signed_in_client.get(LIST_URL, {"page": "2"}))
    assert len(second.select("#notification-table tbody tr")) == 5
    past_the_end = soup(signed_in_client.get(LIST_URL, {"page": "9"}))
    assert "There is no page 9" in past_the_end.select_one("#missing-page").get_text()
    assert soup(signed_in_client.get(LIST_URL, {"page": "x"})).caption is not None


def test_the_number_of_queries_does_not_grow_with_the_list(signed_in_client, person):
    def queries_for(count):
        Notification.objects.all().delete()
        Notification.objects.bulk_create(
            Notification(
                recipient=person, kind="audit_due_soon", text=f"Number {n}", url=f"/audits/{n}/"
            )
            for n in range(count)
        )
        with CaptureQueriesContext(connection) as context:
            assert signed_in_client.get(LIST_URL).status_code == 200
        return len(context.captured_queries)

    assert queries_for(3) == queries_for(25) == queries_for(30)


# Opening one and marking them read -----------------------------------------------------------


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(signed_in_client, person):
    notification = make_notification(person, url="/audits/12/")
    response = signed_in_client.get(open_url(notification))
    assert response.status_code == 302
    assert response["Location"] == "/audits/12/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_a_read_notification_keeps_when_it_was_first_read(signed_in_client, person):
    read_at = timezone.now() - datetime.timedelta(days=3)
    notification = make_notification(person, url="/audits/12/", read_at=read_at)
    assert signed_in_client.get(open_url(notification))["Location"] == "/audits/12/"
    notification.refresh_from_db()
    assert notification.read_at == read_at


@pytest.mark.parametrize(
    "url",
    [
        "https://elsewhere.example/phish",
        "//elsewhere.example/phish",
        "/\\elsewhere.example/phish",
        "javascript:alert(1)",
        "audits/12/",
    ],
)
def test_opening_never_leaves_the_service(signed_in_client, person, url):
    notification = make_notification(person, url=url)
    response = signed_in_client.get(open_url(notification))
    assert response["Location"] == LIST_URL
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_does_not_exist_for_you(signed_in_client, make_user):
    theirs = make_notification(make_user(), url="/audits/12/")
    assert signed_in_client.get(open_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_notification_that_does_not_exist_is_404(signed_in_client):
    assert signed_in_client.get("/notifications/999999/").status_code == 404


def test_mark_all_as_read_marks_only_ones_own(signed_in_client, person, make_user):
    mine = [make_notification(person), make_notification(person)]
    theirs = make_notification(make_user())
    form = soup(signed_in_client.get(LIST_URL)).select_one("main form")
    assert form["method"] == "post"
    assert form.select_one("input[name=csrfmiddlewaretoken]") is not None
    assert form.button.get_text(strip=True) == "Mark all as read"

    response = signed_in_client.post(form["action"], follow=True)
    assert response.redirect_chain == [(LIST_URL, 302)]
    page = soup(response)
    assert "All your notifications are marked as read" in page.get_text()
    assert page.select("#notification-table .govuk-tag") == []
    assert "Mark all as read" not in page.select_one("main").get_text()
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_as_read_needs_a_post(signed_in_client, person):
    notification = make_notification(person)
    assert signed_in_client.get("/notifications/mark-all-read/").status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_as_read_checks_the_csrf_token(client, person):
    client = type(client)(enforce_csrf_checks=True)
    client.force_login(person)
    notification = make_notification(person)
    assert client.post("/notifications/mark-all-read/").status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


# The header ----------------------------------------------------------------------------------


def unread_badge(response):
    link = next(
        a
        for a in soup(response).select(".govuk-service-navigation__list a")
        if a.get_text(" ", strip=True).startswith("Notifications")
    )
    assert link["href"] == LIST_URL
    badge = link.select_one(".app-unread-count")
    return badge.get_text(" ", strip=True) if badge else None


def test_the_header_counts_unread_notifications_until_they_are_read(signed_in_client, person):
    assert unread_badge(signed_in_client.get("/")) is None
    first = make_notification(person, url="/audits/1/")
    make_notification(person)
    make_notification(person, read_at=timezone.now())
    assert unread_badge(signed_in_client.get("/")) == "2 unread"

    signed_in_client.get(open_url(first))
    assert unread_badge(signed_in_client.get("/")) == "1 unread"
    signed_in_client.post("/notifications/mark-all-read/")
    assert unread_badge(signed_in_client.get("/")) is None


def test_the_list_is_marked_as_the_current_page(signed_in_client):
    current = soup(signed_in_client.get(LIST_URL)).select_one(
        ".govuk-service-navigation__list a[aria-current=page]"
    )
    assert current.get_text(" ", strip=True).startswith("Notifications")


# Administration ------------------------------------------------------------------------------


def test_administrators_can_read_notifications_and_daily_runs_but_not_change_them(
    client_for, make_user
):
    client = client_for(Role.ADMINISTRATOR)
    notification = make_notification(make_user(), text="Your audit of EHA000123 is overdue.")
    run = DailyRun.objects.create(day=datetime.date(2026, 12, 1), summary={"a job": 2})

    listing = client.get("/admin/core/notification/")
    assert listing.status_code == 200
    assert "EHA000123" in listing.content.decode()
    detail = client.get(f"/admin/core/notification/{notification.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert client.get("/admin/core/dailyrun/").status_code == 200
    assert client.get(f"/admin/core/dailyrun/{run.pk}/change/").status_code == 200

    for model, pk in (("notification", notification.pk), ("dailyrun", run.pk)):
        assert client.get(f"/admin/core/{model}/add/").status_code == 403
        assert client.get(f"/admin/core/{model}/{pk}/delete/").status_code == 403
        response = client.post(f"/admin/core/{model}/{pk}/change/", {"text": "Changed"})
        assert response.status_code == 403
    notification.refresh_from_db()
    assert notification.text == "Your audit of EHA000123 is overdue."
