# Velinimet: `make demo` runs the CRM with demo data; `make test` runs the suite.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
PYTEST_ARGS ?=
export VELINIMET_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo serve worker install test lint messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-lint: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[lint]'
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/velinimet demo --port $(PORT)

serve: $(VENV)/.installed
	$(BIN)/velinimet serve --port $(PORT)

worker: $(VENV)/.installed
	$(BIN)/velinimet worker

# The whole suite; VELINIMET_DATABASE_URL=postgres://... runs it on PostgreSQL.
test: $(VENV)/.installed-test
	VELINIMET_DATA_DIR=$(CURDIR)/var/test $(BIN)/python -m pytest -n auto -q $(PYTEST_ARGS)

lint: $(VENV)/.installed-lint
	$(BIN)/ruff check velinimet bench conftest.py
	$(BIN)/ruff format --check velinimet bench conftest.py
	VELINIMET_DATA_DIR=$(CURDIR)/var/test $(BIN)/mypy velinimet
	VELINIMET_DATA_DIR=$(CURDIR)/var/test $(BIN)/python manage.py check
	VELINIMET_DATA_DIR=$(CURDIR)/var/test $(BIN)/python manage.py makemigrations --check --dry-run

# Re-extract the tr/en/az catalogues and compile them (needs GNU gettext).
messages: $(VENV)/.installed
	cd velinimet && ../$(BIN)/python ../manage.py makemessages -l tr -l en -l az --no-obsolete --no-location
	cd velinimet && ../$(BIN)/python ../manage.py compilemessages

clean:
	rm -rf $(VENV) var/test
