import factory

from earlyhelp.accounts.models import Agency, AgencyType, District, User, UserRole

TEST_PASSWORD = "a-long-test-password-1"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Test Agency {n}")
    # get_or_create: browser tests run in flushed transactions, without the migrations' rows.
    agency_type = factory.LazyFunction(
        lambda: AgencyType.objects.get_or_create(name="Family Support")[0]
    )
    district = factory.LazyFunction(lambda: District.objects.get_or_create(name="Carlisle")[0])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@agency.test")
    full_name = factory.Faker("name", locale="en_GB")
    agency = factory.SubFactory(AgencyFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            self.save()
            for role in extracted or ():
                UserRole.objects.create(user=self, role=role)
