# The two commands: `make run` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test bench load lint schema system-packages services venv messages

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed

system-packages:
	@bash scripts/system-packages.sh

services:
	@bash scripts/services.sh

messages: venv system-packages
	$(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0

# The served address is also what issued PDFs print in their QR code and
# e-mails link to (PORTAL_BASE_URL), so a PORT other than 8000 follows.
run: export PORTAL_BASE_URL ?= http://127.0.0.1:$(PORT)
run: venv system-packages messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py demo_accounts
	PORT=$(PORT) bash scripts/serve.sh

# The suite runs on real PostgreSQL and Redis. pytest exits non-zero when
# it collects no test, so an empty run fails here and in CI.
test: lint system-packages services messages
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

bench: venv services
	$(BIN)/python bench/run.py

# The production stack under 50 and 200 logged-in users and a login flood
# (locust, loopback only, about 6 minutes; LOAD_SECONDS=60 per run).
load: venv system-packages messages
	$(BIN)/python bench/load.py

# The API's OpenAPI schema, committed: a change of the API shows in review as
# a change of this file (tests/test_api.py fails until it is rewritten).
schema: venv
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py spectacular --validate --fail-on-warn \
		--file api/schema.yml

# Formatting and lint of the Python code and the templates; `make test` runs it first.
lint: venv
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/djlint . --check
	$(BIN)/djlint . --lint
	# left out of reformatting (pyproject.toml) but still linted
	for f in documents/templates/documents/paper.html documents/templates/documents/print.html; do \
		$(BIN)/djlint - --lint < $$f || exit 1; done
