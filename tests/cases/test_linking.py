"""EHAs are linked to the accounts with the e-mail addresses the data report gives, whichever
comes first, and who may see an EHA follows those links (cases/linking.py, decision 0018)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from earlyhelp.accounts.roles import Role
from earlyhelp.cases.importing import importer, run_import
from earlyhelp.cases.linking import link_all
from earlyhelp.cases.models import CaseChange, EarlyHelpAssessment
from earlyhelp.cases.selectors import visible_assessments

from .factories import DataImportFactory
from .import_files import csv_bytes, row

pytestmark = pytest.mark.django_db

COORDINATOR = "jo.bloggs@agency.test"
MANAGER = "manager@agency.test"


def imported(*rows, data_import=None):
    return run_import(io.BytesIO(csv_bytes(rows)), data_import=data_import)


def links(reference="EHA-000001"):
    eha = EarlyHelpAssessment.objects.get(reference=reference)
    return eha.coordinator, eha.coordinator_manager


def seen_by(person):
    return sorted(visible_assessments(person).values_list("reference", flat=True))


def test_an_import_links_each_eha_to_the_accounts_with_its_addresses_in_any_case(make_user):
    coordinator = make_user(Role.COORDINATOR, email=COORDINATOR)
    manager = make_user(Role.LINE_MANAGER, email=MANAGER)
    imported(
        row(
            Coordinator_Email="Jo.Bloggs@Agency.test",
            Coordinator_Manager_Email="MANAGER@agency.test",
        )
    )
    assert links() == (coordinator, manager)
    assert seen_by(coordinator) == ["EHA-000001"]
    assert seen_by(manager) == ["EHA-000001"]


def test_accounts_made_after_the_import_are_linked_when_they_are_made(make_user):
    imported(row(), row(EHA_Reference="EHA-000002", Coordinator_Email="someone@agency.test"))
    assert links() == (None, None)
    coordinator = make_user(Role.COORDINATOR, email=COORDINATOR)
    manager = make_user(Role.LINE_MANAGER, email=MANAGER)
    assert links() == (coordinator, manager)
    assert seen_by(coordinator) == ["EHA-000001"]
    assert seen_by(manager) == ["EHA-000001", "EHA-000002"]


def test_a_changed_address_takes_the_ehas_with_it(make_user):
    coordinator = make_user(Role.COORDINATOR, email=COORDINATOR)
    imported(row(), row(EHA_Reference="EHA-000002", Coordinator_Email="jo.new@agency.test"))
    assert seen_by(coordinator) == ["EHA-000001"]

    coordinator.email = "jo.new@agency.test"
    coordinator.save()
    assert seen_by(coordinator) == ["EHA-000002"]
    assert links("EHA-000001") == (None, None)


def test_an_inactive_account_is_not_linked_until_it_is_active_again(make_user):
    coordinator = make_user(Role.COORDINATOR, email=COORDINATOR, is_active=False)
    imported(row())
    assert links() == (None, None)
    coordinator.is_active = True
    coordinator.save(update_fields=["is_active"])
    assert links()[0] == coordinator
    assert seen_by(coordinator) == ["EHA-000001"]


@pytest.fixture
def accounts_read_at_start(monkeypatch):
    """The accounts an import reads when it begins, set by the test: as if the accounts had
    changed while it ran, after it read them."""
    read = {}
    monkeypatch.setattr(importer, "active_accounts", lambda: dict(read))
    return read


def test_an_account_made_while_an_import_ran_is_linked_at_its_end(
    make_user, accounts_read_at_start
):
    coordinator = make_user(Role.COORDINATOR, email=COORDINATOR)  # after the import read none
    imported(row())
    assert links()[0] == coordinator


def test_an_address_changed_while_an_import_ran_moves_its_links_at_the_end(
    make_user, accounts_read_at_start
):
    coordinator = make_user(Role.COORDINATOR, email="jo.new@agency.test")
    accounts_read_at_start[COORDINATOR] = coordinator.pk  # its address when the import began
    imported(row(), row(EHA_Reference="EHA-000002", Coordinator_Email="jo.new@agency.test"))
    assert links("EHA-000001")[0] is None
    assert seen_by(coordinator) == ["EHA-000002"]


def test_an_import_with_no_account_changed_since_it_began_ends_without_touching_links(make_user):
    make_user(Role.COORDINATOR, email=COORDINATOR)
    with CaptureQueriesContext(connection) as queries:
        imported(row())
    assert not [q for q in queries if q["sql"].startswith('UPDATE "cases_earlyhelpassessment"')]
    assert links()[0] is not None


def test_link_all_catches_up_after_accounts_were_changed_without_saving_each(make_user):
    coordinator = make_user(Role.COORDINATOR, email="someone.else@agency.test")
    imported(row())
    get_user_model().objects.filter(pk=coordinator.pk).update(email=COORDINATOR)  # no signal
    assert links()[0] is None
    link_all()
    assert links()[0] == coordinator


def test_signing_in_saves_the_account_without_a_query_on_ehas(make_user):
    person = make_user(Role.COORDINATOR, email=COORDINATOR)
    imported(row())
    with CaptureQueriesContext(connection) as queries:
        person.save(update_fields=["last_login"])
    assert not [q for q in queries if "cases_earlyhelpassessment" in q["sql"]]


def test_a_change_of_manager_is_recorded_as_the_address_and_the_link_follows(make_user):
    first = make_user(Role.LINE_MANAGER, email=MANAGER)
    second = make_user(Role.LINE_MANAGER, email="new.manager@agency.test")
    imported(row())
    later = DataImportFactory()
    imported(row(Coordinator_Manager_Email="new.manager@agency.test"), data_import=later)
    assert links()[1] == second
    assert seen_by(first) == []
    assert seen_by(second) == ["EHA-000001"]
    change = CaseChange.objects.get(data_import=later)
    assert change.changes == {"coordinator_manager_email": [MANAGER, "new.manager@agency.test"]}
