# pulsetui developer commands. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO   ?= demo-home

.PHONY: demo test check lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

## demo: set up, create the demo workspace (once) and open the app on it
demo: $(VENV)/.installed
	@test -f $(DEMO)/replica.json || $(BIN)/pulsetui demo --home $(DEMO)
	$(BIN)/pulsetui --home $(DEMO)

## test: set up and run the whole test suite
test: $(VENV)/.installed
	$(BIN)/python -m pytest -q -p no:cacheprovider

## check: lint, format check, type check, then the tests
check: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(MAKE) test

format: $(VENV)/.installed
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

## bench: run the benchmarks (not part of the tests)
bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(DEMO) build dist *.egg-info
