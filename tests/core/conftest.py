import pytest


@pytest.fixture(autouse=True)
def _tasks_in_process(celery_eager):
    """Notification mail and the sweep go through Celery; here they run in-process."""
