"""Settings of the gunicorn the deadline rush submits to: the portal's settings as in
production (DEBUG off, no SQL kept per request), served over plain HTTP on 127.0.0.1, with an
in-memory broker so that the queued PDF and mail tasks are handed over and not run in the
request (no worker consumes them: the rush times the submission, not the rendering)."""

import os

os.environ["DEBUG"] = "true"  # read as true first: no production secret key needed
from config.settings import *  # noqa: E402,F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
