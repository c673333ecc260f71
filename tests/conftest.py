"""One fixture set for the whole suite, above all for the permission tests.

Two applicant organisations in two districts (A in 崂山区, B in 即墨区), an official of each
district, and one user of every other role. `ROLE_USERS` maps a role key to the fixture that
holds its user; `role_user(key)` and `role_client(key)` look users and logged-in clients up by
that key, so a table (see `tests/permission_table.py`) can name roles as plain strings.

Extending: a later feature adds its own actors (an expert assigned to an application and one who
is not, a second commission user …) by writing a fixture here and adding its key to
`ROLE_USERS`. Objects the actors work on (applications, review tasks) get fixtures of their own
built from these users.
"""

import functools

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython
from django.test import Client

from accounts.enums import DepartmentKind, Role
from config.celery import app as celery_app

from .factories import (
    DepartmentFactory,
    OrganisationFactory,
    UserFactory,
    applicant,
    department,
    staff,
)

ANONYMOUS = "anonymous"


def pytest_configure(config):
    # WhiteNoise warns when collectstatic has not been run; tests serve no static files.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")

# role key -> name of the fixture holding that user
ROLE_USERS = {
    "applicant": "applicant_a",
    "applicant_b": "applicant_b",
    "district_official": "official_laoshan",
    "district_official_b": "official_jimo",
    "commission_staff": "commission_staff",
    "industry_staff": "industry_staff",
    "third_party_staff": "third_party_staff",
    "expert": "expert",
    "auditor": "auditor",
    # Admin flags without a role: Django admin opens to them, no portal act does.
    "superuser": "superuser_no_role",
    "staff_no_role": "staff_no_role",
}


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: values kept by core.caching must not outlive the
    rows of the test that kept them (rolled back; their ids are given out again)."""
    from django.core.cache import cache

    try:
        cache.clear()
    except Exception:  # noqa: BLE001 — a test of Redis being down
        pass
    yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness buys nothing in tests and costs seconds per login.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@functools.cache
def _data_migration_steps():
    """Every RunPython step of the migrations, in the order `migrate` ran them, each with the
    historical models it was written against."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    plan = []
    for leaf in sorted(loader.graph.leaf_nodes()):
        plan += [node for node in loader.graph.forwards_plan(leaf) if node not in plan]
    steps = []
    for node in plan:
        migration = loader.graph.nodes[node]
        if not any(isinstance(op, RunPython) for op in migration.operations):
            continue
        state = loader.project_state(node, at_end=False)
        for operation in migration.operations:
            if isinstance(operation, RunPython) and operation.code is not RunPython.noop:
                steps.append((operation.code, state.clone().apps))
            operation.state_forwards(migration.app_label, state)
    return steps


def reference_data_restore():
    """Re-runs the data migrations (主管部门, industry fields, the measures); each is idempotent."""
    with connection.schema_editor() as schema_editor:
        for code, historical_apps in _data_migration_steps():
            code(historical_apps, schema_editor)


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """A transactional test flushes the database when it ends, data migrations' rows included;
    the next one would find no 主管部门. Put the reference data back first."""
    if _is_transactional(request):
        request.getfixturevalue("transactional_db")
        from accounts.models import Department

        if not Department.objects.exists():
            reference_data_restore()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploads, PDFs and exports of a test go to its own folder, never into the repository.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def celery_eager():
    """Tasks run in-process when queued, as they do without a broker, even if REDIS_URL is set.

    The e-mail tests check what reaches `mail.outbox`; the real worker path has its own test.
    """
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


# Departments -------------------------------------------------------------------------------

@pytest.fixture
def laoshan(db):
    return department("崂山区")


@pytest.fixture
def jimo(db):
    return department("即墨区")


@pytest.fixture
def commission(db):
    return department("市发展改革委")


