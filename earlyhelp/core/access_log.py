"""Recording who viewed a child-level record."""

from .models import AccessLog


def record_view(*, request, record_type: str, record_id: int, record_label: str) -> AccessLog:
    return AccessLog.objects.create(
        user=request.user,
        record_type=record_type,
        record_id=record_id,
        record_label=record_label[:100],
        path=request.get_full_path()[:300],
    )
