# Legwork: `make demo` to try it, `make test` to run the suite. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000

# Settings for `make serve` may be kept in .env (see .env.example); it is read if present.
-include .env
export

.PHONY: venv demo test test-postgres e2e serve lint format check bench screenshots clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --url http://127.0.0.1:$(PORT)/
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: venv
	$(BIN)/python -m pytest -m "not e2e and not screenshots and not twoservers"

test-postgres: venv
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/legwork} $(BIN)/python -m pytest -m "not e2e and not screenshots and not twoservers"

e2e: venv
	$(BIN)/python -m pytest -m e2e

# Pictures of the main pages for the README (Debian's chromium), from the demo clinic.
screenshots: venv
	$(BIN)/python -m pytest -m screenshots -q

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Production: gunicorn + whitenoise, DEBUG off. Refuses to start without DJANGO_SECRET_KEY.
serve: venv
	DJANGO_DEBUG=false $(BIN)/python manage.py check --deploy
	DJANGO_DEBUG=false $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=false $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DJANGO_DEBUG=false $(BIN)/gunicorn config.wsgi --bind $${LEGWORK_BIND:-127.0.0.1:$(PORT)} \
		--workers $${LEGWORK_WORKERS:-2} --access-logfile -

# The benchmark (not a test): PostgreSQL on 127.0.0.1:5432, Redis on 127.0.0.1:6379, Debian's
# wrk and chromium (slow-3G visits); writes
# docs/benchmarks.md. BENCH_ARGS="--patients 1000 --seconds 5" for a quicker run.
bench: venv
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)
	pg_isready -h 127.0.0.1 -q || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
