# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install run test lint unit audit bench clean

# Reinstall only when the dependencies change.
$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/flask --app portal db upgrade
	$(BIN)/flask --app portal seed-demo --if-empty
	SMS_RELAY_THREAD=true $(BIN)/flask --app portal run --host 127.0.0.1 --port 5000

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

unit: $(INSTALLED)
	$(BIN)/pytest

test: lint unit

# Known vulnerabilities in the installed dependencies (pip-audit, --strict: a package it
# cannot check is a failure, not a pass) and risky code (bandit).
audit: $(INSTALLED)
	$(BIN)/bandit -q -c pyproject.toml -r casework notifications portal ussd
	$(BIN)/pip-audit --strict --skip-editable --progress-spinner off

# Speed, throughput, scale and page-weight targets (BENCHMARKS.md); not part of `make test`.
# Needs PostgreSQL and Redis (BENCH_DATABASE_URL, BENCH_REDIS_URL); exits 1 on a missed target.
bench: $(INSTALLED)
	$(BIN)/python -m bench $(SECTIONS)

clean:
	rm -rf $(VENV) instance .pytest_cache
