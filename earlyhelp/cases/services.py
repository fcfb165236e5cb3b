"""Writes for case data: bringing in a data report, from the command line or the web."""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .importing import ImportRefused, run_import
from .models import DataImport, ImportRowError

logger = logging.getLogger(__name__)

# How many row errors are kept with an import; a file that is wrong throughout would otherwise
# store a message for every cell. The summary's counts are always complete.
MAX_STORED_ERRORS = 100_000


def file_digest(binary) -> tuple[str, int]:
    """SHA-256 and size of a binary file object, read in blocks."""
    binary.seek(0)
    digest = hashlib.sha256()
    size = 0
    while block := binary.read(1 << 20):
        digest.update(block)
        size += len(block)
    binary.seek(0)
    return digest.hexdigest(), size


def _store_summary(data_import, summary):
    for name in ("rows", "created", "updated", "unchanged", "rejected"):
        setattr(data_import, name, getattr(summary, name))
    data_import.new_agencies = summary.new_agencies
    data_import.ignored_columns = summary.ignored_columns
    data_import.errors.all().delete()
    ImportRowError.objects.bulk_create(
        (
            ImportRowError(data_import=data_import, row=row, column=column, message=message[:500])
            for row, column, message in summary.errors[:MAX_STORED_ERRORS]
        ),
        batch_size=2000,
    )


def import_from_command(binary, *, file_name, dry_run=False, progress=None):
    """The command line's import: all or nothing, recorded in the import history unless it is a
    dry run. Raises ImportRefused (and records nothing) when the file is refused."""
    if dry_run:
        return run_import(binary, dry_run=True, progress=progress), None
    sha256, size = file_digest(binary)
    with transaction.atomic():
        data_import = DataImport.objects.create(
            source=DataImport.Source.COMMAND,
            file_name=file_name[:255],
            sha256=sha256,
            size_bytes=size,
            status=DataImport.Status.IMPORTING,
            started_at=timezone.now(),
        )
        summary = run_import(binary, data_import=data_import, progress=progress)
        _store_summary(data_import, summary)
        data_import.status = DataImport.Status.COMPLETED
        data_import.finished_at = timezone.now()
        data_import.save()
    return summary, data_import


# --- the web journey: upload, check (a dry run), confirm, import ---------------------------


def progress_key(data_import_id):
    return f"data-import-progress:{data_import_id}"


def rows_done(data_import_id):
    return cache.get(progress_key(data_import_id), 0)


def _progress_reporter(data_import_id):
    # Progress goes to the cache, not the database: the import's own transaction holds
    # everything it writes until the end, and other processes must see progress before that.
    def report(rows):
        cache.set(progress_key(data_import_id), rows, timeout=60 * 60)

    return report


def receive_upload(*, uploaded_file, user) -> DataImport:
    """Keeps an uploaded data report and queues its check."""
    from .tasks import check_data_import

    sha256, size = file_digest(uploaded_file)
    data_import = DataImport(
        uploaded_by=user,
        file_name=uploaded_file.name[:255],
        sha256=sha256,
        size_bytes=size,
        status=DataImport.Status.CHECKING,
    )
    data_import.file.save(uploaded_file.name, uploaded_file, save=False)
    data_import.save()
    transaction.on_commit(lambda: check_data_import.enqueue(data_import.pk))
    return data_import


def check(data_import_id):
    """The dry run that the preview shows: counts and errors, nothing imported."""
    data_import = DataImport.objects.get(pk=data_import_id)
    if data_import.status != DataImport.Status.CHECKING:
        return
    try:
        with data_import.file.open("rb") as binary:
            summary = run_import(binary, dry_run=True, progress=_progress_reporter(data_import_id))
    except ImportRefused as refusal:
        data_import.status = DataImport.Status.REFUSED
        data_import.refusal_reason = str(refusal)
        data_import.finished_at = timezone.now()
        data_import.save()
        return
    with transaction.atomic():
        _store_summary(data_import, summary)
        data_import.status = DataImport.Status.CHECKED
        data_import.save()


def confirm(*, data_import, user):
    """Queues a checked import. Returns False if it was not waiting for confirmation, and
    "rechecking" if another import finished since this one was checked: its preview may no
    longer be true, so it is checked again for the person to look at before confirming."""
    from .tasks import check_data_import, import_data_report

    newer = DataImport.objects.filter(
        status=DataImport.Status.COMPLETED, finished_at__gt=data_import.uploaded_at
    ).exclude(pk=data_import.pk)
    if data_import.status == DataImport.Status.CHECKED and newer.exists():
        rechecking = DataImport.objects.filter(
            pk=data_import.pk, status=DataImport.Status.CHECKED
        ).update(status=DataImport.Status.CHECKING, uploaded_at=timezone.now())
        if rechecking:
            cache.delete(progress_key(data_import.pk))
            transaction.on_commit(lambda: check_data_import.enqueue(data_import.pk))
            return "rechecking"
    updated = DataImport.objects.filter(pk=data_import.pk, status=DataImport.Status.CHECKED).update(
        status=DataImport.Status.QUEUED, confirmed_by=user
    )
    if updated:
        cache.delete(progress_key(data_import.pk))
        transaction.on_commit(lambda: import_data_report.enqueue(data_import.pk))
    return bool(updated)


def cancel(*, data_import):
    updated = DataImport.objects.filter(pk=data_import.pk, status=DataImport.Status.CHECKED).update(
        status=DataImport.Status.CANCELLED, finished_at=timezone.now()
    )
    return bool(updated)


def import_checked(data_import_id):
    """The import itself, after a person confirmed the preview."""
    claimed = DataImport.objects.filter(pk=data_import_id, status=DataImport.Status.QUEUED).update(
        status=DataImport.Status.IMPORTING, started_at=timezone.now()
    )
    if not claimed:
        return
    data_import = DataImport.objects.get(pk=data_import_id)
    try:
        with transaction.atomic(), data_import.file.open("rb") as binary:
            summary = run_import(
                binary, data_import=data_import, progress=_progress_reporter(data_import_id)
            )
            _store_summary(data_import, summary)
            data_import.status = DataImport.Status.COMPLETED
            data_import.finished_at = timezone.now()
            data_import.save()
    except ImportRefused as refusal:
        _finish_unsuccessfully(data_import_id, DataImport.Status.REFUSED, str(refusal))
    except Exception:
        logger.exception("Data import %s failed", data_import_id)
        _finish_unsuccessfully(
            data_import_id,
            DataImport.Status.FAILED,
            "The import stopped because of a problem in the service. Nothing was imported. "
            f"Try again, or tell the Early Help Team ({settings.SERVICE_CONTACT_EMAIL}).",
        )
        raise


def _finish_unsuccessfully(data_import_id, status, reason):
    DataImport.objects.filter(pk=data_import_id).update(
        status=status, refusal_reason=reason, finished_at=timezone.now()
    )
