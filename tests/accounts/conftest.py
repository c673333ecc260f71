import pytest


@pytest.fixture(autouse=True)
def _tasks_in_process(celery_eager):
    """Registration mail goes through Celery; here it runs in-process after commit."""
