"""Demo audits: two years of the monthly dip sample, audited and judged, made through the same
services an auditor uses (create, save each page, submit) so that the demo exercises them.

For development and demonstration only. The notes are short and plain, and never name a child
or a parent ("the child", "mum", "the family"). Everything is drawn from `random.Random(seed)`
over the demo EHAs, so the same seed, the same day and the same case data give the same audits.
"""

import random
import time as clock
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from earlyhelp.accounts.demo import demo_email
from earlyhelp.accounts.models import Agency, User, UserRole
from earlyhelp.accounts.roles import Role
from earlyhelp.cases.models import EarlyHelpAssessment
from earlyhelp.core.months import last_of_month
from earlyhelp.standards.models import FrameworkVersion, Section
from earlyhelp.standards.selectors import versions_in_force

from . import sections as pages
from . import services
from .models import Audit, AuditEvent, BottomLineCheck, StandardRating

QUARTERS = 8
PER_MONTH = 8  # the framework's monthly dip sample
DEFAULT_FRAMEWORK = "cscp-early-help-qaf"
DEMO_AUDITOR = "auditor"
DEMO_QA_LEAD = "qa.lead"
DEMO_COORDINATOR = "coordinator"
AUDITOR_AGENCY = "Carlisle Early Help Team"
# Early Help Officers besides the demo auditor, who does about half of each month's audits.
OTHER_OFFICERS = [
    ("helen.routledge", "Helen Routledge"),
    ("mark.bowman", "Mark Bowman"),
    ("leanne.dixon", "Leanne Dixon"),
]
NINE_MONTHS = 274  # days: the framework's drift, a plan open longer than nine months
SETTLED = 42  # days: an EHA is audited once it has had time for an assessment and a plan

OUTSTANDING, GOOD, RI, INADEQUATE = "Outstanding", "Good", "Requires Improvement", "Inadequate"
# The judgement mix over all submitted audits: about two thirds Good or better.
GRADE_SHARES = {INADEQUATE: 0.10, RI: 0.21, OUTSTANDING: 0.11}
# Practice improves a little over the two years: weaker grades lean to the earlier quarters.
GRADE_DRIFT = {INADEQUATE: -0.2, RI: -0.08, GOOD: 0.0, OUTSTANDING: 0.1}
# How the in-progress audits are heading, drawn rather than dealt.
GRADE_WEIGHTS = {OUTSTANDING: 11, GOOD: 58, RI: 21, INADEQUATE: 10}
GRADE_RANK = [OUTSTANDING, GOOD, RI, INADEQUATE]
IMPACT = {
    OUTSTANDING: {8: 3, 9: 3, 10: 1},
    GOOD: {6: 3, 7: 4, 8: 2},
    RI: {4: 3, 5: 4, 6: 2},
    INADEQUATE: {1: 1, 2: 3, 3: 3, 4: 1},
}
# For each grade: how many standards are Partly met (a range), how many Not met (a range), and
# the chance of one more Not met. Outstanding never has one (the judgement would look
# inconsistent) and Inadequate always has several.
RATING_SPREAD = {
    OUTSTANDING: ((0, 1), (0, 0), 0),
    GOOD: ((1, 3), (0, 0), 0.2),
    RI: ((3, 5), (1, 2), 0),
    INADEQUATE: ((3, 5), (3, 6), 0),
}
BOTTOM_LINE_CHANCE = {OUTSTANDING: 1.0, GOOD: 0.9, RI: 0.7, INADEQUATE: 0.45}
# The standards files most often fall short on, more likely to be rated down.
OFTEN_WEAK = {
    "S1.3": 3,
    "S1.5": 3,
    "S1.7": 3,
    "S1.8": 3,
    "S1.9": 2,
    "S2.1": 3,
    "S3.2": 3,
    "S3.4": 2,
    "S3.7": 3,
}
# Themes of themed audits, one a quarter in turn: (name, test on an EHA).
THEMES = [
    ("step-down from social care", lambda eha: eha.step_down_from_social_care),
    ("led by health visiting", lambda eha: _agency_type(eha) == "Health Visiting"),
    ("led by schools", lambda eha: _agency_type(eha) == "School"),
    ("open longer than a year", None),  # decided by dates, see _themed
]

