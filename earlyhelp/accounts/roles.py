"""The roles people hold in the Early Help QA service.

A person may hold several roles (an Early Help Officer who also manages coordinators, say).
Roles are granted by administrators; what each role may do is declared on each view
(see earlyhelp/core/access.py), never inferred from the role's name in a template.
"""

from django.db import models


class Role(models.TextChoices):
    QA_LEAD = "qa_lead", "QA lead"
    AUDITOR = "auditor", "Auditor (Early Help Officer)"
    COORDINATOR = "coordinator", "Coordinator"
    LINE_MANAGER = "line_manager", "Line manager"
    PARTNERSHIP_VIEWER = "partnership_viewer", "Partnership viewer"
    DATA_OFFICER = "data_officer", "Data officer"
    ADMINISTRATOR = "administrator", "Administrator"


# What each role is for, in the words of the framework where it has them. Shown on the home page
# so that a person knows why they see what they see.
ROLE_PURPOSE = {
    Role.QA_LEAD: (
        "You manage the Early Help Team's quality assurance: draw the monthly dip sample, "
        "assign audits, moderate them, and write the quarterly report to the CSCP Early Help group."
    ),
    Role.AUDITOR: (
        "You audit Child and Family files against the Early Help Standards, scale the impact of "
        "the work out of 10, give an overall judgement, and contact coordinators of drifting plans."
    ),
    Role.COORDINATOR: (
        "You coordinate Early Help Assessments. You see the audits of your own cases, read the "
        "feedback on them and respond."
    ),
    Role.LINE_MANAGER: (
        "You manage EHA coordinators. Where an audit finds the Early Help 'Inadequate' or raises "
        "unresolved safeguarding issues, you are told directly and record what you have done."
    ),
    Role.PARTNERSHIP_VIEWER: (
        "You read published quarterly reports and aggregate figures for the partnership. "
        "You never see a child's record."
    ),
    Role.DATA_OFFICER: (
        "You bring the EHM data report into the service so that samples, drift and reports "
        "use current case data."
    ),
    Role.ADMINISTRATOR: (
        "You look after the service: people and their roles, agencies, districts and the "
        "framework's reference data."
    ),
}
