"""The reference data a fresh installation needs before anything can be imported.

Administrators can add, rename or retire entries afterwards; this only adds missing ones, so it
never undoes their changes.
"""

from django.db import migrations

CUMBRIA_DISTRICTS = [
    "Allerdale",
    "Barrow-in-Furness",
    "Carlisle",
    "Copeland",
    "Eden",
    "South Lakeland",
]

AGENCY_TYPES = [
    "Health Visiting",
    "School Nursing",
    "School",
    "Early Years",
    "Family Support",
    "Police",
    "Housing",
    "Voluntary Sector",
    "Youth Service",
    "Other",
]


def add_reference_data(apps, schema_editor):
    District = apps.get_model("accounts", "District")
    AgencyType = apps.get_model("accounts", "AgencyType")
    for name in CUMBRIA_DISTRICTS:
        if not District.objects.filter(name__iexact=name).exists():
            District.objects.create(name=name)
    for name in AGENCY_TYPES:
        if not AgencyType.objects.filter(name__iexact=name).exists():
            AgencyType.objects.create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(add_reference_data, migrations.RunPython.noop)]