# --- the words --------------------------------------------------------------------------------

# Evidence for Partly met and Not met, by standard; other frameworks get the general notes.
EVIDENCE = {
    "S1.1": (
        "Past and future worries are there but existing strengths are thin.",
        "The seven stages of analysis are not used; it reads as a list of worries.",
    ),
    "S1.2": (
        "Mostly factual, but some opinions are written as facts.",
        "Little evidence behind the worries and no link to outcomes for the child.",
    ),
    "S1.3": (
        "Some history is recorded but not in date order.",
        "No chronology on file and earlier involvement is not mentioned.",
    ),
    "S1.4": (
        "Network named as mum and grandparents only; wider family not explored.",
        "No family or community network recorded.",
    ),
    "S1.5": (
        "Genogram on file but drawn by the worker without the family.",
        "No genogram on file.",
    ),
    "S1.6": (
        "Clear in places but long, with some jargon.",
        "Hard to follow and full of abbreviations the family would not know.",
    ),
    "S1.7": (
        "Culture mentioned briefly; the impact on the child is not explored.",
        "Identity and diversity are not considered at all.",
    ),
    "S1.8": (
        "The child's views are recorded once, at the start.",
        "No direct work with the child; their voice is missing from the assessment.",
    ),
    "S1.9": (
        "Information is gathered well but there is little analysis of what it means.",
        "Describes the family but does not analyse the information.",
    ),
    "S1.10": (
        "History noted but its impact on the child is not drawn out.",
        "Wider family context and history are not recorded.",
    ),
    "S1.11": (
        "Worries about mum's mental health noted; no plan for managing them.",
        "Domestic abuse disclosed by mum is not recorded as a safeguarding concern.",
    ),
    "S2.1": (
        "Plan in place but actions have no dates or owners.",
        "No Family Action Plan on file.",
    ),
    "S2.2": (
        "Mum helped write the plan; the child's views are not in it.",
        "Plan written by professionals; no sign the family agreed it.",
    ),
    "S2.3": (
        "Risks listed but not how they will be reduced.",
        "The plan does not mention the risks identified in the assessment.",
    ),
    "S3.1": (
        "Reviews held in school hours though dad works days.",
        "Review dates set with no regard to the family's circumstances.",
    ),
    "S3.2": (
        "Scaling used at the first review only.",
        "No scaling questions recorded at any meeting.",
    ),
    "S3.3": (
        "New worries about housing noted but not added to the plan.",
        "Reviews repeat the first plan and ignore what has changed.",
    ),
    "S3.4": (
        "The child attended one review; their views are not recorded.",
        "The child has not been seen or asked for their views at any review.",
    ),
    "S3.5": (
        "Mum attends; dad's views are not sought.",
        "Parents' views are not recorded in the review notes.",
    ),
    "S3.6": (
        "Outcome recorded but no next review date.",
        "No review outcomes recorded.",
    ),
    "S3.7": (
        "First review held ten weeks after the TAF meeting.",
        "No review held for more than four months.",
    ),
    "S3.8": (
        "Closure reason given but not explained.",
        "EHA closed with no reason recorded.",
    ),
    "S3.9": (
        "Plan and chronology shared with social care; no genogram.",
        "Little information passed on at the transfer to social care.",
    ),
}
GENERAL_EVIDENCE = (
    "Some evidence in the file, but not consistent.",
    "Not evidenced in the file.",
)
MET_NOTES = [
    "Clearly evidenced.",
    "Good detail in the file.",
    "Evidenced in the assessment and the plan.",
    "Well recorded.",
]

