# The README's two commands are `make run` and `make test`; everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Two installs from the lock files (requirements/*.txt, hashes checked; `make lock`
# writes them from pyproject.toml's ranges): the runtime alone for `make run`, the
# runtime and the test tools for everything else.
RUNTIME_STAMP := $(VENV)/.installed-runtime
STAMP := $(VENV)/.installed
PIP_LOCKED := $(PY) -m pip install --quiet --no-deps --require-hashes

.PHONY: run test lint check install clean tools services opensearch opensearch-build \
	lock test-py313 frontend frontend-build frontend-deps client client-check

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): $(VENV)/bin/python requirements/base.txt pyproject.toml
	$(PIP_LOCKED) -r requirements/base.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(RUNTIME_STAMP)

$(STAMP): $(VENV)/bin/python requirements/test.txt pyproject.toml
	$(PIP_LOCKED) -r requirements/test.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP) $(RUNTIME_STAMP)

install: $(STAMP)

# The lock files, from pyproject.toml's ranges: one resolution for every Python from
# 3.11 up and every platform (uv's --universal), with hashes. s3 and test are
# constrained to base's versions, so tests run what production runs.
UV_COMPILE := $(VENV)/bin/uv pip compile pyproject.toml --quiet --universal \
	--python-version 3.11 --generate-hashes
lock: $(STAMP)
	$(UV_COMPILE) -o requirements/base.txt
	$(UV_COMPILE) --extra s3 -c requirements/base.txt -o requirements/s3.txt
	$(UV_COMPILE) --extra s3 --extra test -c requirements/base.txt -o requirements/test.txt

# The whole CMS in the foreground: embedded Redis (unless REDIS_URL is set), SQLite
# (unless DATABASE_URL is set), migrations, admin user, demo content, web + worker + beat.
# Installs the runtime only (requirements/base.txt), no test tools.
run: $(RUNTIME_STAMP)
	$(PY) -m cms.stack

# ruff, then the import rules of pyproject.toml ([tool.importlinter]): layers only
# point down and no package's modules import each other in a circle.
# (scripts/import_cycles.py lists any cycle there is, function-level imports included.)
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

check: $(STAMP)
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) manage.py makemigrations --check --dry-run

# PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 for the suite: installed
# with apt-get (as root) and started when they do not answer; a machine that already
# runs them is left alone. DATABASE_URL / REDIS_URL point the suite elsewhere instead;
# SKIP_SERVICES=1 skips it. See scripts/services.sh.
services:
	bash scripts/services.sh

# Machine tools the suite drives: Debian's Chromium (browser tests), wrk (benchmark
# smoke test) and a compose client (docker-compose.yml check), installed with apt-get
# when missing; never a browser download.
tools:
	bash scripts/services.sh tools

# The whole suite (client-check first: the typed client matches the API), against
# PostgreSQL and Redis on loopback; then the delivery API's and the comments API's
# tests again on SQLite, the database `make run` uses by default (an in-memory test
# database: PostgreSQL-only SQL there once made every `?q=` search a 500).
SQLITE_SUITE := tests/delivery tests/cms/content/test_visibility.py tests/comments \
	--ignore=tests/comments/test_events_worker.py
test: lint check client-check tools services opensearch-build
	$(PY) -m pytest $(PYTEST_ARGS)
	DATABASE_URL=sqlite:///var/test-default.sqlite3 $(PY) -m pytest -p no:cacheprovider $(SQLITE_SUITE)

clean:
	rm -rf var

# A real OpenSearch 2.19 node from Maven Central (search/opensearch_node/: the
# integ-test-zip distribution, the analysis-common module and a small launcher; Java
# 17 and Maven, cached under var/opensearch/ and ~/.m2), in the foreground on
# 127.0.0.1:9200 (OPENSEARCH_ARGS="--port 9250" for another). The suite starts its own
# on free ports; `opensearch-build` only builds it (make test does, before the suite).
opensearch: $(STAMP)
	$(PY) -m search.opensearch_node $(OPENSEARCH_ARGS)

opensearch-build: $(STAMP)
	$(PY) -m search.opensearch_node --build-only

# Benchmarks (bench/, docs/benchmarks.md): ours against stock Wagtail and the floor.
# PostgreSQL on loopback; the harness starts its own Redis. BENCH_ARGS passes options.
.PHONY: bench bench-smoke bench-scale
bench: $(STAMP) tools services
	$(PY) -m bench.run $(BENCH_ARGS)

bench-smoke: $(STAMP) tools services
	$(PY) -m bench.run --smoke --database-url postgres://postgres@127.0.0.1:5432/cms_bench_smoke $(BENCH_ARGS)

# Search and delivery at 10,000 and 100,000 articles on PostgreSQL and a real
# OpenSearch node (bench/scale.py; about 25 minutes, not in CI); then
# `python -m bench.report bench/results/<the make bench run>.json` writes the docs.
bench-scale: $(STAMP) tools services opensearch-build
	$(PY) -m bench.scale --fresh $(BENCH_ARGS)

# The test lock on Python 3.13 (Debian 13's, in a chroot: this machine's Debian has
# only 3.11) and a test subset on it; PY313_TESTS picks the tests. Root; see the script.
test-py313: services
	bash scripts/python313.sh

# The reference front end (frontend/, docs/frontend.md) against a running CMS:
# npm ci from the lock file, `next build` when its sources changed, its webhook
# endpoint registered (CMS_API_TOKEN through the API, else on this checkout's
# database), then `next start` on FRONTEND_PORT (3000) reading CMS_URL
# (http://127.0.0.1:8000). See cms/frontend.py.
frontend: $(STAMP)
	$(PY) -m cms.frontend

# Only the build (npm ci when needed, `next build` when the sources changed): what
# tests/frontend and bench/frontend_latency.py reuse; .ci/run times it alone.
frontend-build: $(STAMP)
	$(PY) -m cms.frontend --build-only

# The client's and the front end's npm dependencies, exactly as locked.
frontend-deps:
	npm ci --no-audit --no-fund --loglevel error

# The typed client (clients/typescript/) from the API's OpenAPI document, dumped
# without a server: `client` rewrites it, `client-check` fails when the checked-in
# client differs or does not type-check (with the front end that uses it).
client: $(STAMP)
	bash scripts/client.sh generate

client-check: $(STAMP)
	bash scripts/client.sh check
