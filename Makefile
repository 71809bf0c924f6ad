# The everyday commands of the GMG Portal. `make run` and `make test` do everything on a fresh machine.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/gmg_portal
# `make run` serves the embedded SQLite database on 127.0.0.1:$(PORT); both can be changed on the command line.
PORT ?= 8000
RUN_DB ?= $(CURDIR)/var/gmg.sqlite3
RUN_ENV := DJANGO_DEBUG=true DATABASE_URL=sqlite:///$(RUN_DB) CELERY_BROKER_URL= REDIS_URL= \
	DJANGO_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend EMAIL_FILE_PATH=$(CURDIR)/var/mail \
	GMG_SITE_URL=http://127.0.0.1:$(PORT)

.PHONY: run test venv lint lock vendor browser clean help bench

help:
	@echo "make run    - serve the portal with the GMG record on http://127.0.0.1:8000 (embedded SQLite, no services)"
	@echo "make test   - run the whole test suite on PostgreSQL (DATABASE_URL, default $(TEST_DATABASE_URL))"
	@echo "make lint   - ruff and the migration check"
	@echo "make bench  - time, queries and memory of the main pages on the record and on ten times its data"
	@echo "make lock   - refresh requirements.lock from pyproject.toml"
	@echo "make vendor - refresh the vendored front-end assets from npm"

# The virtual environment, rebuilt when the lock changes or the interpreter is too old.
$(VENV)/.installed: requirements.lock scripts/find_python.sh
	@if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		echo "Replacing $(VENV): its Python is older than 3.12."; rm -rf $(VENV); fi
	@if [ ! -x $(PY) ]; then python=$$(scripts/find_python.sh) || exit 1; \
		echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

venv: $(VENV)/.installed

run: venv
	@mkdir -p var/mail
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py load_gmg_data
	$(RUN_ENV) $(PY) manage.py create_demo_accounts
	$(RUN_ENV) $(PY) manage.py run_portal 127.0.0.1:$(PORT)

# Debian's Chromium for the browser tests (Playwright's own browser download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

test: venv browser
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} DJANGO_SECRET_KEY=test-only-secret DJANGO_DEBUG=false \
		DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(PYTEST_ARGS)

# Speed, queries and memory of the main pages on the GMG record and on ten times its data.
bench: venv
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) scripts/benchmark.py

lint: venv
	$(VENV)/bin/ruff check .
	DJANGO_DEBUG=true $(PY) manage.py makemigrations --check --dry-run

lock: venv
	$(PY) -m pip install --quiet "pip-tools>=7.4"
	$(VENV)/bin/pip-compile --quiet --strip-extras --extra test --output-file requirements.lock pyproject.toml

vendor:
	scripts/vendor_assets.sh

clean:
	rm -rf $(VENV) var staticfiles

# Reminders on Celery and Redis (production-like): a worker for the default and reminder queues, and the one beat.
# REDIS_URL (or CELERY_BROKER_URL) must point at Redis; without one, `manage.py run_portal` sweeps in-process.
REDIS_URL ?= redis://127.0.0.1:6379/0
.PHONY: worker beat
worker: venv
	REDIS_URL=$(REDIS_URL) $(VENV)/bin/celery -A gmg_portal worker --loglevel=INFO -Q celery,$${GMG_REMINDER_QUEUE:-reminders}

beat: venv
	@mkdir -p var
	REDIS_URL=$(REDIS_URL) $(VENV)/bin/celery -A gmg_portal beat --loglevel=INFO --schedule=var/celerybeat-schedule