FILE_NOTES = {
    Audit.Compliance.COMPLIANT: [
        "All documents are on file and up to date.",
        "File complete and easy to follow.",
        "",
    ],
    Audit.Compliance.PARTLY: [
        "Review notes for the last meeting are missing.",
        "Plan on file is out of date.",
        "Case notes are behind by several weeks.",
    ],
    Audit.Compliance.NOT_COMPLIANT: [
        "No plan or review notes uploaded to EHM.",
        "Assessment not finalised on EHM and no case notes for two months.",
    ],
}
FILE_COMPLIANCE = {
    OUTSTANDING: {Audit.Compliance.COMPLIANT: 1},
    GOOD: {Audit.Compliance.COMPLIANT: 8, Audit.Compliance.PARTLY: 2},
    RI: {
        Audit.Compliance.COMPLIANT: 2,
        Audit.Compliance.PARTLY: 7,
        Audit.Compliance.NOT_COMPLIANT: 1,
    },
    INADEQUATE: {Audit.Compliance.PARTLY: 1, Audit.Compliance.NOT_COMPLIANT: 2},
}

JOURNEY_START = [
    "The family were referred by school when the child's attendance fell below 80%.",
    "Mum asked the health visitor for help with the child's sleep and her own low mood.",
    "The child was stepped down from social care after a child in need plan ended.",
    "The family fell into rent arrears after dad lost his job.",
    "Mum was finding the child's behaviour at home hard to manage.",
    "The family moved to the area after domestic abuse and have no network here.",
    "The child is a young carer for mum, who has a long-term illness.",
    "School raised worries about the child's hygiene and tiredness.",
    "The child was anxious about school and had missed several weeks.",
    "Mum and dad have separated and arguments at handovers were upsetting the child.",
]
JOURNEY_CHANGE = {
    OUTSTANDING: [
        "The child's voice runs through the file and the plan was built around it.",
        "The child is now in school every day and says mornings are calmer.",
        "The family have a network they can call on and are ready to close.",
    ],
    GOOD: [
        "Things have improved: the child is in school most days and mum feels less alone.",
        "The plan is reviewed regularly and the family take part in each meeting.",
        "The child says home is calmer, and school report the same.",
    ],
    RI: [
        "Some things are better, but the child's views are not recorded since the start.",
        "The plan has not changed since the first review, so progress is hard to see.",
        "Mum says things are a bit better; the file does not show what changed for the child.",
    ],
    INADEQUATE: [
        "It is hard to see what life is like for the child; there is no direct work with them.",
        "No review for over four months and the worries raised by school are not followed up.",
        "The worries have grown but the plan and the support have stayed the same.",
    ],
}
WORKING_WELL = {
    OUTSTANDING: [
        "Strong relationship between the coordinator and the family.",
        "The child's own words are in the plan.",
        "Every agency attends the TAF and actions are done on time.",
    ],
    GOOD: [
        "Mum engages well and attends every meeting.",
        "School and the coordinator work closely together.",
        "Attendance has improved and the child is settled in class.",
    ],
    RI: [
        "The family are willing to work with the coordinator.",
        "Mum has started a parenting course.",
        "School have put extra support in place.",
    ],
    INADEQUATE: [
        "Mum is open with school about how things are at home.",
        "The child has a trusted adult at school.",
        "Grandparents help with childcare.",
    ],
}
WORRIED_ABOUT = {
    OUTSTANDING: [
        "Support may drop off after closure.",
        "Mum worries how she will cope at the move to secondary school.",
    ],
    GOOD: [
        "The genogram was not done with the family.",
        "Dad has not been involved in the plan.",
        "Scaling is not recorded at every review.",
    ],
    RI: [
        "The child's voice is missing from the reviews.",
        "The plan has no timescales.",
        "Reviews have slipped.",
    ],
    INADEQUATE: [
        "Domestic abuse disclosed by mum has not been assessed.",
        "The child has not been seen for three months.",
        "No plan is in place and the worries are growing.",
        "Worries about neglect have not been shared with social care.",
    ],
}
NEEDS_TO_HAPPEN = {
    OUTSTANDING: [
        "Plan the step down to universal services with the family.",
        "Share this file as an example of good practice.",
    ],
    GOOD: [
        "Redo the genogram with the family.",
        "Invite dad to the next review.",
        "Use scaling questions at every review.",
    ],
    RI: [
        "Direct work with the child before the next review.",
        "Update the plan with dates and owners for each action.",
        "Hold the overdue review within two weeks.",
    ],
    INADEQUATE: [
        "Discuss the case with the line manager this week.",
        "Consult the safeguarding hub about a referral to social care.",
        "See the child alone and record their views.",
        "Hold a TAF meeting and write a plan within two weeks.",
    ],
}
JUDGEMENT_REASONS = {
    OUTSTANDING: [
        "Strong practice throughout with clear impact for the child.",
        "Excellent direct work and a plan that has clearly made a difference.",
    ],
    GOOD: [
        "Good practice with small gaps in recording.",
        "Practice as expected; some standards only partly met.",
        "",
    ],
    RI: [
        "Standards followed but gaps in the assessment and direct work with the child.",
        "The plan lacks detail and reviews are late.",
        "Gaps in planning mean progress for the child is unclear.",
    ],
    INADEQUATE: [
        "Practice standards not followed: no plan and no reviews for several months.",
        "No direct work with the child and risks not assessed.",
        "Safeguarding concerns not recognised or acted on.",
        "Large gaps in assessment, planning and review; the child's needs are unmet.",
    ],
}
SAFEGUARDING_DETAILS = [
    "Mum disclosed domestic abuse at the last visit; no referral or safety plan is recorded.",
    "School report bruising on two occasions; this has not been discussed with social care.",
    "The child is often left alone in the evenings; the risk has not been assessed.",
    "Worries about neglect are growing (hygiene, food, missed health appointments); "
    "a consultation with the safeguarding hub is needed.",
]
RECOMMENDED_ACTIONS = {
    OUTSTANDING: [
        "Keep going as you are; share your approach at the next team meeting.",
        "Plan the closure with the family and record their view of the help.",
    ],
    GOOD: [
        "Redo the genogram with the family by the next review.",
        "Record scaling at every review.",
        "Invite dad to the next TAF meeting.",
    ],
    RI: [
        "Hold the overdue review within two weeks and update the plan with dates and owners.",
        "Do direct work with the child and record their views before the next review.",
        "Talk with your line manager about the gaps in this audit in supervision.",
    ],
    INADEQUATE: [
        "Discuss this case with your line manager within two working days.",
        "Hold a TAF meeting within two weeks and write a SMART plan with the family.",
        "See the child alone and record their views within a week.",
    ],
}


