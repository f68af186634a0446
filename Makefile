# compmgr: `make run` sets everything up and serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app compmgr
HOST ?= 127.0.0.1
PORT ?= 5000
# Links in mails are built from PUBLIC_URL; for `make run` it is where the demo is served.
RUN_ENV := COMPMGR_PUBLIC_URL=$${COMPMGR_PUBLIC_URL:-http://$(HOST):$(PORT)}

.PHONY: run serve test test-sqlite test-pg install install-test translations lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --disable-pip-version-check -q -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --disable-pip-version-check -q -e ".[test]"
	@touch $@

install: $(VENV)/.installed translations
install-test: $(VENV)/.installed-test translations

translations: $(VENV)/.installed
	@$(BIN)/pybabel compile -d compmgr/translations 2>&1 | grep -v "^compiling" || true
	@# Bytecode up front, as pip does for an installed package: every app start (each CLI call,
	@# each gunicorn worker) then skips compiling ~100 modules, also where PYTHONDONTWRITEBYTECODE is set.
	@$(BIN)/python -m compileall -q compmgr

run: install
	$(RUN_ENV) $(FLASK) init --no-admin
	$(RUN_ENV) $(FLASK) demo
	$(RUN_ENV) $(FLASK) run --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/gunicorn -c python:compmgr.gunicorn_conf -b $(HOST):$(PORT) wsgi:app

# With COMPMGR_TEST_DATABASE_URL set, every database test runs on SQLite and on PostgreSQL.
test: install-test
	$(BIN)/bandit -q -r compmgr -lll
	$(BIN)/ruff check compmgr tests bench
	$(BIN)/ruff format --check compmgr tests bench  # the house style: ruff formats
	$(BIN)/lint-imports --no-cache  # the layers of ARCHITECTURE.md (setup.cfg [importlinter])
	$(BIN)/pytest -q -n auto --dist loadfile  # a worker per core, each with its own databases

lint: install-test
	$(BIN)/ruff check compmgr tests bench
	$(BIN)/ruff format --check compmgr tests bench
	$(BIN)/lint-imports --no-cache

bench: install-test
	$(BIN)/python bench/certificates.py

clean:
	rm -rf $(VENV) *.egg-info
