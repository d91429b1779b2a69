# The README's two commands are `make run` and `make test`; everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint check install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# The whole CMS in the foreground: embedded Redis (unless REDIS_URL is set), SQLite
# (unless DATABASE_URL is set), migrations, admin user, demo content, web + worker + beat.
run: $(STAMP)
	$(PY) -m cms.stack

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: $(STAMP)
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py makemigrations --check --dry-run

# The whole suite, against PostgreSQL and Redis on loopback.
test: lint check
	$(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf var
