# b2bbank task runner. Every target sets up what it needs itself.
PORT ?= 8000
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: install axe run test lint backup restore prod-local nginx bench-jobs audit-deps audit-deps-ci fuzz format migrate demo db-stop bench bench-directory bench-directory-1m bench-loans bench-chat bench-chat-idle bench-documents clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

## axe-core, from the npm registry, for the browser suite's accessibility gate (tests/browser/axe.py)
AXE_VERSION := 4.14.1
AXE := .tools/node_modules/axe-core/axe.min.js
$(AXE):
	@command -v npm >/dev/null || { echo "installing npm (Debian package)"; apt-get update -qq && apt-get install -y -qq npm >/dev/null; }
	npm install --silent --no-audit --no-fund --prefix .tools axe-core@$(AXE_VERSION)

axe: $(AXE)

migrate: install
	$(BIN)/python manage.py migrate --noinput

DEMO_LOGINS := .data/demo-logins.txt
demo: migrate
	$(BIN)/python manage.py seed_demo --port $(PORT) --logins-file $(DEMO_LOGINS)
	$(BIN)/python manage.py seed_loans_demo
	$(BIN)/python manage.py seed_documents_demo

## run: the app on http://127.0.0.1:$(PORT) (HTTP and websockets, Daphne) and one job
## worker beside it, with demo data; Ctrl-C stops both. The demo logins are printed
## again once the worker has sent the demo's first emails to the console.
run: demo
	@$(BIN)/python manage.py procrastinate worker & worker=$$!; \
	(sleep 6; echo; cat $(DEMO_LOGINS)) & logins=$$!; \
	trap 'kill $$worker $$logins 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(BIN)/python -m b2bbank.websocket_server -b 127.0.0.1 -p $(PORT) b2bbank.asgi:application

## nginx: Debian's nginx package, installed when missing (prod-local and its test need it)
nginx:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { echo "installing nginx (Debian package)"; \
		export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq nginx >/dev/null; }

## prod-local: the production layout on loopback (http://127.0.0.1:$${PORT:-8080}): nginx in front
## of gunicorn and two Daphne processes, two job workers, Redis, PostgreSQL, an SMTP server
## writing mail to .data/prod-local/mail; Ctrl-C stops everything (docs/deploy.md)
prod-local: install nginx
	$(BIN)/python tools/prod_local.py

## test: lint, Django checks, migrations check and the whole pytest suite
test: lint nginx $(AXE)
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/bandit -q -r accounts authentication audit b2bbank directory loans chat documents jobs notifications -x '*/tests/*,*/migrations/*' --severity-level high
	@# No function rated C or worse (complexity over 10) in chat/ and the realtime modules: radon
	@# lists them and always exits 0, so any listing fails the target.
	@out="$$($(BIN)/radon cc -n C chat b2bbank/realtime.py b2bbank/frames.py b2bbank/channels_redis_pipeline.py b2bbank/websocket_server.py)"; \
	if [ -n "$$out" ]; then echo "$$out"; echo "complexity over 10 (radon cc -n C)"; exit 1; fi

## audit-deps: known vulnerabilities in the pinned requirements. --strict fails when a
## package could not be checked (e.g. no route to the vulnerability database).
audit-deps: install
	$(BIN)/pip-audit --strict -r requirements.txt --progress-spinner off

## audit-deps-ci: what CI runs. pip-audit asks PyPI's JSON API for each pinned
## version; where that does not answer (this workplace's mirror serves only each
## project's JSON), tools/audit_pins.py audits every pin that is its project's
## latest release from that JSON and lists the others as unverified.
AUDIT_PROBE := https://pypi.org/pypi/django/$(shell sed -n 's/^Django==//p' requirements.txt)/json
audit-deps-ci: install
	@if $(BIN)/python -c "import urllib.request; urllib.request.urlopen('$(AUDIT_PROBE)', timeout=5)" 2>/dev/null; then \
		$(MAKE) --no-print-directory audit-deps; \
	else \
		echo "audit-deps: $(AUDIT_PROBE) does not answer, so pip-audit cannot run here; auditing from each project's JSON instead"; \
		$(BIN)/python tools/audit_pins.py requirements.txt; \
	fi

## fuzz: schemathesis against the OpenAPI schema with many more examples than `make test`
fuzz: install
	B2BBANK_FUZZ_EXAMPLES=$${B2BBANK_FUZZ_EXAMPLES:-300} B2BBANK_FUZZ_STATEFUL=$${B2BBANK_FUZZ_STATEFUL:-300} $(BIN)/pytest tests/test_api_fuzz.py

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## backup: the database (pg_dump custom format) and the media files into backups/<UTC time>/
## (TO=dir elsewhere, MEDIA=dir when MEDIA_ROOT is not the media to keep)
backup: install
	$(BIN)/python tools/backup.py backup $(if $(TO),--to $(TO)) $(if $(MEDIA),--media $(MEDIA))

## restore: FROM=backups/<time> into the configured database (its objects replaced) and media
restore: install
	@test -n "$(FROM)" || { echo "usage: make restore FROM=backups/<time> [MEDIA=dir]"; exit 2; }
	$(BIN)/python tools/backup.py restore $(FROM) $(if $(MEDIA),--media $(MEDIA))

## db-stop: stop the embedded PostgreSQL (data stays in .data/)
db-stop: install
	$(BIN)/python -c "import pgserver; pgserver.get_server('.data/postgres', cleanup_mode='stop').cleanup()"

## bench-directory: 100,000 bankers, gunicorn + production settings, wrk at concurrency 1 and 32
bench-directory: install
	@command -v wrk >/dev/null || { echo "installing wrk (Debian package)"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/directory/run.py

## bench-directory-1m: the "every search new" rows at concurrency 1 on 1,000,000 bankers, next to hello
bench-directory-1m: install
	@command -v wrk >/dev/null || { echo "installing wrk (Debian package)"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	BENCH_BANKERS=1000000 BENCH_KINDS=new BENCH_CONCURRENCY=1 $(BIN)/python bench/directory/run.py

## bench-loans: loan transitions, applications API/pipeline latency, a conflicting-action race
bench-loans: install
	$(BIN)/python bench/loans_bench.py $(N)

## bench-jobs: what the email job adds to a status change (A/B), emails/s through workers to SMTP, queue lag
bench-jobs: install
	$(BIN)/python bench/jobs_bench.py $(PAIRS) $(EMAILS)

## bench: every benchmark
bench: bench-directory bench-loans bench-chat bench-chat-idle bench-documents bench-jobs

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache

## bench-chat: chat round trips (20 pairs + 1,000 idle sockets) next to echo baselines, and memory over connect/leave rounds
bench-chat: install
	$(BIN)/python -m bench.chat.run

## bench-chat-idle: one Daphne process holding 10,000 idle authenticated sockets: RSS, idle CPU, and 20 pairs' latency with them held and with none held,
## in alternation on that one process, next to the Channels echo (HELD=<sockets>, PING=<Daphne ping interval, s; 300 as deployed>; about 8 minutes)
bench-chat-idle: install
	$(BIN)/python -m bench.chat.run --held $(or $(HELD),10000) --ping-interval $(or $(PING),300)


## bench-documents: 20 concurrent 10 MB uploads through the documents API next to a bare streaming view, MB/s and server RSS
bench-documents: install
	$(BIN)/python -m bench.documents.run $(ROUNDS)
