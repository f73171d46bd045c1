# City311 — `make run` serves the API on http://127.0.0.1:8000; `make test` runs the whole suite;
# `make help` lists every target (the text after `##` on a target's line).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test test-quick test-stress test-postgres install lock messages openapi seed bench fuzz lint format clean distclean browser vendor screenshots
.DEFAULT_GOAL := help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | \
		awk -F'\t' '{printf "  make %-14s %s\n", $$1, $$2}'

# The message catalogs (backend/i18n, gettext via Babel): `make messages` extracts every resident-
# facing sentence (N_(key, english) in backend/i18n/messages.py) and the catalog's type names and
# descriptions, questions, hints and options and the operators' checklists (backend/catalog/data)
# into the .pot templates (backend/i18n/extract.py), merges
# them into each language's .po (a new sentence comes in empty, a changed one fuzzy: tests/i18n
# fails until it is translated) and compiles them. The .mo files are built by `make install` (and
# here), never committed; a .po newer than its .mo is compiled in memory at first use
# (backend/i18n/catalogs.py), so a clone that skipped make still speaks every language.
I18N := backend/i18n
DOMAINS := messages catalog
# English is the source language: its sentences are the message ids themselves
TRANSLATED := es pl zh
PO_FILES := $(wildcard $(I18N)/locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
POT_OPTIONS := --no-default-keywords --omit-header --no-location --no-wrap --sort-output

# The installed versions are requirements.lock's: every package the app, the test and the bench
# extras need, pinned exactly with its hashes (resolved by `make lock` for Python 3.11 on Linux
# x86_64), then the project itself without dependencies. pip prints each package as it is
# collected and installed: a first install takes a few minutes; it runs again when the lock or
# pyproject.toml changes.
LOCK := requirements.lock
$(BIN)/city311: pyproject.toml $(LOCK)
	@echo "== installing City311 and its locked dependencies into $(VENV)/ =="
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --disable-pip-version-check --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install --disable-pip-version-check --no-deps -e .
	$(BIN)/pip check
	touch $@
	@echo "== installed =="

# uv resolves; pip installs (uv is needed only here, in the virtualenv beside the app).
UV_VERSION := 0.13.10
# A pin that still fits pyproject.toml is kept; `make lock LOCK_OPTIONS=--upgrade` takes the newest
# versions every range allows (then `make test`, and read the changes before committing them).
LOCK_OPTIONS ?=
lock: ## resolve requirements.lock again after an edit of pyproject.toml's requirements
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml --extra test --extra bench --generate-hashes \
		--python-version 3.11 --python-platform x86_64-manylinux_2_28 \
		--custom-compile-command "make lock" --quiet --output-file $(LOCK) $(LOCK_OPTIONS)

install: $(BIN)/city311 $(MO_FILES) ## create .venv and install the lock (again when it or pyproject.toml changes), compile the catalogs

%.mo: %.po $(BIN)/city311
	$(BIN)/pybabel compile --statistics -i $< -o $@

messages: $(BIN)/city311 ## extract, update and compile the message catalogs (backend/i18n)
	$(BIN)/pybabel extract -F $(I18N)/messages.cfg -k N_:1c,2 $(POT_OPTIONS) \
		-o $(I18N)/messages.pot $(I18N)/messages.py
	$(BIN)/pybabel extract -F $(I18N)/catalog.cfg -k pgettext:1c,2 $(POT_OPTIONS) \
		-o $(I18N)/catalog.pot backend/catalog/data/service_types.csv backend/catalog/data/questions.json \
		backend/catalog/data/checklists.json
	for domain in $(DOMAINS); do for language in $(TRANSLATED); do \
		$(BIN)/pybabel update -D $$domain -l $$language -i $(I18N)/$$domain.pot \
			-d $(I18N)/locale --init-missing --no-wrap --ignore-pot-creation-date --ignore-obsolete || exit 1; \
	done; done
	$(MAKE) --no-print-directory $(MO_FILES)

run: install ## migrate and seed the embedded SQLite (catalog + demo), then serve on 127.0.0.1:8000 (HOST=, PORT=)
	$(BIN)/city311 migrate
	$(BIN)/city311 seed --demo
	@echo ""
	@echo "  the resident app:     http://$(HOST):$(PORT)/"
	@echo "  the operator console: http://$(HOST):$(PORT)/staff/  (the demo staff above)"
	@echo "  the API docs:         http://$(HOST):$(PORT)/schema"
	@echo ""
	$(BIN)/city311 serve --host $(HOST) --port $(PORT)

test: install browser ## the whole suite on the embedded SQLite (tests/browser in Chromium included)
	$(BIN)/pytest

test-quick: install ## the suite without the slow tests (-m "not slow": no process started, no search)
	$(BIN)/pytest -m "not slow"

# libfaketime comes from the test extra; what a run measured: docs/testing.md.
test-stress: install ## the whole suite twice beside two CPU-burning processes, then a month ahead
	$(BIN)/python tests/stress.py

# The same suite on PostgreSQL (a throwaway database is created on that server and dropped). The
# browser tests are left out there (tests/browser/conftest.py): their server has its own SQLite.
test-postgres: install ## the whole suite on PostgreSQL (DATABASE_URL), less tests/browser
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest

# tests/browser drive Debian's Chromium through Playwright (launched with executable_path, never
# a browser Playwright downloads); the CJK font draws the Chinese pages. Installed once, by apt-get,
# when /usr/bin/chromium or the font is missing (as root, or through sudo); CITY311_SKIP_BROWSER=1
# skips the install and the browser tests.
CHROMIUM := /usr/bin/chromium
BROWSER_PACKAGES := chromium chromium-driver fonts-noto-cjk
browser: ## install Debian's Chromium and CJK fonts for tests/browser (apt-get, only when missing)
	@if [ "$$CITY311_SKIP_BROWSER" = 1 ]; then echo "CITY311_SKIP_BROWSER=1: no browser tests"; \
	elif [ -x $(CHROMIUM) ] && dpkg -s fonts-noto-cjk >/dev/null 2>&1; then \
		$(CHROMIUM) --version 2>/dev/null || true; else \
		echo "== installing $(BROWSER_PACKAGES) (apt-get) =="; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends \
			$(BROWSER_PACKAGES); fi

# axe-core (the accessibility checks of tests/browser) is committed in tests/browser/vendor with
# its licences; this fetches the pinned version again from the npm registry (needs npm).
AXE_VERSION := 4.14.1
AXE_DIR := tests/browser/vendor
vendor: ## fetch axe-core AXE_VERSION (npm registry) into tests/browser/vendor, with its licences
	rm -rf build/vendor && mkdir -p build/vendor
	cd build/vendor && npm pack --silent axe-core@$(AXE_VERSION)
	tar -xzf build/vendor/axe-core-$(AXE_VERSION).tgz -C build/vendor
	cp build/vendor/package/axe.min.js build/vendor/package/LICENSE \
		build/vendor/package/LICENSE-3RD-PARTY.txt $(AXE_DIR)/
	rm -rf build/vendor

# The screenshots the README shows (docs/screenshots.md lists every one the tests take).
SHOWN := app-home-phone-en app-home-phone-zh app-request-phone app-map-phone \
	console-page-intake-desktop app-request-desktop
screenshots: install browser ## take the browser tests' screenshots (var/screenshots), copy the README's into docs/screenshots
	$(BIN)/pytest -q -p no:cacheprovider tests/browser/test_screenshots.py
	mkdir -p docs/screenshots
	for name in $(SHOWN); do cp var/screenshots/$$name.png docs/screenshots/ || exit 1; done

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
# mypy: the type check ([tool.mypy]): strict for backend/ and sms/, laxer for tests/.
LINTED := backend sms tests bench fuzz piccolo_conf.py
lint: install ## ruff check, ruff format --check, and mypy (strict for backend/ and sms/, laxer for tests/)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

format: install ## apply ruff's fixes and format
	$(BIN)/ruff check --fix $(LINTED)
	$(BIN)/ruff format $(LINTED)

clean: ## remove the data (var/: database, photos, keys) and build leftovers; keeps .venv
	rm -rf var build *.egg-info

distclean: clean ## clean, and remove .venv too
	rm -rf $(VENV)
