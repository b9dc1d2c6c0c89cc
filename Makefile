# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
PORT ?= 5000
HOST ?= 127.0.0.1

.PHONY: run test test-sqlite test-postgres install migrate seed clean browser-deps

$(STAMP): setup.cfg setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) cms seed-demo

## make run [PORT=5000] [HOST=127.0.0.1]: install, migrate, load demo data, serve with the task queue consumer
run: seed
	@echo "Serving on http://$(HOST):$(PORT)  (staff login: http://$(HOST):$(PORT)/login); queue consumer alongside"
	FLASK="$(FLASK)" HOST="$(HOST)" PORT="$(PORT)" scripts/run-dev.sh

## make test: the whole suite on SQLite, then on PostgreSQL when CI=true or CMS_TEST_POSTGRES_URL is set
test: install
	$(MAKE) test-sqlite
	@if [ -n "$$CMS_TEST_POSTGRES_URL" ] || [ "$$CI" = "true" ]; then $(MAKE) test-postgres; \
	else echo "PostgreSQL run skipped (set CMS_TEST_POSTGRES_URL or CI=true to run it)"; fi

test-sqlite: install
	CMS_TEST_DB=sqlite $(BIN)/pytest

test-postgres: install
	CMS_TEST_DB=postgres $(BIN)/pytest -m "not browser"

clean:
	rm -rf $(VENV) instance *.egg-info
