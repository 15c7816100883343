# Damrongdhama case engine. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
# Test processes (pytest-xdist): one per core; each has its own test database,
# media folder and Redis cache database (core/settings/test.py). TEST_WORKERS=0 runs one.
TEST_WORKERS ?= auto
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed ## Create the virtual environment and install the pinned packages

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed ## Install CSS, JS and fonts from npm (served locally, never from a CDN); build the field app
	npm run --silent build:field

messages: venv ## Compile the translation catalogues (.po -> .mo)
	$(PY) manage.py compile_translations > /dev/null

makemessages: venv ## Collect new UI strings into locale/en (then translate them)
	$(PY) manage.py makemessages -l en --add-location=file --ignore=.venv --ignore=node_modules \
		--ignore=var --ignore=tests --ignore=locale_thirdparty

setup: venv assets messages ## Everything needed before running or testing
	mkdir -p var

migrate: setup ## Apply migrations (this also loads the Thai geography)
	$(PY) manage.py migrate --no-input

demo: migrate ## Create the demo accounts listed in README.md
	$(PY) manage.py load_demo
	$(PY) manage.py load_demo_cases
	$(PY) manage.py load_demo_public
	$(PY) manage.py load_demo_registrations

run: demo ## Set up, load demo data and serve http://127.0.0.1:8000 (SQLite, Celery eager)
	$(PY) manage.py runserver $(HOST)

test: setup ## Run the whole test suite (PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope

manual: setup ## Take the manual's screenshots in Chromium (accounts/static/accounts/manual/) and build its PDFs (var/manual/)
	MANUAL_SCREENS_DIR=accounts/static/accounts/manual $(PY) -m pytest -p no:xdist tests/browser/test_manual_browser.py
	$(PY) manage.py build_manual

lint: venv ## ruff (lint and format), and a check that no model change lacks its migration
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

worker: setup ## Start a Celery worker (needs REDIS_URL)
	$(VENV)/bin/celery -A core worker --loglevel=INFO --concurrency=2

beat: setup ## Start Celery beat, the scheduler of periodic tasks (needs REDIS_URL)
	$(VENV)/bin/celery -A core beat --loglevel=INFO --schedule=var/celerybeat-schedule

# The ID-card helper runs on the officer's PC, without the project's packages (cardhelper/README.md).
CARDHELPER_ORIGIN ?= http://$(HOST)
cardhelper: ## Start the ID-card helper for this PC's reader on 127.0.0.1:8765 (CARDHELPER_ARGS=--simulate: a simulated card)
	$(PYTHON) -m cardhelper --origin $(CARDHELPER_ORIGIN) $(CARDHELPER_ARGS)

sysdeps: ## Install the Debian packages the browser tests and the Thai OCR need (as root)
	apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-thai-tlwg poppler-utils wrk \
		tesseract-ocr tesseract-ocr-tha tesseract-ocr-osd ghostscript

format: venv ## Format the code (ruff format; CI checks it)
	$(VENV)/bin/ruff format .

.PHONY: help format venv assets messages makemessages setup migrate demo run test manual lint worker beat cardhelper sysdeps
