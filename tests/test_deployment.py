"""Deployment: the compose file, the documented settings, production mode and demo data guard.

Settings are evaluated once per process, so production mode is checked in a subprocess with its
own environment rather than by overriding settings in this one.
"""

import os
import re
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_PY = ROOT / "config" / "settings.py"
ENV_EXAMPLE = ROOT / ".env.example"
COMPOSE_FILE = ROOT / "docker-compose.yml"

PORTAL_SERVICES = ("web", "worker", "beat")


def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def service_environment(service: dict) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


def service_command(service: dict) -> str:
    command = service.get("command") or ""
    return " ".join(command) if isinstance(command, list) else command


def env_file_names(service: dict) -> list[str]:
    env_file = service.get("env_file") or []
    entries = [env_file] if isinstance(env_file, (str, dict)) else env_file
    return [entry["path"] if isinstance(entry, dict) else entry for entry in entries]


def settings_variables() -> set[str]:
    """Names config/settings.py reads through django-environ (env.str("X"), env.db("X"), ...)."""
    source = SETTINGS_PY.read_text(encoding="utf-8")
    return set(re.findall(r'\benv(?:\.\w+)?\(\s*["\']([A-Z][A-Z0-9_]*)["\']', source))


def env_example_variables() -> dict[str, str]:
    variables = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        assert sep, f".env.example: not NAME=value: {line!r}"
        variables[name.strip()] = value.strip()
    return variables


def compose_interpolated_variables() -> set[str]:
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE_FILE.read_text(encoding="utf-8")))


def manage(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )


