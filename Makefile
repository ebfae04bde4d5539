# Pasar Bangkit: `make run` serves the demo site, `make test` runs the tests. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: run test install translations messages db seed worker clean

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
	$(BIN)/pybabel extract -F babel.cfg -k _l -o translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

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

test: install
	$(BIN)/python -m pytest -q

# Sends queued email when REDIS_URL is set.
worker: install
	$(BIN)/flask rq-worker

clean:
	rm -rf $(VENV) instance/pasar.db .pytest_cache
