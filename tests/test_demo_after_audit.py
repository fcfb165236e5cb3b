"""The demo after the audit: escalations answered (some still open), feedback shared and
responded to, audits closed and learning themes tagged, all through the services and dated as a
service two years in use; loading it a second time adds nothing, and no demo text names anyone
in a family.

The demo partnership, cases, audits and what came after are loaded once for the module inside a
transaction that is rolled back at the end (as tests/audits/test_demo_audits.py does); each test
runs in its own savepoint within it.
"""

import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from earlyhelp.accounts.demo import FIRST_NAMES, demo_email, load_demo_partnership
from earlyhelp.accounts.models import User
from earlyhelp.audits import escalation as escalations
from earlyhelp.audits import feedback
from earlyhelp.audits.demo import load_demo_audits
from earlyhelp.audits.models import (
    Audit,
    AuditEvent,
    AuditShare,
    BottomLineCheck,
    Escalation,
    StandardRating,
)
from earlyhelp.cases.demo import load_demo_cases
from earlyhelp.core.models import Notification
from earlyhelp.learning.models import AuditTheme
from earlyhelp.pages.demo_after_audit import READ_AFTER, load_demo_after_audit

S = Escalation.Status
COORDINATOR = demo_email("coordinator")
LINE_MANAGER = demo_email("line.manager")
QA_LEAD = demo_email("qa.lead")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """What load_demo_after_audit returned, with everything loaded until the module ends."""
    with (
        django_db_blocker.unblock(),
        override_settings(VAR_DIR=tmp_path_factory.mktemp("var")),
        transaction.atomic(),
    ):
        load_demo_partnership()
        load_demo_cases()
        load_demo_audits()
        summary = load_demo_after_audit()
        yield summary
        transaction.set_rollback(True)


