"""Narrower indexes on EHAs, which every first import builds again (decision 0018).

Who may see an EHA follows its links to accounts instead of its e-mail addresses: a link to the
coordinator's manager is added and filled in for the EHAs already held, and the two indexes on
the addresses go. The (…, status) indexes give way to the links' own indexes and one on the
start dates of open EHAs.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Lower

LINKS = {"coordinator": "coordinator_email", "coordinator_manager": "coordinator_manager_email"}


def link_held_assessments(apps, schema_editor):
    # As cases/linking.py's link_all does, with the models as they are at this migration.
    assessments = apps.get_model("cases", "EarlyHelpAssessment").objects
    people = (
        apps.get_model(*settings.AUTH_USER_MODEL.split("."))
        .objects.filter(is_active=True)
        .annotate(address=Lower("email"))
    )
    for link, address in LINKS.items():
        assessments.filter(
            **{f"{link}__isnull": True, f"{address}__in": people.values("address")}
        ).update(**{link: Subquery(people.filter(address=OuterRef(address)).values("pk")[:1])})


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_fewer_indexes_for_faster_imports"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="earlyhelpassessment",
            name="coordinator_manager",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "The person with the coordinator manager's e-mail address, where they have an"
                    " account."
                ),
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="managed_assessments",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(link_held_assessments, migrations.RunPython.noop),
        *(
            migrations.RemoveIndex(model_name="earlyhelpassessment", name=name)
            for name in [
                "cases_early_status_2f4973_idx",
                "cases_early_distric_7a6937_idx",
                "cases_early_lead_ag_955ac6_idx",
                "cases_early_agency__1206fc_idx",
                "cases_early_coordin_470830_idx",
                "cases_early_coordin_7db573_idx",
            ]
        ),
        migrations.AlterField(
            model_name="earlyhelpassessment",
            name="agency_type",
            field=models.ForeignKey(
                blank=True,
                help_text="From the data report, or else the lead agency's own type.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.agencytype",
            ),
        ),
        migrations.AlterField(
            model_name="earlyhelpassessment",
            name="district",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.district"
            ),
        ),
        migrations.AlterField(
            model_name="earlyhelpassessment",
            name="lead_agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assessments",
                to="accounts.agency",
            ),
        ),
        migrations.AddIndex(
            model_name="earlyhelpassessment",
            index=models.Index(
                condition=models.Q(("status", "open")),
                fields=["start_date"],
                name="cases_eha_open_by_start",
            ),
        ),
    ]
