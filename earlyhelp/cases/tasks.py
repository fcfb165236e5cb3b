"""Background tasks: thin wrappers that call a service."""

from django_tasks import task

from . import services


@task()
def check_data_import(data_import_id: int):
    services.check(data_import_id)


@task()
def import_data_report(data_import_id: int):
    services.import_checked(data_import_id)
