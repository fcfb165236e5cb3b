"""Factories for case data: families, EHAs, data imports and the changes imports make."""

import datetime

import factory

from earlyhelp.accounts.models import AgencyType, District
from earlyhelp.cases.linking import link_all
from earlyhelp.cases.models import CaseChange, DataImport, EarlyHelpAssessment, Family

from ..factories import AgencyFactory


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    reference = factory.Sequence(lambda n: f"FAM{n:06d}")


class EarlyHelpAssessmentFactory(factory.django.DjangoModelFactory):
    """An open EHA in Carlisle that started on 1 January 2025, with nothing else recorded."""

    class Meta:
        model = EarlyHelpAssessment

    reference = factory.Sequence(lambda n: f"EHA{n:06d}")
    family = factory.SubFactory(FamilyFactory)
    # get_or_create: browser tests run in flushed transactions, without the migrations' rows.
    district = factory.LazyFunction(lambda: District.objects.get_or_create(name="Carlisle")[0])
    lead_agency = factory.SubFactory(AgencyFactory)
    agency_type = factory.LazyFunction(
        lambda: AgencyType.objects.get_or_create(name="Family Support")[0]
    )
    start_date = datetime.date(2025, 1, 1)
    status = EarlyHelpAssessment.Status.OPEN
    source_hash = factory.Sequence(lambda n: f"{n:032x}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # EHAs reach the service only through the importer, which links each to the accounts
        # with its e-mail addresses (cases/linking.py): so is every EHA made here.
        eha = super()._create(model_class, *args, **kwargs)
        link_all()
        eha.refresh_from_db(fields=["coordinator", "coordinator_manager"])
        return eha


class DataImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataImport

    file_name = factory.Sequence(lambda n: f"ehm-data-report-{n}.csv")
    sha256 = "0" * 64
    size_bytes = 1024
    status = DataImport.Status.COMPLETED


class CaseChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseChange

    assessment = factory.SubFactory(EarlyHelpAssessmentFactory)
    data_import = factory.SubFactory(DataImportFactory)
    changes = factory.LazyFunction(lambda: {"status": ["open", "closed"]})
