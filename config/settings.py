"""Settings for the portal, read from the environment.

Development defaults need nothing: a SQLite file, Celery tasks run in-process, e-mail to the
console. Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL
(see .env.example); `manage.py check --deploy` then passes without warnings.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
# Production signs sessions, password-reset and confirmation links with this key: the one in the
# repository would let anyone forge them. Refuse to start rather than run on it.
if not DEBUG and (
    SECRET_KEY == DEVELOPMENT_SECRET_KEY
    or SECRET_KEY.startswith("django-insecure")
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "SECRET_KEY: with DEBUG=false the portal needs its own secret key of 50 or more random "
        "characters (not the development default), e.g. "
        "`python -c \"import secrets; print(secrets.token_urlsafe(64))\"`; set it in the "
        "environment or in .env. 生产环境必须设置自己的 SECRET_KEY（至少50个随机字符）。"
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "rules.apps.AutodiscoverRulesConfig",
    "core.lockout_app.LockoutConfig",  # django-axes, named in Chinese
    "core",
    "accounts",
    "applications",
    "reviews",
    "experts",
    "centers",
    "evaluations",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.audit.AuditRequestMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.formtokens.DuplicateSubmissionMiddleware",
    "core.error_pages.MethodNotAllowedPageMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into our lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "core.error_pages.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite as a web server's database: a transaction takes the write lock when it begins
    # (IMMEDIATE), so two saves queue behind each other instead of one failing with "database
    # is locked" when it tries to upgrade a read lock; a busy request waits up to `timeout`
    # seconds; WAL lets pages be read while another request writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_TIMEOUT", default=30),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# MLPS 2.0 (等保2.0) basics: 8+ characters with three of four character classes.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassValidator"},
]
# Hours a self-registration has to confirm its e-mail; after that its 统一社会信用代码 and user
# name are free again (the deadline sweep removes it, registration checks too).
REGISTRATION_CONFIRM_HOURS = env.int("REGISTRATION_CONFIRM_HOURS", default=48)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# Idle sessions end after 30 minutes: the expiry moves forward with every request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
# Database sessions written back at most once a minute when only the expiry would move.
SESSION_ENGINE = "core.session_store"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The application steps autosave at most this often while the user types, and warn this long
# before an idle session ends (static/js/autosave.js).
AUTOSAVE_INTERVAL_SECONDS = env.int("AUTOSAVE_INTERVAL_SECONDS", default=30)
SESSION_WARNING_SECONDS = env.int("SESSION_WARNING_SECONDS", default=5 * 60)

# The client's address: from the connection unless this many reverse proxies we run stand in
# front (then the N-th X-Forwarded-For entry from the right). Used by the audit log and the
# lock-out alike (core.client_address.client_ip).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
# Count failures per username AND address: a stranger who knows a username cannot lock its
# owner out from elsewhere, and district offices behind one NAT address do not lock each other
# out either. A completed password reset or the commission (账号锁定管理) lifts a lock.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "core.client_address.client_ip"
# django-axes' own admin pages are English: the commission unlocks on a Chinese page instead.
AXES_ENABLE_ADMIN = False
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite cannot declare NULLS NOT DISTINCT (one role per scope); RoleAssignment.full_clean
    # enforces it there, PostgreSQL enforces it in the database.
    SILENCED_SYSTEM_CHECKS.append("models.W047")
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
# Our wording first where Django's catalogue shows an English word (its e-mail validator says
# "Email"): locale/zh_Hans/LC_MESSAGES/django.po.
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"  # never served directly: files go through views that check permission
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "core.mail.ReadableConsoleBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="青岛市发展改革委 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # No result backend: nothing reads a task's result (every outcome is a row in the
    # database), and a backend that cannot be reached fails the request that queues a task.
    CELERY_RESULT_BACKEND = None
    CELERY_TASK_IGNORE_RESULT = True
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            # Redis gone: a cache call fails within a second instead of holding the request.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    # No broker: tasks run in-process, at the moment they are queued (after commit).
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The layout's fragments that depend on the role set alone (templates/core/nav_*.html), kept
# in each process's memory: reading them costs no round trip to Redis, and they hold nothing
# that changes while the process runs.
CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                       "LOCATION": "fragments"}
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queueing must never stall a request: with the broker down, publishing fails within about a
# second and is not retried (core.queue records the failure; the sweep queues the work again).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=1.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    # A publish to a broker that vanished without closing the connection fails, not hangs.
    "socket_timeout": 5,
    # Connecting for a publish is tried once (kombu reads this for the producer's connection;
    # the worker's consumer has its own retry settings).
    "max_retries": 0,
}
CELERY_TASK_PUBLISH_RETRY = False

# Upload limits of the application form (applications app reads them).
UPLOAD_MAX_FILE_BYTES = env.int("UPLOAD_MAX_FILE_BYTES", default=20 * 1024 * 1024)
UPLOAD_MAX_TOTAL_BYTES = env.int("UPLOAD_MAX_TOTAL_BYTES", default=200 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# How long the deadline sweep keeps a PDF render after a newer one of the same application
# replaced it (a render a submission or a review refers to is kept for good), and the file of
# a finished export (applications/retention.py).
DOCUMENT_RETENTION_DAYS = env.int("DOCUMENT_RETENTION_DAYS", default=30)
EXPORT_RETENTION_DAYS = env.int("EXPORT_RETENTION_DAYS", default=7)
# How long the commission's statistics page (portal/statistics_charts.py) shows figures it
# computed before computing them again: its ten charts read every application (some 75 ms at
# 10,000); the page says when its figures were computed.
STATISTICS_MAX_AGE_SECONDS = env.int("STATISTICS_MAX_AGE_SECONDS", default=300)
FILE_UPLOAD_PERMISSIONS = 0o640

# Content-Security-Policy: only the portal's own scripts, styles, fonts and images run; no inline
# script or style attribute anywhere (templates keep JS in static/js, styles in static/css; a
# test scans the templates). `data:` images: Bootstrap's CSS draws its form icons as data URIs.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    # The review page frames an attached PDF served by the portal itself (reviews.files).
    "frame-src": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# The open-data API (第七条（八）, 青岛市公共数据服务平台): public, read-only, paginated JSON
# described by an OpenAPI document. It reads no session and no user: nothing private is in it.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "青岛市重点产业数字化转型赋能中心公共数据接口",
    "DESCRIPTION": "赋能中心名录（含已撤销）、公示公告和申报通知的公开数据，只读。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every login at INFO; failures are in our audit log already.
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint reports each layout step at INFO: ten lines per PDF in the worker log.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
