# Pasar Bangkit: `make run` serves the demo site, `make test` runs the tests. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
PORT ?= 5000
export PORT  # config.py: in development, links in emails and the sitemap point at this port
export FLASK_APP := wsgi

.PHONY: run test test-e2e test-postgres lint lint-style lint-fix chromium axe install translations messages db seed worker clean \
	stack stack-down bench-load bench-soak bench-faults

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP) translations

# Compiled catalogs are build output (not in git): rebuild them from the .po files.
translations: $(STAMP)
	$(BIN)/pybabel -q compile -d translations

# Refresh the .po files after adding or changing visible strings, then translate the new entries.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -o translations/messages.pot --no-location --sort-output --width 100 .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete --width 100
	@# The extraction time changes on every run and made every parallel branch conflict: leave it out.
	sed -i '/^"POT-Creation-Date:/d' translations/messages.pot translations/*/LC_MESSAGES/messages.po

# Upgrade the schema; a brand-new database also gets the demo data.
db: install
	@mkdir -p instance
	@if $(BIN)/flask db current 2>/dev/null | grep -q '(head)'; then \
		$(BIN)/flask db upgrade; \
	else \
		$(BIN)/flask db upgrade && $(BIN)/flask seed-demo; \
	fi

run: db
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# The suite runs on PYTEST_WORKERS processes (pytest-xdist), each with a database of its own; each test
# is rolled back (tests/conftest.py). `make test PYTEST_WORKERS=0` runs it in this process. Workers take
# one test at a time, the long ones first (tests/conftest.py), so that both finish together.
PYTEST_WORKERS ?= 2
PARALLEL := -n $(PYTEST_WORKERS) --maxschedchunk 1

test: install
	$(BIN)/python -m pytest -q $(PARALLEL)

# The same suite on PostgreSQL: TEST_DATABASE_URL names a database that exists (each worker makes its own
# copy beside it, named <database>_gw0 ...).
test-postgres: install
	@test -n "$(TEST_DATABASE_URL)" || { echo "Set TEST_DATABASE_URL=postgresql+psycopg://USER@HOST:PORT/DATABASE"; exit 2; }
	$(BIN)/python -m pytest -q $(PARALLEL)

# Static checks (the CI gate): ruff's bug-finding rules of ruff.toml (pyflakes, bugbear, pycodestyle, the
# security subset) over the whole tree, and bandit over the app (an accepted finding carries
# `# nosec BXXX  # reason` on its line). Import order and pyupgrade (I, UP) are mechanical: `make lint-fix`
# applies them and `make lint-style` checks them, but they do not fail CI, where eight people land at once.
lint: $(STAMP)
	$(BIN)/ruff check --quiet --extend-ignore I,UP .
	$(BIN)/bandit --quiet --recursive marketplace

lint-style: $(STAMP)
	$(BIN)/ruff check --quiet .

lint-fix: $(STAMP)
	$(BIN)/ruff check --quiet --fix .

# axe-core, the accessibility rules the browser lane injects into each page it audits
# (tests/e2e/test_accessibility.py). Only the tests load it, never the site; it comes from the npm
# registry at a pinned version into .venv (not in git).
AXE_CORE_VERSION := 4.14.1
AXE_CORE_JS := $(VENV)/axe-core-$(AXE_CORE_VERSION)/node_modules/axe-core/axe.min.js

$(AXE_CORE_JS):
	@command -v npm >/dev/null 2>&1 || { \
		echo "Installing Debian's npm to fetch axe-core"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	npm install --no-save --no-audit --no-fund --loglevel=error --prefix $(VENV)/axe-core-$(AXE_CORE_VERSION) axe-core@$(AXE_CORE_VERSION)
	@test -s $@

axe: $(AXE_CORE_JS)

# The browser lane: real headless Chromium from Debian (never a browser download), with the axe audit.
# One process: Chromium's rendering and axe keep both cores busy, and two workers (each with its own
# site and browser) measured no faster on this 2-core machine (104 s against 99 s).
test-e2e: install chromium axe
	$(BIN)/python -m pytest -q -m e2e tests/e2e

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Sends queued email when REDIS_URL is set.
worker: install
	$(BIN)/flask rq-worker

# A production-shaped stack on 127.0.0.1 (deploy/README.md): nginx, two gunicorn app servers, a private
# PostgreSQL cluster and redis-server, the RQ worker, moto as the photo bucket, an SMTP sink.
stack: install
	$(BIN)/python deploy/stack.py up

stack-down:
	$(BIN)/python deploy/stack.py down

# Load, soak and fault benchmarks against the stack with the 20,000-product data set (bench/README.md).
# Not part of CI. Each starts its own stack (with --bench-data) unless one with bench data is running.
bench-load: install
	$(BIN)/python bench/load.py $(BENCH_ARGS)

bench-soak: install
	$(BIN)/python bench/load.py --soak $(BENCH_ARGS)

bench-faults: install
	$(BIN)/python bench/faults.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance/pasar.db .pytest_cache
