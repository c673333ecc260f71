"""factory_boy factories for the portal's models.

Departments of the ten 区（市）, the 高新区 and the commission are seeded by the migration
`accounts/0002_seed_departments`: look them up with `department("崂山区")` rather than creating
copies. Industry authorities and third-party agencies are not seeded; `DepartmentFactory`
makes them.

Every factory validates the row with `full_clean()` before saving, so a fixture that breaks a
model rule (a USCC with a wrong check character, a district official scoped to an
organisation) fails loudly instead of producing data the portal itself would refuse.
"""

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.enums import DepartmentKind, OrganisationKind, Role
from accounts.models import Department, Organisation, RoleAssignment, User
from accounts.validators import uscc_check_character
from core.models import AuditEvent, HolidayOverride, Notification

# One password for every factory user: 8+ characters, four character classes.
PASSWORD = "Qingdao#2026"
_PASSWORD_HASH = None


def _password_hash():
    # Hashing is deliberately slow; hash once per test run.
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = make_password(PASSWORD)
    return _PASSWORD_HASH


def make_uscc(n: int, area: str = "370200") -> str:
    """A valid 统一社会信用代码 (enterprise, Qingdao by default) numbered `n`."""
    first17 = f"91{area}{n:09d}"
    return first17 + uscc_check_character(first17)


def department(short_name: str) -> Department:
    """A department seeded by migration, by its short name (崂山区, 即墨区, 市发展改革委 …)."""
    return Department.objects.get(short_name=short_name)


class ValidatedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.full_clean()
        obj.save()
        return obj


class UserFactory(ValidatedFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n:04d}")
    real_name = factory.Faker("name", locale="zh_CN")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.qingdao.test")
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    is_active = True
    password = factory.LazyFunction(_password_hash)


class DepartmentFactory(ValidatedFactory):
    """For industry authorities and third-party agencies; districts come from the migration."""

    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"青岛市测试行业主管部门{n}")
    short_name = factory.LazyAttribute(lambda d: d.name[:30])
    kind = DepartmentKind.INDUSTRY_AUTHORITY


def _area_of(organisation) -> str:
    department_ = organisation.competent_department
    return department_.region_code if department_ and department_.region_code else "370200"


class OrganisationFactory(ValidatedFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"青岛测试数字科技有限公司{n}")
    # Registered where its 主管部门 is, as real codes are: characters 3–8 name the district.
    uscc = factory.LazyAttributeSequence(lambda o, n: make_uscc(n + 1, area=_area_of(o)))
    kind = OrganisationKind.ENTERPRISE
    competent_department = factory.LazyFunction(lambda: department("崂山区"))

    @factory.post_generation
    def route_confirmed(self, create, extracted, **kwargs):
        """`route_confirmed=True`: the commission has confirmed what the unit declared
        (第八条), so a 市直 unit's submission goes straight to the commission."""
        if create and extracted:
            self.route_confirmed_claim = self.route_claim
            self.route_confirmed_at = timezone.now()
            self.save(update_fields=["route_confirmed_claim", "route_confirmed_at"])


class RoleAssignmentFactory(ValidatedFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.EXPERT


def applicant(organisation: Organisation, *, is_administrator: bool = True,
              **user_fields) -> User:
    user = UserFactory(**user_fields)
    RoleAssignmentFactory(user=user, role=Role.APPLICANT, organisation=organisation,
                          is_administrator=is_administrator)
    return user


def staff(role: Role, department_: Department | None = None, **user_fields) -> User:
    """A user holding a department-scoped role (official, staff) or a scope-less one."""
    user = UserFactory(**user_fields)
    RoleAssignmentFactory(user=user, role=role, department=department_)
    return user


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    purpose = "test_notice"
    title = factory.Sequence(lambda n: f"测试通知{n}")
    body = "请及时处理。"


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    actor_label = factory.Sequence(lambda n: f"操作人{n}")
    action = "test.action"
    object_repr = factory.Sequence(lambda n: f"对象{n}")


class HolidayOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HolidayOverride
        django_get_or_create = ("date",)

    kind = HolidayOverride.Kind.HOLIDAY
    name = "节假日"
