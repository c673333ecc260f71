# Quick start: `make run` serves the portal with demo data; `make test` runs every test.
# Both set everything up first and are safe to run again.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SYSTEM_PACKAGES_RUN := fonts-noto-cjk libharfbuzz-subset0 libmagic1
SYSTEM_PACKAGES_TEST := $(SYSTEM_PACKAGES_RUN) chromium poppler-utils

.PHONY: run test setup system-packages system-packages-test migrate seed lint lock benchmark worker clean

run: setup system-packages migrate seed
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup system-packages-test
	$(PY) -m pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.lock requirements-test.lock pyproject.toml
	@set -e; \
	python=$$(bash scripts/find-python.sh); \
	echo "Using $$python"; \
	[ -x $(PY) ] || "$$python" -m venv $(VENV); \
	$(PY) -m pip install --quiet --upgrade pip; \
	$(PY) -m pip install --quiet -r requirements-test.lock; \
	$(PY) -m pip check; \
	touch $@

system-packages:
	@bash scripts/install-system-packages.sh $(SYSTEM_PACKAGES_RUN)

system-packages-test:
	@bash scripts/install-system-packages.sh $(SYSTEM_PACKAGES_TEST)

migrate: setup
	$(PY) manage.py migrate --noinput

# The demo data (portal/management/commands/seed_demo.py).
seed: setup
	$(PY) manage.py seed_demo

worker: setup
	$(VENV)/bin/celery -A config worker --beat --loglevel=info

benchmark: setup system-packages
	$(PY) -m scripts.benchmark $(BENCHMARK_ARGS)

# Re-pin every package after changing pyproject.toml.
lock:
	bash scripts/lock.sh

clean:
	rm -rf $(VENV) staticfiles
