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

.PHONY: run test venv catalogues messages lint lock vendor browser documents office clean help bench wrk serve backup restore drill drill-services

help:
	@echo "make run    - serve the portal with the GMG record on http://127.0.0.1:8000 (embedded SQLite, no services)"
	@echo "make serve  - production: migrate, collectstatic, then gunicorn (settings from the environment)"
	@echo "make test   - run the whole test suite on PostgreSQL (DATABASE_URL, default $(TEST_DATABASE_URL))"
	@echo "make lint   - ruff, the floors of the apps (import-linter) and the migration check"
	@echo "make drill  - the fault and scale-out drills on a private PostgreSQL, Redis and SMTP server (also in make test)"
	@echo "make bench  - time, queries and throughput of the main pages at 1x, 10x and 100x data; writes BENCHMARKS.md"
	@echo "make lock   - refresh requirements.lock from pyproject.toml"
	@echo "make vendor - refresh the vendored front-end assets from npm"
	@echo "make catalogues - gather the marked strings into locale/fr and locale/es (then translate; glossary locale/GLOSSARY.md)"

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

run: venv messages documents
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

# What the PDF documents need from Debian: pango for WeasyPrint, a font, and poppler-utils (pdftoppm, pdftotext)
# with which the tests look at the pages.
DOCUMENT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils
documents:
	@missing=$$(for p in $(DOCUMENT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "Installing Debian's $$missing for the PDF documents"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq $$missing >/dev/null; fi; fi

# LibreOffice, in which the tests open every Word, Excel and CSV file the portal hands out (as people do).
OFFICE_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation
office:
	@missing=$$(for p in $(OFFICE_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "Installing Debian's $$missing for the file tests"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq $$missing >/dev/null; fi; fi

# Production serving: the environment holds the settings (README: Settings); static files are collected and
# served compressed with hashed names by whitenoise; GMG_WEB_WORKERS gunicorn workers on GMG_BIND.
serve: venv messages documents
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	exec $(VENV)/bin/gunicorn --config gmg_portal/gunicorn.conf.py

# Backups: the database (pg_dump) and the uploaded files in one archive, by default in var/backups/.
# `make backup [TO=folder-or-file.tar.gz]`; `make restore BACKUP=file.tar.gz` replaces both (asks first).
backup: venv
	$(PY) manage.py backup $(if $(TO),--to $(TO))

restore: venv
	@test -n "$(BACKUP)" || { echo "Say which archive: make restore BACKUP=var/backups/gmg-portal-....tar.gz"; exit 2; }
	$(PY) manage.py restore $(BACKUP) $(if $(YES),--yes)

# The suite runs on TEST_WORKERS processes (default: one per core), each with its own test database; the tests that
# must share a process are grouped (tests/parallel.py). TEST_WORKERS=0 runs it in this one process.
TEST_WORKERS ?= auto
test: venv messages browser documents office drill-services
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} DJANGO_SECRET_KEY=test-only-secret DJANGO_DEBUG=false \
		GMG_STATIC_MANIFEST=false \
		DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# The drills' private servers come from Debian's PostgreSQL and Redis packages (server binaries only; the drills
# start them into a temporary folder and never touch a running service).
drill-services:
	@{ command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } && \
		command -v redis-server >/dev/null 2>&1 || { \
		echo "Installing Debian's postgresql and redis-server for the fault drills"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq postgresql redis-server >/dev/null; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq postgresql redis-server >/dev/null; fi; }

# The fault drills alone (make test runs them too): they start their own PostgreSQL (55432), Redis (15379) and
# SMTP server, web processes and workers (8150-8159); DRILL_PG_PORT, DRILL_REDIS_PORT, DRILL_PORT_BASE move them.
drill: venv messages drill-services
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} DJANGO_SECRET_KEY=test-only-secret DJANGO_DEBUG=false \
		$(PY) -m pytest tests/drills -m drill -v $(PYTEST_ARGS)

# Debian's wrk, the HTTP load generator of the benchmark.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing Debian's wrk for the benchmark"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq wrk >/dev/null; fi; }

# Time, queries and throughput (gunicorn + wrk, against a floor) of the main pages at 1, 10 and 100 units of synthetic
# data, read alone and under a trickle of saves, and the reminder sweep; prints the table and writes BENCHMARKS.md
# (under 25 minutes). BENCH_ARGS passes options on.
bench: venv messages wrk
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) scripts/benchmark.py $(BENCH_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
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
worker: venv messages
	REDIS_URL=$(REDIS_URL) $(VENV)/bin/celery -A gmg_portal worker --loglevel=INFO -Q celery,$${GMG_REMINDER_QUEUE:-reminders}

beat: venv messages
	@mkdir -p var
	REDIS_URL=$(REDIS_URL) $(VENV)/bin/celery -A gmg_portal beat --loglevel=INFO --schedule=var/celerybeat-schedule

# The catalogues of the portal's words in French and Spanish (locale/; glossary locale/GLOSSARY.md).
# `make catalogues` gathers every marked string into locale/*/django.po after a change; the set-up compiles them.
MESSAGE_DIRS := --ignore '.venv/*' --ignore 'tests/*' --ignore 'node_modules/*' --ignore 'staticfiles/*' --ignore 'var/*' --ignore 'site/*'
catalogues: venv
	$(PY) manage.py makemessages --locale fr --locale es --add-location file --no-obsolete $(MESSAGE_DIRS)

# The compiled catalogues (not kept in git): rebuilt whenever their .po changes, as part of every set-up.
MO_FILES := locale/fr/LC_MESSAGES/django.mo locale/es/LC_MESSAGES/django.mo
messages: $(MO_FILES)
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | venv
	$(PY) manage.py compilemessages --locale $* $(MESSAGE_DIRS)
