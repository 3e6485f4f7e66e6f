# The two commands of the README: `make run` and `make test`. Both set up a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_CASES ?= 2000
DEMO_PASSWORD ?= medcourt-demo

.PHONY: run test install lint unit integration e2e dates browser fonts postgres demo clean

# Tests run on a pinned court clock (tests/court_clock.py, default 2026-11-29), never the real date; the suites whose
# figures depend on the date run again on each of these court dates.
COURT_DATES ?= 2026-01-01 2027-02-28 2028-02-29 2030-12-31
DATE_SENSITIVE := tests/integration/test_statistics.py tests/integration/test_statistics_cache.py tests/integration/test_analytics.py tests/integration/test_worker.py \
	tests/integration/test_worker_inbox.py tests/integration/test_worker_concurrency.py tests/integration/test_web_public_admin.py \
	tests/integration/test_projections_queries.py tests/e2e/test_analytics_browser.py

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## Install everything, create the embedded database with demo data (once), and serve it.
run: install fonts
	$(BIN)/medcourt init
	$(BIN)/medcourt demo --cases $(DEMO_CASES) --seed 1 --password $(DEMO_PASSWORD) --if-empty
	$(BIN)/medcourt projections run --until-caught-up
	$(BIN)/medcourt serve --host 127.0.0.1 --port 8000

## Install everything and run the whole test suite (lint, unit, integration on SQLite and PostgreSQL, browser).
test: install browser fonts postgres
	$(BIN)/ruff check domain projections web scripts tests
	$(BIN)/mypy --strict domain
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/unit tests/integration tests/e2e
	$(MAKE) --no-print-directory dates

## The date-sensitive suites on other court dates (the main run above is on the default one, on both stores). Here on
## SQLite only: what moves with the date is the docket's content, which the demo writes identically on either store.
dates: install
	@for day in $(COURT_DATES); do \
	  echo "== court date $$day: $(DATE_SENSITIVE)"; \
	  MEDCOURT_TEST_TODAY=$$day $(BIN)/python -m pytest -q -p no:cacheprovider -m "not postgres" $(DATE_SENSITIVE) || exit 1; \
	done

lint: install
	$(BIN)/ruff check domain projections web scripts tests
	$(BIN)/mypy --strict domain

unit: install
	$(BIN)/python -m pytest -q tests/unit

integration: install fonts postgres
	$(BIN)/python -m pytest -q tests/integration

e2e: install browser fonts
	$(BIN)/python -m pytest -q tests/e2e

## Debian's Chromium for the browser tests (never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install -y chromium" >&2; fi; }

## Debian's DejaVu fonts: judicial acts and docket sheets are rendered with them (Cyrillic and Kazakh letters).
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null; \
	  else echo "Acts need Debian's DejaVu fonts: sudo apt-get install -y fonts-dejavu-core" >&2; fi; }

## Start the local PostgreSQL 15 if it is installed and down (integration tests use it).
postgres:
	@if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then \
	  command -v pg_ctlcluster >/dev/null 2>&1 && pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -1) main start || true; \
	  for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; fi

clean:
	rm -rf var .pytest_cache .ruff_cache .mypy_cache
