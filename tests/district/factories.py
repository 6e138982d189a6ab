"""Districts and their leads, made as the operator makes them."""

import factory

from patients.models import District, Role
from tests.factories import UserFactory


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"District {n}")


class DistrictLeadFactory(UserFactory):
    clinic = None
    role = Role.DISTRICT_LEAD
    district = factory.SubFactory(DistrictFactory)
