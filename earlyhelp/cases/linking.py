"""EHAs linked to the accounts of the people the data report names.

The data report names an EHA's coordinator and the coordinator's manager by e-mail address.
Who may see an EHA follows its links to accounts (`coordinator`, `coordinator_manager`;
selectors.visible_assessments), not the addresses themselves: an index on a link holds a
number where one on an address holds some thirty characters, and the two address indexes were
the dearest part of every first import (decision 0018). So the links are kept as the addresses
say, on every path that changes either side:

- the importer links each EHA it writes to the active account with each address, as they were
  when it began, and at its end links again for any account made or changed since
  (link_changed_since);
- saving an account that is new, or whose address or active state changed, links the EHAs
  with its address to it and lets go of the ones that no longer have it (link_person; wired in
  apps.py);
- link_all links every EHA still unlinked, for use after accounts were changed in bulk without
  saving each (QuerySet.update in the shell).

Addresses are compared in lower case: the importer keeps them so, and so does the account
manager when it makes an account.
"""

from django.contrib.auth import get_user_model
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower

from .models import EarlyHelpAssessment

# Each link and the address it follows.
LINKS = {"coordinator": "coordinator_email", "coordinator_manager": "coordinator_manager_email"}


def link_all():
    """Links every EHA not yet linked to the active account with its address, where there is
    one (people get accounts after their EHAs were first imported). One statement, whatever
    the number of EHAs or people: the table is read once for both links."""
    people = get_user_model().objects.filter(is_active=True).annotate(address=Lower("email"))
    addresses = people.values("address")
    unlinked = Q()
    linked = {}
    for link, address in LINKS.items():
        unlinked |= Q(**{f"{link}__isnull": True, f"{address}__in": addresses})
        # A link already made stays as it is.
        linked[link] = Coalesce(
            F(f"{link}_id"), Subquery(people.filter(address=OuterRef(address)).values("pk")[:1])
        )
    EarlyHelpAssessment.objects.filter(unlinked).update(**linked)


def active_accounts():
    """{e-mail address in lower case: id} of the active accounts."""
    people = get_user_model().objects.filter(is_active=True).values_list("email", "pk")
    return {email.lower(): pk for email, pk in people}


def link_changed_since(known):
    """After an import that linked the EHAs it wrote with `known` (active_accounts() as they
    were when it began): links again for each account made, changed or made inactive since,
    as saving it did (link_person) before the import's EHAs could be seen. Usually there is
    none, and this costs one query on accounts and none on EHAs."""
    now = active_accounts()
    if now == known:
        return
    changed = {pk for address, pk in now.items() if known.get(address) != pk}
    changed |= {pk for address, pk in known.items() if now.get(address) != pk}
    for person in get_user_model().objects.filter(pk__in=changed):
        link_person(person)


def link_person(person):
    """After an account is saved: the EHAs with its address are linked to it, and those linked
    to it that no longer have its address are let go. An account that is not active is left
    as it is: it sees nothing (selectors.visible_assessments), and reactivating it links it
    again."""
    if not person.is_active or not person.email:
        return
    address = person.email.lower()
    assessments = EarlyHelpAssessment.objects
    for link, field in LINKS.items():
        assessments.filter(**{field: address}).exclude(**{link: person}).update(**{link: person})
        assessments.filter(**{link: person}).exclude(**{field: address}).update(**{link: None})


# The fields of an account whose change can change its links.
LINKING_FIELDS = frozenset({"email", "is_active"})


def person_saved(sender, instance, created, update_fields, **kwargs):
    """post_save of the account model. Signing in saves only the time of the last sign-in,
    which links nothing, so it costs no query here."""
    if created or update_fields is None or LINKING_FIELDS & set(update_fields):
        link_person(instance)
