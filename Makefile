# pulsetui developer commands. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO   ?= demo-home

.PHONY: demo test test-macos check lint format bench clean

$(BIN)/python:
	@echo "Creating a virtual environment in $(VENV) ..."
	$(PYTHON) -m venv $(VENV)
	@echo "Updating pip ..."
	$(BIN)/python -m pip install --quiet --upgrade pip

# the app alone: what `make demo` needs
$(VENV)/.app-installed: pyproject.toml | $(BIN)/python
	@echo "Installing pulsetui and what it needs (once) ..."
	$(BIN)/python -m pip install --progress-bar on -e .
	touch $@

# the app and the development tools (PEP 735 group "dev"): tests, linters
$(VENV)/.installed: pyproject.toml $(VENV)/.app-installed
	@echo "Installing the development tools (once) ..."
	$(BIN)/python -m pip install --quiet -e . --group dev
	touch $@

## demo: set up, create the demo workspace (once) and open the app on it
demo: $(VENV)/.app-installed
	@test -f $(DEMO)/replica.json || { echo "Creating the demo firm in $(DEMO) ..."; \
		$(BIN)/pulsetui demo --home $(DEMO); }
	$(BIN)/pulsetui --home $(DEMO)

# the tests run in WORKERS processes (pytest-xdist; WORKERS=0 runs them in this one).
# Three on two CPUs: the tests spend about a third of their time waiting on real
# terminals, timers and child processes (two workers keep a two-core machine at a load
# of 1.4), so a third worker fills that time. Three is what the suite is proven under on
# a busy two-core machine (bench/ci_under_load.sh); set WORKERS for a bigger machine.
WORKERS ?= 3
PYTEST  := $(BIN)/python -m pytest -q -p no:cacheprovider -n $(WORKERS) --dist worksteal

## test: set up and run the whole test suite
test: $(VENV)/.installed
	$(PYTEST)

# the store, sync and command-line tests, and the end-to-end macOS tests
MACOS_TESTS = tests/test_store_*.py tests/test_journal_cursor.py tests/test_durability.py \
	tests/test_crdt_view.py tests/sync tests/test_cli_*.py tests/test_hostile_cli.py \
	tests/test_reports_cli.py tests/test_platform_*.py

## test-macos: those tests as on macOS: Linux-only functions removed (tests/macos)
test-macos: $(VENV)/.installed
	PULSETUI_SIMULATE_MACOS=1 PYTHONPATH=$(CURDIR)/tests/macos \
		$(PYTEST) $(MACOS_TESTS)

## check: lint, format check, type check, layer contracts, then the tests
check: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/lint-imports
	$(MAKE) test

format: $(VENV)/.installed
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

## bench: the performance targets, each beside a baseline, PASS/FAIL (not part of the tests)
bench: $(VENV)/.installed
	$(BIN)/python bench/targets.py

clean:
	rm -rf $(VENV) $(DEMO) build dist *.egg-info
