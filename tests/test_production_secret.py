"""Production refuses to start on the development SECRET_KEY (or none, or a short one)."""

import pytest

from .test_deployment import manage, production_environment


@pytest.mark.parametrize("secret", [
    None,  # not set at all: the development default in config/settings.py
    "django-insecure-development-only-key-never-use-in-production-0123456789",
    "",
    "short-key-2026",
    "a" * 64,
], ids=["unset", "development default", "empty", "short", "one repeated character"])
def test_production_refuses_to_start_without_its_own_secret_key(tmp_path, secret):
    env = production_environment(tmp_path)
    if secret is None:
        env.pop("SECRET_KEY")
    else:
        env["SECRET_KEY"] = secret

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr and "DEBUG=false" in result.stderr


def test_development_starts_on_the_default_key(tmp_path):
    env = production_environment(tmp_path, DEBUG="true")
    env.pop("SECRET_KEY")
    result = manage("check", env=env)
    assert result.returncode == 0, result.stderr
