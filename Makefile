# sitroom — developer and user entry points. Everything runs inside .venv, created on demand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB ?= .demo/sitroom.db

.PHONY: install demo test lint eval eval-update bench lock clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.4,<1"
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

demo: install
	@mkdir -p .demo
	$(BIN)/sitroom --db $(DEMO_DB) ingest examples/corpus/
	$(BIN)/sitroom --db $(DEMO_DB) brief --since 2025-11-01 --format md -o .demo/brief.md
	$(BIN)/sitroom --db $(DEMO_DB) brief --since 2025-11-01 --format html -o .demo/brief.html
	@echo "Demo store: $(DEMO_DB)   brief: .demo/brief.md and .demo/brief.html"

test: install
	$(BIN)/pytest -q

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
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) .demo .pytest_cache .mypy_cache .ruff_cache