@pytest.fixture
def industry_authority(db):
    return DepartmentFactory(name="青岛市工业和信息化局", short_name="市工业和信息化局",
                             kind=DepartmentKind.INDUSTRY_AUTHORITY)


@pytest.fixture
def third_party_agency(db):
    return DepartmentFactory(name="青岛数字经济评估中心", short_name="青岛数字经济评估中心",
                             kind=DepartmentKind.THIRD_PARTY)


# Organisations -----------------------------------------------------------------------------

@pytest.fixture
def org_a(laoshan):
    return OrganisationFactory(name="青岛海智工业互联网有限公司", competent_department=laoshan)


@pytest.fixture
def org_b(jimo):
    return OrganisationFactory(name="青岛即墨纺织数字科技有限公司", competent_department=jimo)


# Users, one per role -----------------------------------------------------------------------

@pytest.fixture
def applicant_a(org_a):
    return applicant(org_a, username="applicant_a", real_name="张明")


@pytest.fixture
def applicant_b(org_b):
    return applicant(org_b, username="applicant_b", real_name="刘芳")


@pytest.fixture
def official_laoshan(laoshan):
    return staff(Role.DISTRICT_OFFICIAL, laoshan, username="official_laoshan", real_name="孙伟")


@pytest.fixture
def official_jimo(jimo):
    return staff(Role.DISTRICT_OFFICIAL, jimo, username="official_jimo", real_name="周静")


@pytest.fixture
def commission_staff(commission):
    return staff(Role.COMMISSION_STAFF, commission, username="commission_staff",
                 real_name="吴强")


@pytest.fixture
def industry_staff(industry_authority):
    return staff(Role.INDUSTRY_STAFF, industry_authority, username="industry_staff",
                 real_name="郑华")


@pytest.fixture
def third_party_staff(third_party_agency):
    return staff(Role.THIRD_PARTY_STAFF, third_party_agency, username="third_party_staff",
                 real_name="冯涛")


@pytest.fixture
def expert(db):
    return staff(Role.EXPERT, username="expert", real_name="赵敏")


@pytest.fixture
def auditor(db):
    return staff(Role.AUDITOR, username="auditor", real_name="何审")


@pytest.fixture
def superuser_no_role(db):
    """Platform maintenance: a superuser holding no role of the portal."""
    return UserFactory(username="platform_admin", real_name="平台运维", is_staff=True,
                       is_superuser=True)


@pytest.fixture
def staff_no_role(db):
    """An account that may log into Django admin (is_staff) but holds no role."""
    return UserFactory(username="staff_no_role", real_name="后台账号", is_staff=True)


@pytest.fixture
def commission_admin(commission_staff):
    """The commission user as the commission works in admin: is_staff and the group that holds
    the admin's model permissions, not a superuser."""
    from django.contrib.auth.models import Group

    from accounts.admin_access import COMMISSION_ADMIN_GROUP

    commission_staff.is_staff = True
    commission_staff.save(update_fields=["is_staff"])
    commission_staff.groups.add(Group.objects.get(name=COMMISSION_ADMIN_GROUP))
    return commission_staff


# Look-ups by role key ----------------------------------------------------------------------

@pytest.fixture
def role_user(request, db):
    """`role_user("auditor")` -> that user; `role_user("anonymous")` -> None."""

    def get(role_key: str):
        if role_key == ANONYMOUS:
            return None
        try:
            fixture_name = ROLE_USERS[role_key]
        except KeyError:
            raise KeyError(f"unknown role key {role_key!r}; add it to ROLE_USERS") from None
        return request.getfixturevalue(fixture_name)

    return get


@pytest.fixture
def role_client(role_user):
    """`role_client("expert")` -> a fresh test client logged in as that role's user.

    Each call returns its own client, so one test can act as several roles side by side.
    """

    def get(role_key: str) -> Client:
        client = Client()
        user = role_user(role_key)
        if user is not None:
            client.force_login(user)
        return client

    return get