@dataclass
class DemoAudits:
    created: int = 0
    submitted: int = 0
    open: int = 0
    auditors_created: int = 0
    seconds: float = 0.0


@dataclass
class _Version:
    """A framework version's parts, read once: the pages, the grades and rating options."""

    version: object
    sections: list
    grades: dict  # label -> JudgementGrade
    met: object
    partly: object
    not_met: object
    not_applicable: object


def _agency_type(eha):
    return eha.agency_type.name if eha.agency_type else ""


def _weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _months(today):
    """The first day of every month from the start of the quarter seven quarters back to now."""
    quarter_start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    index = quarter_start.year * 12 + quarter_start.month - 1 - 3 * (QUARTERS - 1)
    months = []
    while date(index // 12, index % 12 + 1, 1) <= today:
        months.append(date(index // 12, index % 12 + 1, 1))
        index += 1
    return months


def quarter_of(day):
    return day.year, (day.month - 1) // 3 + 1


def _quarter_end(day):
    return last_of_month(day.replace(month=(day.month - 1) // 3 * 3 + 3, day=1))


def _due_date(rng, first, today=None, overdue=False):
    """In the month of a past sample. For the current one, around today and never beyond the
    quarter: overdue (where the month allows) or due in the next two weeks."""
    if today is None:
        return first.replace(day=rng.randint(10, last_of_month(first).day))
    low = max(first + timedelta(days=7), today - timedelta(days=10))
    high = today - timedelta(days=1)
    if not (overdue and low <= high):
        low = max(low, today)
        high = max(low, min(today + timedelta(days=14), _quarter_end(first)))
    return low + timedelta(days=rng.randint(0, (high - low).days))


def _at(day, rng):
    """A working-hours moment of that day, in the service's time zone."""
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59))))


def _officers():
    """The demo auditor and the other Early Help Officers (created if missing)."""
    team = Agency.objects.get(name=AUDITOR_AGENCY)
    created = 0
    others = []
    for local_part, name in OTHER_OFFICERS:
        user = User.objects.filter(email=demo_email(local_part)).first()
        if user is None:
            user = User.objects.create_user(
                email=demo_email(local_part),
                full_name=name,
                job_title="Early Help Officer",
                agency=team,
            )  # no password: an unusable one, as for the demo practitioners
            created += 1
        UserRole.objects.get_or_create(user=user, role=Role.AUDITOR)
        others.append(user)
    return User.objects.get(email=demo_email(DEMO_AUDITOR)), others, created


def _version_for(on):
    versions = versions_in_force(on) or versions_in_force()
    default = [v for v in versions if v.framework.ref_id == DEFAULT_FRAMEWORK]
    return (default or versions)[0]


def _version_parts(version, cache):
    """Read once for the whole load, with the parts create_audit and the pages read."""
    if version.pk in cache:
        return cache[version.pk]
    version = FrameworkVersion.objects.prefetch_related(
        Prefetch("sections", queryset=Section.objects.prefetch_related("standards")),
        "bottom_lines",
        "rating_options",
        "judgement_grades",
    ).get(pk=version.pk)
    options = {o.ref_id: o for o in version.rating_options.all()}
    applicable = [o for o in options.values() if o.applicable]
    # By position where the ref_ids are not the default framework's: best first, worst last.
    parts = _Version(
        version=version,
        sections=None,
        grades={g.label: g for g in version.judgement_grades.all()},
        met=options.get("met") or applicable[0],
        partly=options.get("partly-met") or applicable[min(1, len(applicable) - 1)],
        not_met=options.get("not-met") or applicable[-1],
        not_applicable=options.get("not-applicable")
        or next((o for o in options.values() if not o.applicable), None),
    )
    cache[version.pk] = parts
    return parts


def _assessments():
    return list(
        EarlyHelpAssessment.objects.select_related("agency_type")
        .order_by("reference")
        .only(
            "reference",
            "start_date",
            "closure_date",
            "status",
            "step_down_from_social_care",
            "stepped_up_to_social_care",
            "genogram_recorded",
            "chronology_recorded",
            "coordinator_email",
            "agency_type__name",
        )
    )


def _open_in(eha, first):
    """Open at the start of the month and settled enough to audit."""
    return eha.start_date <= first - timedelta(days=SETTLED) and (
        eha.closure_date is None or eha.closure_date >= first
    )


def _themed(theme, eha, first):
    _, test = theme
    if test is None:
        return eha.start_date <= first - timedelta(days=365)
    return bool(test(eha))


def _choose(rng, pool, used):
    candidates = [eha for eha in pool if eha.pk not in used]
    if not candidates:
        return None
    eha = rng.choice(candidates)
    used.add(eha.pk)
    return eha


def _month_plan(rng, first, quarter_index, ehas, used, coordinator_email):
    """The month's eight (EHA, audit type): mostly the dip sample, now and then a drift-triggered
    audit and, in alternate quarters, a themed one."""
    open_now = [eha for eha in ehas if _open_in(eha, first)]
    types = [Audit.Type.DIP_SAMPLE] * PER_MONTH
    if rng.random() < 0.55:
        types[0] = Audit.Type.DRIFT
    theme = THEMES[(quarter_index // 2) % len(THEMES)]
    if quarter_index % 2 == 0 and rng.random() < 0.7:
        types[1] = Audit.Type.THEMED
    plan = []
    for n, audit_type in enumerate(types):
        pool = open_now
        if audit_type == Audit.Type.DRIFT:
            pool = [e for e in open_now if e.start_date <= first - timedelta(days=NINE_MONTHS)]
        elif audit_type == Audit.Type.THEMED:
            pool = [e for e in open_now if _themed(theme, e, first)]
        elif n == PER_MONTH - 1 and first.month % 3 == 1:
            # Once a quarter, one of the demo coordinator's cases, so that they have audits.
            mine = [e for e in open_now if e.coordinator_email == coordinator_email]
            pool = mine or open_now
        eha = _choose(rng, pool, used) or _choose(rng, open_now, used)
        if eha is None:
            continue
        if eha not in pool:
            audit_type = Audit.Type.DIP_SAMPLE
        plan.append((eha, audit_type))
    return plan


def _recent_coordinator_case(eha, first, current_month):
    """An EHA of the demo coordinator audited in the four months before this one."""
    recent = first >= current_month - timedelta(days=125)
    return recent and eha.coordinator_email == demo_email(DEMO_COORDINATOR)


def _grade_deck(rng, count):
    """Judgements for `count` submitted audits in date order: exactly the shares above, in a
    random order with a gentle improvement over time."""
    deck = []
    for grade, share in GRADE_SHARES.items():
        deck += [grade] * round(count * share)
    deck += [GOOD] * (count - len(deck))
    return sorted(deck, key=lambda grade: rng.random() + GRADE_DRIFT[grade])


# --- filling in one audit -----------------------------------------------------------------------


def _not_applicable(ref_id, eha, month_end):
    if ref_id == "S3.8":  # the closure reason, for an EHA that has not closed
        return eha.closure_date is None or eha.closure_date > month_end
    if ref_id == "S3.9":  # the transfer to social care, where there was none
        return not eha.stepped_up_to_social_care
    return False


def _ratings_data(rng, grade, parts, ratings, eha, month_end):
    """{rating_<pk>: option pk, evidence_<pk>: note} for every standard of the audit."""
    (partly_low, partly_high), (not_low, not_high), one_more = RATING_SPREAD[grade]
    applicable = []
    chosen = {}
    for rating_pk, ref_id in ratings:
        if parts.not_applicable and _not_applicable(ref_id, eha, month_end):
            chosen[rating_pk] = (parts.not_applicable, "")
        else:
            applicable.append((rating_pk, ref_id))
    not_met = rng.randint(not_low, not_high) + (rng.random() < one_more)
    partly = rng.randint(partly_low, partly_high)
    # The weaker standards are more often the ones rated down (weighted order, no repeats).
    order = sorted(
        applicable, key=lambda item: rng.random() ** (1 / OFTEN_WEAK.get(item[1], 1)), reverse=True
    )
    for n, (rating_pk, ref_id) in enumerate(order):
        partly_note, not_met_note = EVIDENCE.get(ref_id, GENERAL_EVIDENCE)
        if n < not_met:
            chosen[rating_pk] = (parts.not_met, not_met_note)
        elif n < not_met + partly:
            chosen[rating_pk] = (parts.partly, partly_note)
        else:
            note = rng.choice(MET_NOTES) if rng.random() < 0.3 else ""
            chosen[rating_pk] = (parts.met, note)
    return chosen


def _bottom_lines(rng, grade, checks, eha):
    chance = BOTTOM_LINE_CHANCE[grade]
    evidenced = []
    for check_pk, ref_id in checks:
        recorded = {"BL5": eha.genogram_recorded, "BL6": eha.chronology_recorded}.get(ref_id)
        if recorded is False:
            continue
        if rng.random() < chance:
            evidenced.append(str(check_pk))
    if not evidenced and checks:
        evidenced.append(str(checks[0][0]))
    return evidenced


def _pages_data(rng, grade, parts, audit, eha, month_end, safeguarding):
    """Each page of the audit with what the auditor writes on it, in the form's order."""
    ratings = list(
        StandardRating.objects.filter(audit=audit).values_list(
            "pk", "standard__ref_id", "standard__section_id"
        )
    )
    checks = list(
        BottomLineCheck.objects.filter(audit=audit)
        .order_by("bottom_line__order")
        .values_list("pk", "bottom_line__ref_id")
    )
    chosen = _ratings_data(rng, grade, parts, [(pk, ref) for pk, ref, _ in ratings], eha, month_end)
    compliance = _weighted(rng, FILE_COMPLIANCE[grade])
    judgement = parts.grades.get(grade) or list(parts.grades.values())[GRADE_RANK.index(grade)]
    journey = f"{rng.choice(JOURNEY_START)} {rng.choice(JOURNEY_CHANGE[grade])}"
    data = []
    for section in parts.sections:
        if section.framework_section is not None:
            page = {}
            for pk, _, section_id in ratings:
                if section_id == section.framework_section.pk:
                    option, note = chosen[pk]
                    page[f"rating_{pk}"] = str(option.pk)
                    page[f"evidence_{pk}"] = note
        elif section.slug == pages.FILE:
            page = {
                "file_compliance": compliance,
                "file_compliance_note": rng.choice(FILE_NOTES[compliance]),
            }
        elif section.slug == pages.BOTTOM_LINES:
            page = {"evidenced": _bottom_lines(rng, grade, checks, eha)}
        elif section.slug == pages.JOURNEY:
            page = {
                "childs_journey": journey,
                "working_well": rng.choice(WORKING_WELL[grade]),
                "worried_about": rng.choice(WORRIED_ABOUT[grade]),
                "needs_to_happen": rng.choice(NEEDS_TO_HAPPEN[grade]),
            }
        elif section.slug == pages.JUDGEMENT:
            page = {
                "impact_score": _weighted(rng, IMPACT[grade]),
                "judgement": str(judgement.pk),
                "judgement_reason": rng.choice(JUDGEMENT_REASONS[grade]),
            }
        elif section.slug == pages.SAFEGUARDING:
            page = {
                "unresolved_safeguarding": safeguarding,
                "safeguarding_details": rng.choice(SAFEGUARDING_DETAILS) if safeguarding else "",
            }
        elif section.slug == pages.ACTIONS:
            page = {"recommended_actions": rng.choice(RECOMMENDED_ACTIONS[grade])}
        else:
            continue
        data.append((section, page))
    return data


def _fill(audit, pages_data, user):
    for section, page in pages_data:
        if section.slug == pages.BOTTOM_LINES:
            # save_page ticks the checks it reads from audit.bottom_line_checks.all() and then
            # saves a second .all(): without the checks prefetched, the second is a fresh read
            # and the ticks are lost. Prefetching makes both the same list.
            prefetch_related_objects([audit], "bottom_line_checks")
        audit = services.save_page(
            audit=audit, section=section, data=page, revision=audit.revision, user=user
        )
    return audit


def _backdate(audit, created_at, started_at=None, submitted_at=None):
    """The services stamp everything with timezone.now(); demo history needs the audit's own
    dates within its quarter, so they are set afterwards, on the audit and on its events."""
    changes = {"created_at": created_at}
    if started_at:
        changes["started_at"] = started_at
    if submitted_at:
        changes["submitted_at"] = submitted_at
    Audit.objects.filter(pk=audit.pk).update(**changes)
    events = AuditEvent.objects.filter(audit=audit)
    events.filter(kind=AuditEvent.Kind.CREATED).update(at=created_at)
    if started_at:
        events.filter(kind=AuditEvent.Kind.STARTED).update(at=started_at)
    if submitted_at:
        events.filter(kind=AuditEvent.Kind.SUBMITTED).update(at=submitted_at)


# --- the whole load ------------------------------------------------------------------------------


@transaction.atomic
def load_demo_audits(seed=2026, today=None):
    """Audits for the last eight quarters, made once: returns None if any audit exists.

    Eight audits a month; every month's are submitted except the current month's, which are
    planned or in progress (some overdue). Needs the demo partnership and the demo cases.
    """
    if Audit.objects.exists():
        return None
    started = clock.perf_counter()
    today = today or timezone.localdate()
    now = timezone.now()
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    qa_lead = User.objects.filter(email=demo_email(DEMO_QA_LEAD)).first()
    ehas = _assessments()
    if qa_lead is None or not ehas:
        raise RuntimeError("Demo audits need the demo partnership and the demo cases first.")
    demo_auditor, others, auditors_created = _officers()
    months = _months(today)
    deck = iter(_grade_deck(rng, PER_MONTH * (len(months) - 1)))
    summary = DemoAudits(auditors_created=auditors_created)
    used = set()
    versions = {}
    escalated_for_coordinator = False
    first_quarter = quarter_of(months[0])
    for month_index, first in enumerate(months):
        quarter = quarter_of(first)
        quarter_index = (quarter[0] - first_quarter[0]) * 4 + quarter[1] - first_quarter[1]
        current = first == months[-1]
        month_end = last_of_month(first)
        plan = _month_plan(rng, first, quarter_index, ehas, used, demo_email(DEMO_COORDINATOR))
        # About half to the demo auditor, the rest shared among the other officers.
        auditors = [demo_auditor] * (len(plan) // 2 + len(plan) % 2)
        auditors += [others[(month_index + n) % len(others)] for n in range(len(plan) // 2)]
        rng.shuffle(auditors)
        parts = _version_parts(_version_for(first), versions)
        for n, ((eha, audit_type), auditor) in enumerate(zip(plan, auditors, strict=True)):
            created_day = first + timedelta(days=rng.randint(0, 2))
            due_date = _due_date(rng, first, today if current else None, overdue=n % 3 == 0)
            audit = services.create_audit(
                assessment=eha,
                auditor=auditor,
                due_date=due_date,
                audit_type=audit_type,
                created_by=qa_lead,
                framework_version=parts.version,
            )
            if parts.sections is None:
                parts.sections = pages.sections_for(audit)
            created_at = min(_at(created_day, rng), now)
            if current:
                _leave_open(rng, audit, parts, eha, month_end, created_at, now)
                summary.open += 1
            else:
                grade = next(deck)
                if not escalated_for_coordinator and _recent_coordinator_case(
                    eha, first, months[-1]
                ):
                    # One recent Inadequate audit of the demo coordinator's case, so that the demo
                    # line manager has an escalation to see (one more Inadequate than the deck).
                    grade = INADEQUATE
                    escalated_for_coordinator = True
                _submit(rng, audit, parts, eha, grade, first, month_end, created_at, now)
                summary.submitted += 1
            summary.created += 1
    summary.seconds = round(clock.perf_counter() - started, 1)
    return summary


def _submit(rng, audit, parts, eha, grade, first, month_end, created_at, now):
    safeguarding = grade == INADEQUATE and rng.random() < 0.6
    data = _pages_data(rng, grade, parts, audit, eha, month_end, safeguarding)
    auditor = audit.auditor
    audit = _fill(audit, data, auditor)
    submitted, found, warning = services.submit(
        audit=audit, revision=audit.revision, user=auditor, confirm_judgement=False
    )
    if not submitted:  # the demo's own mistake: every demo audit must be complete and consistent
        raise ValueError(f"Demo audit {audit.pk} not submitted: {found or warning}")
    quarter_end = _quarter_end(first)
    started_day = created_at.date() + timedelta(days=rng.randint(1, 10))
    submitted_day = min(audit.due_date + timedelta(days=rng.randint(-8, 3)), quarter_end)
    submitted_day = max(submitted_day, started_day + timedelta(days=1))
    started_at = min(_at(started_day, rng), now)
    _backdate(audit, created_at, started_at, max(min(_at(submitted_day, rng), now), started_at))


def _leave_open(rng, audit, parts, eha, month_end, created_at, now):
    """The current month's audits: about a third not yet started, the rest part-way through."""
    if rng.random() < 0.35:
        _backdate(audit, created_at)
        return
    grade = _weighted(rng, GRADE_WEIGHTS)
    safeguarding = grade == INADEQUATE and rng.random() < 0.6
    data = _pages_data(rng, grade, parts, audit, eha, month_end, safeguarding)
    _fill(audit, data[: rng.randint(1, len(data) - 1)], audit.auditor)
    started_at = min(created_at + timedelta(days=rng.randint(1, 8), hours=1), now)
    _backdate(audit, created_at, started_at)
