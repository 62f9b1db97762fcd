# The two commands a newcomer needs (README.md):
#   make run   install, migrate, load the demo, start web + worker + beat on :8000
#   make test  install with the dev extra, ruff, then the whole pytest suite
# DATABASE_URL / REDIS_URL / EMAIL_URL are read from the environment when set.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Port of the web process (`make run WEB_PORT=8010` when 8000 is taken).
WEB_PORT ?= 8000
export WEB_PORT
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="tests/accounts -x"`.
PYTEST_ARGS ?=

.PHONY: run test lint install database migrate demo bench

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Cần Python 3.11 ($(PYTHON)) / Python 3.11 is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstalls when pyproject.toml changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

database: install
	$(BIN)/python -m config.ensure_database

migrate: database
	$(BIN)/python manage.py migrate --no-input

demo: migrate
	$(BIN)/python manage.py load_demo

# honcho replaces the shell (exec) so that Ctrl-C reaches it; it stops all three.
run: demo
	@echo "Liên thông văn bản: http://127.0.0.1:$(WEB_PORT)  (Ctrl-C stops web, worker and beat)"
	exec $(BIN)/honcho start -f Procfile

lint: install
	$(BIN)/ruff check .

# pytest exits 5 when it collected no test: a suite that vanished is a failure too.
test: lint
	@$(BIN)/pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing on purpose"; fi; \
	exit $$status

bench: migrate
	$(BIN)/python -m bench $(if $(FULL),--full,)
