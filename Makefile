# City311 — `make run` serves the API on http://127.0.0.1:8000; `make test` runs the whole suite;
# `make help` lists every target (the text after `##` on a target's line).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test test-stress test-postgres install openapi seed bench fuzz lint format clean distclean
.DEFAULT_GOAL := help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | \
		awk -F'\t' '{printf "  make %-14s %s\n", $$1, $$2}'

# pip prints each package as it is collected and installed: a first install takes a few minutes.
$(BIN)/city311: pyproject.toml
	@echo "== installing City311 and its dependencies into $(VENV)/ =="
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --disable-pip-version-check -e '.[test,bench]'
	touch $@
	@echo "== installed =="

install: $(BIN)/city311 ## create .venv and install (again only when pyproject.toml changes)

run: install ## migrate and seed the embedded SQLite (catalog + demo), then serve on 127.0.0.1:8000 (HOST=, PORT=)
	$(BIN)/city311 migrate
	$(BIN)/city311 seed --demo
	$(BIN)/city311 serve --host $(HOST) --port $(PORT)

test: install ## the whole suite on the embedded SQLite
	$(BIN)/pytest

# libfaketime comes from the test extra; what a run measured: docs/testing.md.
test-stress: install ## the whole suite twice beside two CPU-burning processes, then a month ahead
	$(BIN)/python tests/stress.py

# The same suite on PostgreSQL (a throwaway database is created on that server and dropped).
test-postgres: install ## the whole suite on PostgreSQL (DATABASE_URL)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest

openapi: install ## regenerate the OpenAPI documents in openapi/
	$(BIN)/city311 openapi

seed: install ## load the catalog and the demo data (requests, staff accounts)
	$(BIN)/city311 seed --demo

bench: install ## the benchmarks; results in docs/benchmarks.md
	$(BIN)/python bench/run.py

# schemathesis against a live server, every openapi/*.json, SQLite then PostgreSQL (fuzz/run.py);
# FUZZ_MAX_EXAMPLES / FUZZ_MAX_SECONDS raise the bounds for a longer hunt.
fuzz: install ## schemathesis against a live server, SQLite then PostgreSQL
	$(BIN)/python fuzz/run.py

# ruff: the lint rules and the format (pyproject.toml [tool.ruff]); `make format` applies both.
LINTED := backend sms tests bench fuzz piccolo_conf.py
lint: install ## ruff check and ruff format --check
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

format: install ## apply ruff's fixes and format
	$(BIN)/ruff check --fix $(LINTED)
	$(BIN)/ruff format $(LINTED)

clean: ## remove the data (var/: database, photos, keys) and build leftovers; keeps .venv
	rm -rf var build *.egg-info

distclean: clean ## clean, and remove .venv too
	rm -rf $(VENV)
