# The kit's front door. `make app` and `make test` set up everything they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8866
APP_WORKSPACE ?= workspaces/sample-city

.PHONY: app test check bench browser lock sample screenshots clean help

help:  ## list the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

browser:  ## make sure a Chromium is available for the browser tests
	@bash scripts/ensure_chromium.sh

sample: $(STAMP)  ## build the sample city (cached)
	$(BIN)/kit sample build

app: $(STAMP)  ## set up and open the app on a fresh copy of the sample city
	@rm -rf $(APP_WORKSPACE)
	$(BIN)/kit new $(APP_WORKSPACE) --sample
	$(BIN)/kit serve $(APP_WORKSPACE) --port $(PORT)

test: $(STAMP) browser  ## set up and run every test
	$(BIN)/python -m pytest -n 2 --dist loadgroup

check: $(STAMP)  ## lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/nbstripout --verify workbooks/*.ipynb

bench: $(STAMP)  ## run the benchmarks and write their results to bench/results/
	$(BIN)/python -m bench

screenshots: $(STAMP) browser  ## screenshot every step (1366x900) into docs/img/ and time it
	$(BIN)/python -m bench pages

lock:  ## re-pin constraints.txt from a fresh resolve
	rm -rf build/lock-venv && $(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/pip install --quiet -e '.[dev]'
	build/lock-venv/bin/pip freeze --exclude-editable | grep -v '^rps-kit' > constraints.txt

clean:
	rm -rf $(VENV) build sample_city/build workspaces
