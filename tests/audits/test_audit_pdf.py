"""The completed audit as a tagged PDF: what it holds, that it is tagged, who may download it,
and that each download is recorded in the access log.

The text is read back with poppler's `pdftotext` and `pdfinfo` (Debian's poppler-utils, which
`make test` installs when missing). Without them these tests fail, saying so: they never skip.
"""

import re
import shutil
import subprocess
import zlib

import pytest
from django.conf import settings

from earlyhelp.accounts.roles import Role
from earlyhelp.audits import sections as pages
from earlyhelp.audits import services
from earlyhelp.audits.models import Audit
from earlyhelp.audits.pdf import render_audit_pdf
from earlyhelp.core.models import AccessLog

from ..factories import UserFactory
from .audit_helpers import new_audit

pytestmark = pytest.mark.django_db

MISSING_POPPLER = (
    "{tool} is missing: these tests read the PDF back with Debian's poppler-utils. Install it "
    "with `scripts/install-debian-packages.sh /usr/bin/pdftotext poppler-utils` (`make test` "
    "does this for you)."
)

HOSTILE = "<script>alert('x')</script> & <b>not bold</b>"


def _poppler(tool, *args, pdf, tmp_path):
    executable = shutil.which(tool)
    if executable is None:
        pytest.fail(MISSING_POPPLER.format(tool=tool))
    path = tmp_path / "audit.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(  # noqa: S603 - poppler's own tool on a file the test wrote
        [executable, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode("utf-8")


def _objects(pdf):
    """The PDF's bytes with every compressed stream (object streams included) inflated, to
    look for catalogue entries and structure tags without a PDF library."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def normalise(text):
    """One space for any run of white space, and no break after a hyphen or slash that ended a
    line (applied to both sides, so a text with "faith/ belief" still matches itself)."""
    text = re.sub(r"(?<=[-/\u2010])\s+", "", text)
    return " ".join(text.split())


def pdf_text(pdf, tmp_path):
    return normalise(_poppler("pdftotext", "-enc", "UTF-8", pdf=pdf, tmp_path=tmp_path))


def _page(audit, slug):
    return pages.find_section(audit, slug)


def _save(audit, slug, user, **data):
    return services.save_page(
        audit=audit, section=_page(audit, slug), data=data, revision=audit.revision, user=user
    )


def complete_and_submit(audit, judgement="Good", impact=7):
    """Fills every page through the same service the audit form uses, then submits."""
    version = audit.framework_version
    user = audit.auditor
    met = version.rating_options.get(label="Met")
    partly = version.rating_options.get(label="Partly met")
    audit = _save(
        audit,
        pages.FILE,
        user,
        file_compliance="partly",
        file_compliance_note="The genogram is missing from the file.",
    )
    for index, section in enumerate(version.sections.all()):
        data = {}
        for rating in audit.ratings.filter(standard__section=section):
            data[f"rating_{rating.pk}"] = str(met.pk)
            data[f"evidence_{rating.pk}"] = ""
        if index == 0:
            first = audit.ratings.filter(standard__section=section).order_by("standard__order")[0]
            data[f"rating_{first.pk}"] = str(partly.pk)
            data[f"evidence_{first.pk}"] = HOSTILE
        audit = _save(audit, f"{pages.STANDARDS_PREFIX}{section.ref_id}", user, **data)
    audit = _save(
        audit,
        pages.BOTTOM_LINES,
        user,
        evidenced=[str(check.pk) for check in audit.bottom_line_checks.all()[:5]],
    )
    audit = _save(
        audit,
        pages.JOURNEY,
        user,
        childs_journey="School attendance rose from 70% to 95% over the plan.",
        working_well="Mum attends every TAF meeting.",
        worried_about="Housing is still not settled.",
        needs_to_happen="A housing referral by the next review.",
    )
    grade = version.judgement_grades.get(label=judgement)
    audit = _save(
        audit,
        pages.JUDGEMENT,
        user,
        impact_score=impact,
        judgement=str(grade.pk),
        judgement_reason="Good direct work with the child.",
    )
    audit = _save(
        audit,
        pages.SAFEGUARDING,
        user,
        unresolved_safeguarding=True,
        safeguarding_details="A referral to children's social care is being considered.",
    )
    audit = _save(
        audit,
        pages.ACTIONS,
        user,
        recommended_actions="Add the genogram to the file.",
    )
    submitted, problems, _warning = services.submit(
        audit=audit, revision=audit.revision, user=user, confirm_judgement=True
    )
    assert submitted, problems
    return audit


def submitted_quickly(auditor):
    """A submitted audit made by setting its fields directly: for the access tests."""
    audit = new_audit(auditor)
    version = audit.framework_version
    met = version.rating_options.get(label="Met")
    audit.ratings.update(rating=met)
    audit.impact_score = 6
    audit.judgement = version.judgement_grades.get(label="Good")
    audit.unresolved_safeguarding = False
    audit.childs_journey = "Improving."
    audit.file_compliance = Audit.Compliance.COMPLIANT
    audit.status = Audit.Status.SUBMITTED
    audit.save()
    return audit


def url(audit):
    return f"/audits/{audit.pk}/audit.pdf"


@pytest.fixture
def auditor():
    return UserFactory(roles=[Role.AUDITOR])


@pytest.fixture
def audit(auditor):
    return submitted_quickly(auditor)


def test_the_pdf_holds_the_judgement_the_impact_and_every_standard(auditor, tmp_path):
    audit = complete_and_submit(new_audit(auditor))
    pdf = render_audit_pdf(audit)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf, tmp_path)

    assert "Overall judgement Good" in text
    assert normalise(audit.judgement.definition) in text
    assert "Impact 7 out of 10" in text
    for rating in audit.ratings.select_related("standard__section", "rating"):
        assert normalise(f"{rating.standard.ref_id} {rating.standard.text}") in text, (
            rating.standard.ref_id
        )
        assert normalise(rating.standard.section.title) in text
    for check in audit.bottom_line_checks.select_related("bottom_line"):
        said = "Evidenced:" if check.evidenced else "Not evidenced:"
        title = f"{check.bottom_line.title}. " if check.bottom_line.title else ""
        assert normalise(f"{said} {title}{check.bottom_line.text}") in text, check
    assert text.count("Not evidenced:") == 2
    assert "Rating: Partly met" in text
    eha = audit.assessment
    for fact in (
        f"EHA reference {eha.reference}",
        f"Family reference {eha.family.reference}",
        f"District {eha.district}",
        f"Lead agency {eha.lead_agency}",
        f"Auditor {audit.auditor}",
        "Type Monthly dip sample",
        "Partly compliant",
        "The genogram is missing from the file.",
        "School attendance rose from 70% to 95% over the plan.",
        "Are there unresolved safeguarding issues? Yes",
        "A referral to children's social care is being considered.",
        "Add the genogram to the file.",
        normalise(f"{audit.framework_version.framework.name}, version"),
        "OFFICIAL-SENSITIVE",
        "This document holds information about a child",
    ):
        assert normalise(fact) in text, fact


def test_what_people_typed_is_printed_as_text_not_read_as_markup(auditor, tmp_path):
    audit = complete_and_submit(new_audit(auditor))
    text = pdf_text(render_audit_pdf(audit), tmp_path)
    assert normalise(HOSTILE) in text


def test_the_pdf_is_tagged_titled_in_british_english_a4_and_numbered(audit, tmp_path):
    pdf = render_audit_pdf(audit)
    info = _poppler("pdfinfo", pdf=pdf, tmp_path=tmp_path)
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), info
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info, re.MULTILINE), info
    title = re.search(r"^Title:\s+(.*)$", info, re.MULTILINE).group(1)
    assert audit.assessment.reference in title
    assert "OFFICIAL-SENSITIVE" in title
    catalogue = _objects(pdf)
    assert b"/Lang (en-GB)" in catalogue
    assert b"/DisplayDocTitle true" in catalogue
    assert b"/StructTreeRoot" in catalogue
    for tag in (b"/S /H1", b"/S /H2", b"/S /H3", b"/S /Table", b"/S /TH", b"/S /L"):
        assert tag in catalogue, tag
    pages_count = int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE).group(1))
    assert pages_count >= 2
    text = pdf_text(pdf, tmp_path)
    assert f"Page 1 of {pages_count}" in text
    assert f"Page {pages_count} of {pages_count}" in text
    assert text.count("OFFICIAL-SENSITIVE") >= 2 * pages_count  # header and footer
    assert text.count(settings.PARTNERSHIP_NAME) >= pages_count


def test_the_assigned_auditor_downloads_it_and_the_download_is_recorded(
    client, auditor, audit, tmp_path
):
    client.force_login(auditor)
    response = client.get(url(audit))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="audit-{audit.assessment.reference}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")
    entry = AccessLog.objects.get(user=auditor)
    assert (entry.record_type, entry.record_id, entry.record_label, entry.path) == (
        "audit",
        audit.pk,
        audit.assessment.reference,
        url(audit),
    )


def test_the_qa_lead_downloads_any_submitted_audit(client_for, audit):
    response = client_for(Role.QA_LEAD).get(url(audit))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert AccessLog.objects.filter(record_type="audit", record_id=audit.pk).count() == 1


@pytest.mark.parametrize("status", [Audit.Status.SHARED, Audit.Status.CLOSED])
def test_later_statuses_still_download(client, auditor, audit, status):
    Audit.objects.filter(pk=audit.pk).update(status=status)
    client.force_login(auditor)
    assert client.get(url(audit)).status_code == 200


def test_another_auditor_is_told_it_does_not_exist(client_for, audit):
    assert client_for(Role.AUDITOR).get(url(audit)).status_code == 404
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    "role",
    [Role.COORDINATOR, Role.LINE_MANAGER, Role.PARTNERSHIP_VIEWER, Role.DATA_OFFICER],
)
def test_people_without_an_audit_role_are_refused(client_for, audit, role):
    assert client_for(role).get(url(audit)).status_code == 403
    assert not AccessLog.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, audit):
    response = client.get(url(audit))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("status", [Audit.Status.PLANNED, Audit.Status.IN_PROGRESS])
def test_an_audit_not_yet_submitted_has_no_pdf(client, client_for, auditor, audit, status):
    Audit.objects.filter(pk=audit.pk).update(status=status)
    client.force_login(auditor)
    assert client.get(url(audit)).status_code == 404
    assert client_for(Role.QA_LEAD).get(url(audit)).status_code == 404
    assert not AccessLog.objects.exists()


def test_the_overview_links_to_the_pdf_only_once_submitted(client, auditor, audit):
    client.force_login(auditor)
    link = f'href="{url(audit)}"'
    page = client.get(f"/audits/{audit.pk}/").content.decode()
    assert link in page
    assert "Download this audit as a PDF" in page
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.IN_PROGRESS)
    page = client.get(f"/audits/{audit.pk}/").content.decode()
    assert link not in page
    assert "Download this audit as a PDF" not in page
