"""A starting list of learning themes, drawn from the framework's standards and bottom lines.
Administrators can rename, retire or add to it; an existing theme of the same name is kept."""

from django.db import migrations

THEMES = [
    ("Voice of the child", "The child's wishes, feelings and lived experience are not recorded "
     "or do not shape the plan."),
    ("Genogram missing", "No genogram, or one that does not show who is important to the child."),
    ("Chronology missing", "No chronology of significant events, or one not kept up to date."),
    ("SMART plan", "The plan's outcomes are not specific, measurable, achievable, realistic "
     "and timely."),
    ("Review meetings", "Review meetings not held regularly, or not recorded."),
    ("Drift and delay", "The plan has been open too long without clear progress."),
    ("Family engagement", "The family's views and agreement are not evident."),
    ("Multi-agency working", "The right agencies are not involved or not sharing information."),
    ("Management oversight", "No evidence of supervision or management oversight."),
    ("Safeguarding", "Risks not recognised, or not escalated to children's social care."),
    ("Step-down", "The step-down from children's social care was not well planned."),
    ("Closure and outcomes", "The case closed without evidence of what changed for the family."),
]


def add_themes(apps, schema_editor):
    LearningTheme = apps.get_model("learning", "LearningTheme")
    known = {name.lower() for name in LearningTheme.objects.values_list("name", flat=True)}
    LearningTheme.objects.bulk_create(
        LearningTheme(name=name, description=description)
        for name, description in THEMES
        if name.lower() not in known
    )


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
