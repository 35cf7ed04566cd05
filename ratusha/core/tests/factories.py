import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from ratusha.core.models import Employee, StructuralUnit
from ratusha.core.roles import ROLE_GROUPS


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StructuralUnit

    name = factory.Sequence(lambda n: f"Відділ №{n}")
    slug = factory.Sequence(lambda n: f"viddil-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            group, _ = Group.objects.get_or_create(name=ROLE_GROUPS[role])
            self.groups.add(group)


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    unit = factory.SubFactory(UnitFactory)
    full_name = factory.Sequence(lambda n: f"Петренко Петро {n}")
    position = "головний спеціаліст"
