# Trygg: `make demo` starts the demo on http://127.0.0.1:8000, `make test` runs every test.
# Needs only Python >= 3.11 (with venv), Node.js with npm, and make.

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test setup lint messages serve clean bench

# Everything make runs is the demo or development: the demo secret key is allowed (TRYGG_DEMO=1, see the
# README). A deployment leaves TRYGG_DEMO unset and sets TRYGG_SECRET_KEY, or Trygg refuses to start.
export TRYGG_DEMO ?= 1

# The demo writes e-mails (reminders) to the console instead of sending them; links point at the demo.
demo: export TRYGG_EMAIL_HOST :=
demo: export TRYGG_BASE_URL ?= http://$(HOST):$(PORT)
# Incident imports go to the background worker too, as in production.
demo: export TRYGG_IMPORT_IN_WORKER ?= true
demo: setup
	$(BIN)/trygg migrate --noinput
	$(BIN)/trygg demo
	@echo "Påminnelser per e-post skrivs till terminalen i demon, inget skickas. Prova i ett annat fönster: $(BIN)/trygg send_reminders --date 2025-12-20"
	@echo "Trygg körs på http://$(HOST):$(PORT)/ med bakgrundsprocessen för jobb (avsluta båda med Ctrl+C)"
	@# The worker runs beside the server; the trap stops it (SIGTERM: it finishes its task) when the server stops.
	$(BIN)/trygg db_worker --no-reload --interval 1 & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/trygg runserver --noreload $(HOST):$(PORT)

test: setup
	bash scripts/run-tests

setup: $(VENV)/.synced node_modules/.installed

# uv lives in its own small virtual environment, so no system pip install is needed (PEP 668).
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --python "$$($(PYTHON) -c 'import sys; print(sys.executable)')"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

lint: setup
	$(BIN)/ruff check .

# Refresh the English catalogue after changing user-facing strings (needs GNU gettext); Swedish is the source.
messages: setup
	cd trygg && ../$(BIN)/trygg makemessages -l en --no-obsolete --no-location --no-wrap
	cd trygg && ../$(BIN)/trygg compilemessages

bench: setup
	$(BIN)/python bench/bench_coverage.py

clean:
	rm -rf $(VENV) $(TOOLS) node_modules var
