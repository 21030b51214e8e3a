# Quarterdeck: `make run` starts the demo, `make test` runs every check.
# Needs only Python >= 3.12, git and make; everything else is installed here.
PYTHON     := $(shell scripts/find-python)
TOOLS      := .venv-tools
VENV       := .venv
UV         := $(TOOLS)/bin/uv
export UV_PYTHON_DOWNLOADS := never
BIN        := $(VENV)/bin
# uv's pip commands install into the interpreter they are given: always name the venv's own.
UVPIP      := $(UV) pip
# Two pytest workers (pytest-xdist): the whole suite in 4.5 min instead of 11 on 2 cores.
PYTEST_ARGS ?= -n 2

.PHONY: run test lint typecheck pytest os-deps lock clean

run: $(VENV)/.synced
	$(BIN)/quarterdeck start --demo

test: $(VENV)/.synced os-deps lint typecheck pytest

lint: $(VENV)/.synced
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(VENV)/.synced
	$(BIN)/mypy

pytest: $(VENV)/.synced
	$(BIN)/pytest $(PYTEST_ARGS)

# What tests need from the OS: Chromium for the browser tests, Java for Spark. Installed when we
# may (root); otherwise those tests are skipped locally with a note (and fail under CI=true).
os-deps:
	@scripts/ensure-chromium
	@scripts/ensure-java

$(UV): requirements/uv.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --require-hashes -r requirements/uv.txt
	@touch $(UV)

$(VENV)/.synced: $(UV) requirements/dev.txt pyproject.toml
	test -x $(BIN)/python || $(UV) venv --quiet --python $(PYTHON) $(VENV)
	$(UVPIP) sync --quiet --python $(BIN)/python --require-hashes requirements/dev.txt
	$(UVPIP) install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	@touch $@

# Re-pin after editing requirements/*.in.
lock: $(UV)
	$(UV) pip compile --quiet --generate-hashes --python-version 3.12 --override requirements/overrides.txt requirements/base.in -o requirements/base.txt
	$(UV) pip compile --quiet --generate-hashes --python-version 3.12 --override requirements/overrides.txt requirements/dev.in -o requirements/dev.txt
	$(UV) pip compile --quiet --generate-hashes --python-version 3.12 requirements/uv.in -o requirements/uv.txt

clean:
	rm -rf $(VENV) $(TOOLS) .mypy_cache .pytest_cache .ruff_cache test-artifacts
