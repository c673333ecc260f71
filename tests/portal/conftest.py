import pytest


@pytest.fixture(autouse=True)
def _tasks_in_process(celery_eager):
    """Mail sent while seeding or signing in goes through Celery; here it runs in-process."""


# The published call the dashboards' applications belong to, as the applications tests use it.
from tests.applications.conftest import open_call  # noqa: E402,F401
