# City311 — `make run` serves the API on http://127.0.0.1:8000; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-postgres install openapi seed bench fuzz lint format clean

$(BIN)/city311: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

install: $(BIN)/city311

run: install
	$(BIN)/city311 migrate
	$(BIN)/city311 seed --demo
	$(BIN)/city311 serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest

# The same suite on PostgreSQL (a throwaway database is created on that server and dropped).
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest

openapi: install
	$(BIN)/city311 openapi

seed: install
	$(BIN)/city311 seed --demo

bench: install
	$(BIN)/python bench/run.py

# schemathesis against a live server, every openapi/*.json, SQLite then PostgreSQL (fuzz/run.py);
# FUZZ_MAX_EXAMPLES / FUZZ_MAX_SECONDS raise the bounds for a longer hunt.
fuzz: install
	$(BIN)/python fuzz/run.py

# ruff: the lint rules and the format (pyproject.toml [tool.ruff]); `make format` applies both.
LINTED := backend sms tests bench fuzz piccolo_conf.py
lint: install
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

format: install
	$(BIN)/ruff check --fix $(LINTED)
	$(BIN)/ruff format $(LINTED)

clean:
	rm -rf $(VENV) var build *.egg-info
