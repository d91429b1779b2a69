# The README's two commands are `make run` and `make test`; everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint check install clean tools services opensearch opensearch-build \
	frontend frontend-build frontend-deps client client-check

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
# PostgreSQL and Redis on loopback; then the delivery API's
# tests again on SQLite, the database `make run` uses by default (an in-memory test
# database: PostgreSQL-only SQL there once made every `?q=` search a 500).
SQLITE_SUITE := tests/delivery tests/cms/content/test_visibility.py
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
.PHONY: bench bench-smoke
bench: $(STAMP) tools services
	$(PY) -m bench.run $(BENCH_ARGS)

bench-smoke: $(STAMP) tools services
	$(PY) -m bench.run --smoke --database-url postgres://postgres@127.0.0.1:5432/cms_bench_smoke $(BENCH_ARGS)

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
