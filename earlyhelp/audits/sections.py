"""The audit form's pages, in order. Most are fixed; there is one page per section of the
framework version the audit keeps, so another framework needs no code change."""

from dataclasses import dataclass

FILE, BOTTOM_LINES, JOURNEY, JUDGEMENT, SAFEGUARDING, ACTIONS = (
    "file",
    "bottom-lines",
    "journey",
    "judgement",
    "safeguarding",
    "actions",
)
STANDARDS_PREFIX = "standards-"

_FIXED_BEFORE = [(FILE, "Compliance of the Child and Family file")]
_FIXED_AFTER = [
    (BOTTOM_LINES, "Early Help Bottom Lines"),
    (JOURNEY, "The child's journey and lived experience"),
    (JUDGEMENT, "Impact and overall judgement"),
    (SAFEGUARDING, "Safeguarding"),
    (ACTIONS, "Recommended actions"),
]


@dataclass(frozen=True)
class AuditSection:
    slug: str
    title: str
    framework_section: object = None  # a standards.Section for the standards pages


def sections_for(audit):
    """Every page of this audit's form, in order."""
    pages = [AuditSection(slug, title) for slug, title in _FIXED_BEFORE]
    for section in audit.framework_version.sections.all():
        pages.append(AuditSection(f"{STANDARDS_PREFIX}{section.ref_id}", section.title, section))
    if not audit.framework_version.bottom_lines.all():
        after = [item for item in _FIXED_AFTER if item[0] != BOTTOM_LINES]
    else:
        after = _FIXED_AFTER
    pages.extend(AuditSection(slug, title) for slug, title in after)
    return pages


def find_section(audit, slug):
    for section in sections_for(audit):
        if section.slug == slug:
            return section
    return None


def next_section(audit, slug):
    pages = sections_for(audit)
    for index, section in enumerate(pages):
        if section.slug == slug and index + 1 < len(pages):
            return pages[index + 1]
    return None
