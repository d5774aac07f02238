# b2bbank task runner. Every target sets up what it needs itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: install run test lint format migrate demo db-stop bench bench-chat clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

## run: the app on http://127.0.0.1:8000 (HTTP and websockets, Daphne), with demo data
run: demo
	$(BIN)/daphne -b 127.0.0.1 -p 8000 b2bbank.asgi:application

## test: lint, Django checks, migrations check and the whole pytest suite
test: lint
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## db-stop: stop the embedded PostgreSQL (data stays in .data/)
db-stop: install
	$(BIN)/python -c "import pgserver; pgserver.get_server('.data/postgres', cleanup_mode='stop').cleanup()"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache

## bench-chat: chat round trips (20 pairs + 1,000 idle sockets) next to echo baselines, and memory over connect/leave rounds
bench-chat: install
	$(BIN)/python -m bench.chat.run

bench: bench-chat