def _counts():
    return (
        Counter(Escalation.objects.values_list("status", flat=True)),
        AuditShare.objects.count(),
        AuditShare.objects.filter(responded_at__isnull=False).count(),
        Counter(Audit.objects.values_list("status", flat=True)),
        AuditTheme.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


def test_a_second_load_adds_nothing(demo, db):
    before = _counts()
    assert load_demo_after_audit() is None
    assert load_demo_after_audit(seed=7) is None
    assert _counts() == before


def test_the_command_says_it_is_already_loaded(demo, db, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    with (tmp_path / "out.txt").open("w+") as out:
        call_command("load_demo_data", stdout=out)
        out.seek(0)
        assert "Demo escalations, feedback and learning themes: already loaded." in out.read()


def test_the_summary_counts_what_is_there(demo, db):
    assert demo.escalations_resolved == Escalation.objects.filter(status=S.RESOLVED).count()
    assert demo.audits_closed == Audit.objects.filter(status=Audit.Status.CLOSED).count()
    assert demo.themes == AuditTheme.objects.count()
    assert str(demo.themes) in demo.line()


def test_escalations_in_every_status_the_latest_still_open(demo, db):
    all_of_them = list(Escalation.objects.select_related("audit").order_by("-created_at"))
    statuses = Counter(e.status for e in all_of_them)
    assert statuses[S.OPEN] >= 1
    assert statuses[S.ACKNOWLEDGED] >= 1
    assert statuses[S.RESOLVED] > statuses[S.OPEN] + statuses[S.ACKNOWLEDGED]
    # The open ones are the most recent.
    newest = all_of_them[: statuses[S.OPEN]]
    assert {e.status for e in newest} == {S.OPEN}
    now = timezone.now()
    for escalation in all_of_them:
        assert escalation.created_at == escalation.audit.submitted_at
        if escalation.status == S.OPEN:
            assert escalation.acknowledged_at is None
            continue
        assert escalation.created_at < escalation.acknowledged_at <= now
        assert escalation.acknowledged_by is not None
        if escalation.status == S.RESOLVED:
            assert escalation.response
            assert escalation.action_taken
            assert escalation.acknowledged_at <= escalation.resolved_at <= now
            assert escalation.resolved_by_id == escalation.acknowledged_by_id
        else:
            assert escalation.resolved_at is None
    # Answered by the line manager it was made to, or by the QA lead for one without an account.
    qa_lead = User.objects.get(email=QA_LEAD)
    for escalation in Escalation.objects.exclude(status=S.OPEN):
        if escalations.recorded_on_behalf(escalation):
            assert escalation.acknowledged_by == qa_lead
        else:
            assert escalation.acknowledged_by_id == escalation.line_manager_id


def test_the_open_escalations_were_chased_when_the_job_would_have(demo, db):
    today = timezone.localdate()
    for escalation in Escalation.objects.filter(status=S.OPEN):
        assert escalation.chased_at is not None
        assert escalation.created_at < escalation.chased_at <= timezone.now()
    # So the first daily run after the demo is loaded has nothing to chase and nothing to close.
    assert escalations.chase_unacknowledged(today) == 0
    assert feedback.close_unanswered(today) == 0


def test_feedback_shared_responded_and_closed(demo, db):
    shares = AuditShare.objects.select_related("audit")
    submitted = Audit.objects.filter(submitted_at__isnull=False)
    assert shares.values("audit").distinct().count() > 0.8 * submitted.count()
    assert set(
        shares.exclude(responded_at=None).values_list("agrees_with_judgement", flat=True)
    ) == {
        "yes",
        "partly",
        "no",
    }
    closed = Audit.objects.filter(status=Audit.Status.CLOSED)
    reasons = set(closed.values_list("closure_reason", flat=True))
    assert feedback.EVERYONE_RESPONDED in reasons
    assert any(reason.startswith("Closed after") for reason in reasons)
    assert closed.count() > 0.6 * submitted.count()
    # Still awaiting a response: shared within the time allowed to respond.
    waiting = shares.filter(responded_at__isnull=True, audit__status=Audit.Status.SHARED)
    assert waiting.exists()
    opened_since = feedback.close_after(timezone.localdate())
    assert all(share.shared_at >= opened_since for share in waiting)
    for share in shares.exclude(responded_at=None):
        assert share.reflection
        assert share.will_do
        assert share.audit.submitted_at <= share.shared_at
        assert share.shared_at < share.first_read_at <= share.responded_at <= timezone.now()
    for audit in closed:
        assert audit.shared_at <= audit.closed_at <= timezone.now()
        kinds = {e.kind: e.at for e in audit.events.all()}
        assert kinds[AuditEvent.Kind.SHARED] == audit.shared_at
        assert kinds[AuditEvent.Kind.CLOSED] == audit.closed_at


def test_the_demo_coordinator_and_line_manager_have_feedback_waiting_and_answered(demo, db):
    for email in (COORDINATOR, LINE_MANAGER):
        theirs = AuditShare.objects.filter(person__email=email)
        waiting = theirs.filter(responded_at__isnull=True, audit__status=Audit.Status.SHARED)
        assert waiting.count() >= 2, email
        assert theirs.filter(responded_at__isnull=False).exists(), email
        unread = Notification.objects.filter(recipient__email=email, read_at__isnull=True)
        assert unread.filter(kind="audit_shared").exists(), email


def test_old_notifications_were_emailed_and_read_and_only_recent_ones_are_unread(demo, db):
    now = timezone.now()
    old = Notification.objects.filter(created_at__lt=now - READ_AFTER)
    assert old.count() > 100
    assert not old.filter(emailed_at__isnull=True).exists()
    assert not old.filter(recipient__isnull=False, read_at__isnull=True).exists()
    assert Notification.objects.filter(read_at__isnull=True).count() < 30
    assert not Notification.objects.filter(created_at__gt=now).exists()
    assert not AuditEvent.objects.filter(at__gt=now).exists()


def _weak(audit_ids, standards, bottom_lines):
    """The audits among these that rated one of `standards` down or left one of `bottom_lines`
    not evidenced."""
    rated_down = StandardRating.objects.filter(
        audit_id__in=audit_ids,
        standard__ref_id__in=standards,
        rating__ref_id__in=["partly-met", "not-met"],
    ).values_list("audit_id", flat=True)
    missing = BottomLineCheck.objects.filter(
        audit_id__in=audit_ids, bottom_line__ref_id__in=bottom_lines, evidenced=False
    ).values_list("audit_id", flat=True)
    return set(rated_down) | set(missing)


def test_themes_fit_what_each_audit_found(demo, db):
    tags = AuditTheme.objects.select_related("theme", "audit__judgement", "tagged_by")
    per_audit = Counter(tag.audit_id for tag in tags)
    assert per_audit
    assert set(per_audit.values()) <= {1, 2, 3}
    weaker = Audit.objects.filter(
        judgement__label__in=["Requires Improvement", "Inadequate"], submitted_at__isnull=False
    )
    assert set(weaker.values_list("pk", flat=True)) <= set(per_audit)
    by_theme = {}
    for tag in tags:
        by_theme.setdefault(tag.theme.name, set()).add(tag.audit_id)
        assert tag.tagged_at >= tag.audit.submitted_at
        assert tag.tagged_by in (tag.audit.auditor, User.objects.get(email=QA_LEAD))
    assert by_theme["Genogram missing"] <= _weak(by_theme["Genogram missing"], ["S1.5"], ["BL5"])
    chronology = by_theme["Chronology missing"]
    assert chronology <= _weak(chronology, ["S1.3"], ["BL6"])
    voice = by_theme["Voice of the child"]
    assert voice <= _weak(voice, ["S1.8", "S3.4"], ["BL4"])
    raised = Audit.objects.filter(unresolved_safeguarding=True, submitted_at__isnull=False)
    assert set(raised.values_list("pk", flat=True)) <= by_theme["Safeguarding"]
    safeguarding = by_theme["Safeguarding"]
    assert safeguarding <= _weak(safeguarding, ["S1.11"], []) | set(
        raised.values_list("pk", flat=True)
    )
    oversight = AuditTheme.objects.filter(theme__name="Management oversight")
    assert set(oversight.values_list("audit__judgement__label", flat=True)) <= {"Inadequate"}
    assert set(oversight.values_list("tagged_by__email", flat=True)) <= {QA_LEAD}


NAMES = {name.lower() for name in FIRST_NAMES}
# Capitalised words the demo's own words may use mid-sentence: none is anybody's name.
ALLOWED = {"Early", "Help", "Family", "Action", "Plan"}


def _texts():
    texts = []
    for escalation in Escalation.objects.all():
        texts += [escalation.response, escalation.action_taken]
    for share in AuditShare.objects.all():
        texts += [share.reflection, share.will_do]
    return [text for text in texts if text]


def test_no_demo_text_names_anyone_in_a_family(demo, db):
    texts = _texts()
    assert len(texts) > 100
    first_names = NAMES | {
        name.split()[0].lower() for name in User.objects.values_list("full_name", flat=True)
    }
    for text in texts:
        words = re.findall(r"[A-Za-z]+", text)
        assert not {w.lower() for w in words if w[0].isupper()} & first_names, text
        for sentence in re.split(r"(?<=[.;:!?])\s+", text):
            later = [w.strip(",;:.()") for w in sentence.split()[1:]]
            capitalised = {w for w in later if re.fullmatch(r"[A-Z][a-z]+(?:'s)?", w)}
            assert capitalised <= ALLOWED, text


def test_the_drift_worklist_of_the_demo_is_not_empty(demo, db):
    from django.utils import timezone

    from earlyhelp.sampling.drift import OPEN_NINE_MONTHS, drift_items

    items = drift_items(timezone.localdate())
    reasons = {code for _, code in items}
    assert len({pk for pk, _ in items}) >= 50
    assert OPEN_NINE_MONTHS in reasons
    assert len(reasons) >= 3


def test_the_demo_line_manager_has_an_escalation(demo, db):
    from earlyhelp.audits.models import Escalation

    assert Escalation.objects.filter(line_manager__email=demo_email("line.manager")).exists()
