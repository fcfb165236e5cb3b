"""Reading the framework: which versions are in force, and one version with all its parts."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import FrameworkVersion, Section


def versions_in_force(on=None):
    """The newest version of each framework whose effective date has come."""
    on = on or timezone.localdate()
    in_force = {}
    versions = (
        FrameworkVersion.objects.filter(effective_date__lte=on)
        .select_related("framework")
        .order_by("-effective_date", "-loaded_at")
    )
    for version in versions:
        in_force.setdefault(version.framework_id, version)
    return sorted(in_force.values(), key=lambda v: v.framework.name)


def all_versions():
    return FrameworkVersion.objects.select_related("framework").order_by(
        "framework__name", "-effective_date"
    )


def version_with_parts(pk):
    """One version with its sections, standards, bottom lines and scales, in a fixed number of
    queries however many standards it has."""
    return get_object_or_404(
        FrameworkVersion.objects.select_related("framework").prefetch_related(
            Prefetch("sections", queryset=Section.objects.prefetch_related("standards")),
            "bottom_lines",
            "rating_options",
            "judgement_grades",
            "impact_anchors",
        ),
        pk=pk,
    )
