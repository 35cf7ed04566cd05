# Ratusha: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Debian packages the test suite needs (browser tests, HTML checker, document tools, pg_dump
# and pg_restore for `manage.py backup`/`restore` on PostgreSQL).
APT_PACKAGES := chromium fonts-dejavu-core default-jre-headless gettext poppler-utils postgresql-client tesseract-ocr tesseract-ocr-ukr
# Debian packages the benchmarks need (wrk: the HTTP load generator of bench/bench_portal.py).
BENCH_APT_PACKAGES := wrk

.PHONY: install run test lint format bench bench-deps system-deps node-deps messages clean-db help translations check-translations

help:
	@echo "make run    - install, migrate, load the demo hromada and serve at http://127.0.0.1:$(PORT)"
	@echo "make test   - install everything the tests need and run the whole suite"
	@echo "make lint   - ruff check and format check"
	@echo "make bench  - run the benchmarks in bench/"

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $@

install: $(VENV)/.installed messages

messages: $(VENV)/.installed
	@$(PY) manage.py compile_translations

# Debian packages: installed once by the project itself, so a fresh machine needs no manual step.
system-deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES)"

bench-deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(BENCH_APT_PACKAGES)"

apt-install:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

node-deps: node_modules/.installed

run: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_hromada --scale small --if-empty
	$(PY) manage.py schedule_tasks
	$(PY) manage.py local_site --port $(PORT)
	@PORT=$(PORT) PY=$(PY) bin/serve

test: install system-deps node-deps
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install bench-deps
	$(PY) bench/run.py

clean-db:
	rm -f var/ratusha.sqlite3 var/ratusha.sqlite3-wal var/ratusha.sqlite3-shm

# Extract every translatable string into the catalogues (needs GNU gettext: make system-deps).
translations: install system-deps
	$(PY) manage.py makemessages -l uk -l en --no-obsolete --ignore "node_modules/*" --ignore "var/*" --ignore "*/tests/*" --ignore "tests/*" --ignore "bench/*" >/dev/null
	$(PY) manage.py compile_translations

# Fail if any string of the interface has no Ukrainian translation (CI runs this).
check-translations: translations
	$(PY) manage.py check_translations
