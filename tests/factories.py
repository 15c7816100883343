import itertools

import factory

from core.models import District, Province, Role, User
from core.roles import ScopeLevel
from core.thai import make_national_id

_serial = itertools.count(1)


def national_id() -> str:
    """A fresh valid national ID that an officer may hold (starts with 1)."""
    return make_national_id(f"1{next(_serial):011d}")


class UserFactory(factory.django.DjangoModelFactory):
    """An officer. ``district="7001"``, ``province="70"`` or ``nation=True`` sets the scope;
    ``roles=[...]`` takes role codes. The password is ``tests.conftest.PASSWORD``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    national_id = factory.LazyFunction(national_id)
    title = "นาย"
    first_name = "สมชาย"
    last_name = factory.Sequence(lambda n: f"ทดสอบ{n}")
    position = "เจ้าพนักงานปกครอง"
    must_change_password = False
    password = factory.django.Password("Correct-horse-2569")

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        district = kwargs.pop("district", None)
        province = kwargs.pop("province", None)
        if kwargs.pop("nation", False):
            kwargs.update(scope_level=ScopeLevel.NATION, district=None, province=None)
        elif district:
            district = district if isinstance(district, District) else District.objects.get(code=district)
            kwargs.update(scope_level=ScopeLevel.DISTRICT, district=district, province=district.province)
        elif province:
            province = province if isinstance(province, Province) else Province.objects.get(code=province)
            kwargs.update(scope_level=ScopeLevel.PROVINCE, province=province, district=None)
        else:
            kwargs.update(scope_level=ScopeLevel.NATION, district=None, province=None)
        return kwargs

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.roles.set(Role.objects.filter(code__in=extracted))
