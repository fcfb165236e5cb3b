"""A believable demo partnership: agencies across the six districts, practitioners with line
managers, and one sign-in per role. For development and demonstration only; every name is made
up and every address is under demo.example."""

import random
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from .models import Agency, AgencyType, District, User, UserRole
from .roles import Role

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - demo data only, printed by `make run`
DEMO_DOMAIN = "demo.example"

FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Chloe",
    "Daniel",
    "Ella",
    "Finn",
    "Grace",
    "Harry",
    "Isla",
    "Jack",
    "Kate",
    "Liam",
    "Maya",
    "Noah",
    "Olivia",
    "Patrick",
    "Quinn",
    "Rosie",
    "Sean",
    "Tilly",
    "Usman",
    "Vicky",
    "Will",
    "Yasmin",
    "Zoe",
    "Abby",
    "Callum",
    "Dylan",
    "Erin",
    "Faye",
    "George",
    "Hannah",
    "Imran",
    "Jodie",
    "Kieran",
    "Lucy",
    "Megan",
    "Nathan",
    "Owen",
    "Phoebe",
    "Rachel",
    "Sophie",
    "Tom",
    "Amy",
    "Beth",
    "Craig",
    "Donna",
    "Gemma",
]
LAST_NAMES = [
    "Armstrong",
    "Bell",
    "Carr",
    "Dixon",
    "Edgar",
    "Fell",
    "Graham",
    "Hodgson",
    "Irving",
    "Jackson",
    "Kirkbride",
    "Little",
    "Moffat",
    "Nixon",
    "Oliver",
    "Pattinson",
    "Robinson",
    "Stoddart",
    "Thompson",
    "Routledge",
    "Walker",
    "Wilson",
    "Young",
    "Atkinson",
    "Bowman",
    "Caird",
    "Dalton",
    "Elliot",
    "Forster",
    "Gibson",
    "Harrison",
    "Johnstone",
    "Kerr",
    "Lowther",
]

# (agency name pattern, agency type) for each district.
DISTRICT_AGENCIES = [
    ("{district} Health Visiting Team", "Health Visiting"),
    ("{district} School Nursing Service", "School Nursing"),
    ("{district} Early Help Team", "Family Support"),
    ("{district} Children's Centre", "Early Years"),
    ("{district} Community Primary School", "School"),
    ("{district} Academy", "School"),
]
COUNTY_AGENCIES = [
    ("Cumbria Constabulary Early Help Hub", "Police", None),
    ("Fellside Housing Association", "Housing", "Copeland"),
    ("Solway Homes", "Housing", "Allerdale"),
    ("Lakes Family Action", "Voluntary Sector", "South Lakeland"),
    ("Border Young Carers", "Voluntary Sector", "Carlisle"),
    ("Furness Youth Project", "Youth Service", "Barrow-in-Furness"),
]

DEMO_ROLE_USERS = [
    ("qa.lead", "Sam Whitfield", "Early Help Team Manager", Role.QA_LEAD),
    ("auditor", "Priya Nair", "Early Help Officer", Role.AUDITOR),
    ("coordinator", "Jordan Ellis", "Health Visitor", Role.COORDINATOR),
    ("line.manager", "Alex Morgan", "Health Visiting Team Leader", Role.LINE_MANAGER),
    ("partnership.viewer", "Chris Dobson", "CSCP Early Help Group member", Role.PARTNERSHIP_VIEWER),
    ("data.officer", "Morgan Hale", "Performance and Data Officer", Role.DATA_OFFICER),
    ("admin", "Ruth Armstrong", "Systems Administrator", Role.ADMINISTRATOR),
]
COORDINATORS_PER_AGENCY = 3


@dataclass
class DemoSummary:
    agencies_created: int = 0
    practitioners_created: int = 0
    role_users: tuple = ()


def demo_email(local_part):
    return f"{local_part}@{DEMO_DOMAIN}"


def _agencies():
    """Get or create the demo agencies; returns (agencies in a stable order, number created)."""
    types = {t.name: t for t in AgencyType.objects.all()}
    districts = {d.name: d for d in District.objects.all()}
    wanted = []
    for district in districts.values():
        for pattern, type_name in DISTRICT_AGENCIES:
            wanted.append((pattern.format(district=district.name), type_name, district.name))
    wanted.extend(COUNTY_AGENCIES)
    created = 0
    agencies = []
    for name, type_name, district_name in wanted:
        agency, was_created = Agency.objects.get_or_create(
            name=name,
            defaults={
                "agency_type": types.get(type_name),
                "district": districts.get(district_name),
            },
        )
        created += was_created
        agencies.append(agency)
    return agencies, created


def _practitioners(agencies, rng):
    """One line manager and a few coordinators in every agency, created only if missing."""
    created = 0
    for agency in agencies:
        domain = f"{slugify(agency.name)}.{DEMO_DOMAIN}"
        if User.objects.filter(email__endswith=f"@{domain}").exists():
            continue
        names = [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(4)]
        manager = User.objects.create_user(
            email=f"{slugify(names[0])}@{domain}",
            full_name=names[0],
            job_title="Team Leader",
            agency=agency,
        )
        roles = [UserRole(user=manager, role=Role.LINE_MANAGER)]
        for n, name in enumerate(names[1 : 1 + COORDINATORS_PER_AGENCY], start=1):
            coordinator = User.objects.create_user(
                email=f"{slugify(name)}.{n}@{domain}",
                full_name=name,
                job_title="Lead Practitioner",
                agency=agency,
                line_manager=manager,
            )
            roles.append(UserRole(user=coordinator, role=Role.COORDINATOR))
        UserRole.objects.bulk_create(roles)
        created += 1 + COORDINATORS_PER_AGENCY
    return created


def _role_users():
    team = Agency.objects.get(name="Carlisle Early Help Team")
    health_visiting = Agency.objects.get(name="Carlisle Health Visiting Team")
    agency_for = {
        Role.COORDINATOR: health_visiting,
        Role.LINE_MANAGER: health_visiting,
        Role.PARTNERSHIP_VIEWER: None,
    }
    users = {}
    for local_part, name, title, role in DEMO_ROLE_USERS:
        user = User.objects.filter(email=demo_email(local_part)).first()
        if user is None:
            user = User.objects.create_user(
                email=demo_email(local_part),
                password=DEMO_PASSWORD,
                full_name=name,
                job_title=title,
                agency=agency_for.get(role, team),
            )
        UserRole.objects.get_or_create(user=user, role=role)
        users[role] = user
    coordinator = users[Role.COORDINATOR]
    if coordinator.line_manager_id != users[Role.LINE_MANAGER].pk:
        coordinator.line_manager = users[Role.LINE_MANAGER]
        coordinator.save(update_fields=["line_manager"])
    return tuple((demo_email(lp), Role(role).label) for lp, _, _, role in DEMO_ROLE_USERS)


@transaction.atomic
def load_demo_partnership(seed=2026) -> DemoSummary:
    """Create what is missing of the demo partnership. Running it again changes nothing."""
    rng = random.Random(seed)  # noqa: S311 - made-up names, not secrets
    agencies, agencies_created = _agencies()
    practitioners_created = _practitioners(agencies, rng)
    role_users = _role_users()
    return DemoSummary(agencies_created, practitioners_created, role_users)
