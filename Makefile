# The two commands: `make run` (set up everything and serve the demo) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test setup messages check lint typecheck migrations-check stack clean

$(BIN)/.installed: requirements.txt requirements-test.txt
	@test -x $(BIN)/pip || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); } || { echo "python3 -m venv failed: install python3-venv"; exit 1; }
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@touch $@

messages: $(BIN)/.installed
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: install gettext (apt-get install gettext)"; exit 1; }
	DEBUG=true $(BIN)/python manage.py compilemessages --ignore "$(VENV)/*" -v 0

setup: $(BIN)/.installed messages
	DEBUG=true $(BIN)/python manage.py migrate --noinput -v 0
	DEBUG=true $(BIN)/python manage.py collectstatic --noinput -v 0
	DEBUG=true $(BIN)/python manage.py load_demo
	DEBUG=true $(BIN)/python manage.py load_demo_results

## Set up everything on a fresh clone and serve the demo consultations on http://$(HOST):$(PORT)/
run: setup
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	DEBUG=true ALLOWED_HOSTS="$${ALLOWED_HOSTS:-*}" $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: $(BIN)/.installed
	$(BIN)/ruff check .

# mypy (strict, django-stubs; configured in pyproject.toml). Its Django plugin imports the
# settings, which with DEBUG off need SECRET_KEY and SITE_URL; nothing is served or connected.
typecheck: $(BIN)/.installed
	env -u DATABASE_URL -u REDIS_URL -u BEHIND_TLS_PROXY DEBUG=false \
		SECRET_KEY=typecheck-only-not-a-secret SITE_URL=https://typecheck.invalid $(BIN)/mypy

migrations-check: $(BIN)/.installed
	env -u DATABASE_URL DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

# pytest-xdist processes for `make test`: three on our two cores, since the browser and
# live-server tests spend much of their time waiting (full-stack pass 389 s with 2, 314 s with 3).
# PYTEST_ARGS is appended: PYTEST_ARGS='-m "not browser"' for a quick run without Chromium,
# PYTEST_ARGS="-p no:xdist" (or PYTEST_WORKERS=0) to run everything in one process.
PYTEST_WORKERS ?= 3
PYTEST_XDIST := $(if $(findstring no:xdist,$(PYTEST_ARGS)),,-n $(PYTEST_WORKERS))

## Run every test (unit, integration, browser, translations); DATABASE_URL/REDIS_URL pick the full stack.
test: messages lint typecheck migrations-check
	@test -x /usr/bin/chromium || { echo "Browser tests need Debian's chromium: apt-get install chromium"; exit 1; }
	SECRET_KEY="$${SECRET_KEY:-tests-only-secret-key-not-for-any-deployment}" CACHE_KEY_PREFIX=cop-test \
		$(BIN)/python -m pytest -q $(PYTEST_XDIST) $(PYTEST_ARGS)

## The production processes (gunicorn, Celery worker and beat) on this machine, without Docker.
stack: setup
	bin/stack

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