def production_environment(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """This process's environment turned into production mode, on a throwaway SQLite file so
    that nothing a subprocess does can reach a real database."""
    env = {**os.environ}
    # Set by this test run for its own needs (the browser tests set the async one); a
    # production server has neither.
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="szzx.qingdao.example.gov.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production-check.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "staticfiles"),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    env.update(overrides)
    return env


# --- docker-compose.yml ----------------------------------------------------------------------

def test_compose_has_the_five_services():
    services = compose()["services"]
    assert set(services) >= {"web", "worker", "beat", "db", "redis"}
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")


@pytest.mark.parametrize("name", PORTAL_SERVICES)
def test_portal_services_reach_db_and_redis_in_production_mode(name):
    service = compose()["services"][name]
    environment = service_environment(service)
    assert re.fullmatch(r"postgres(ql)?://[^@/]+@db(:5432)?/\w+", environment["DATABASE_URL"])
    assert re.fullmatch(r"redis://redis(:6379)?/\d+", environment["REDIS_URL"])
    assert environment["DEBUG"].lower() == "false"
    # Secrets and host names come from .env, never from the compose file.
    assert ".env" in env_file_names(service)
    assert "SECRET_KEY" not in environment
    depends_on = service.get("depends_on") or {}
    assert {"db", "redis"} <= set(depends_on)


def test_database_password_is_shared_by_db_and_portal():
    services = compose()["services"]
    password = services["db"]["environment"]["POSTGRES_PASSWORD"]
    assert password.startswith("${POSTGRES_PASSWORD")
    user = services["db"]["environment"]["POSTGRES_USER"]
    database = services["db"]["environment"]["POSTGRES_DB"]
    for name in PORTAL_SERVICES:
        url = service_environment(services[name])["DATABASE_URL"]
        assert url.startswith(f"postgres://{user}:${{POSTGRES_PASSWORD")
        assert url.endswith(f"@db:5432/{database}")


def test_web_migrates_collects_static_and_serves_with_gunicorn():
    command = service_command(compose()["services"]["web"])
    migrate = command.index("manage.py migrate")
    collectstatic = command.index("manage.py collectstatic")
    gunicorn = command.index("gunicorn config.wsgi")
    assert migrate < gunicorn and collectstatic < gunicorn
    assert "--noinput" in command


def test_worker_and_beat_run_celery():
    services = compose()["services"]
    assert re.search(r"\bcelery -A config worker\b", service_command(services["worker"]))
    assert re.search(r"\bcelery -A config beat\b", service_command(services["beat"]))


def test_media_and_database_live_on_volumes():
    data = compose()
    named = set(data["volumes"])
    media_root = service_environment(data["services"]["web"])["MEDIA_ROOT"]
    for name in ("web", "worker"):
        mounts = {tuple(v.split(":")[:2]) for v in data["services"][name]["volumes"]}
        assert any(source in named and target == media_root for source, target in mounts)
    db_mounts = {tuple(v.split(":")[:2]) for v in data["services"]["db"]["volumes"]}
    assert any(source in named and target == "/var/lib/postgresql/data"
               for source, target in db_mounts)


def test_image_installs_fonts_pdf_libraries_and_the_lock():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    for package in ("fonts-noto-cjk", "libharfbuzz-subset0", "libpango-1.0-0",
                    "libpangoft2-1.0-0"):
        assert package in dockerfile
    assert "pip install -r requirements.lock" in dockerfile
    # Everything compose runs is installed by the lock.
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8").lower()
    for package in ("gunicorn==", "celery==", "psycopg2-binary==", "redis=="):
        assert package in lock
    # The production image carries no test tools (Playwright alone is a large download).
    for package in ("pytest==", "playwright==", "factory-boy==", "factory_boy=="):
        assert package not in lock


def _pins(name):
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return dict(line.lower().split("==") for line in lines if line and not line.startswith("#"))


def test_the_test_lock_keeps_every_runtime_pin():
    runtime, test = _pins("requirements.lock"), _pins("requirements-test.lock")
    drifted = {name: (version, test.get(name)) for name, version in runtime.items()
               if test.get(name) != version}
    assert not drifted, f"requirements-test.lock disagrees with requirements.lock: {drifted}"
    assert {"pytest", "pytest-django", "playwright"} <= set(test)


# --- .env.example ----------------------------------------------------------------------------

def test_env_example_lists_every_setting():
    documented = set(env_example_variables())
    read = settings_variables()
    assert read, "found no env.*(...) reads in config/settings.py"
    assert sorted(read - documented) == [], "settings read these but .env.example lacks them"


def test_env_example_lists_only_what_settings_or_compose_read():
    extra = set(env_example_variables()) - settings_variables() - compose_interpolated_variables()
    assert sorted(extra) == [], ".env.example lists variables nothing reads"


def test_env_example_passes_the_deployment_check(tmp_path):
    """The example, with a real secret in place of the placeholder, is a valid production setup."""
    env = production_environment(tmp_path)
    example = env_example_variables()
    for name in settings_variables():
        env[name] = example[name]
    env.update(
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=f"sqlite:///{tmp_path / 'example.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "staticfiles"),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# --- production mode -------------------------------------------------------------------------

def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    env=production_environment(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in result.stdout, output
    assert "WARNING" not in output and "?: (" not in output, output


def test_seed_demo_refuses_in_production(tmp_path):
    env = production_environment(tmp_path)
    result = manage("seed_demo", env=env)
    assert result.returncode != 0
    assert "DEBUG" in result.stderr
    database = tmp_path / "production-check.sqlite3"
    if database.exists():
        tables = sqlite3.connect(database).execute(
            "select name from sqlite_master where type = 'table'"
        ).fetchall()
        assert tables == []


# --- README ----------------------------------------------------------------------------------

def test_readme_demo_accounts_match_seed_demo():
    from portal.management.commands.seed_demo import ACCOUNTS, DEMO_PASSWORD, PLATFORM_ADMIN

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Demo accounts", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\|\s*([^|]+?)\s*\|\s*`?([\w.-]+)`?\s*\|\s*`?([^|`]+?)`?\s*\|\s*$",
                      section, flags=re.M)
    table = {username: password for _role, username, password in rows
             if username not in ("username",) and not set(username) <= {"-"}}
    assert set(table) == {username for username, *_ in ACCOUNTS} | {PLATFORM_ADMIN[0]}
    assert set(table.values()) == {DEMO_PASSWORD}
