# Riskward: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
VENDOR := src/riskward/static/vendor
export RISKWARD_DATA_DIR ?= $(CURDIR)/var

.PHONY: install demo serve test test-postgres lint format typecheck layers migrations-check deploy-check openapi openapi-check bench-fair clean

install: $(STAMP) $(VENDOR)/htmx.min.js

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# htmx comes from the npm registry (pinned in package.json + lockfile); pages work without it.
$(VENDOR)/htmx.min.js: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --silent --no-audit --no-fund && mkdir -p $(VENDOR) && \
	  cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js; \
	else echo "npm not found: pages will work without htmx"; mkdir -p $(VENDOR); touch $@; fi

demo: install
	$(BIN)/riskward demo
	$(BIN)/riskward serve

serve: install
	$(BIN)/riskward serve

test: install
	$(BIN)/pytest -q -n 2

test-postgres: install
	RISKWARD_DATABASE_URL=$${RISKWARD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -q -n 2

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

typecheck: install
	$(BIN)/mypy

layers: install
	$(BIN)/lint-imports

migrations-check: install
	$(BIN)/riskward makemigrations --check --dry-run

deploy-check: install
	RISKWARD_ENV=production RISKWARD_SECRET_KEY=ci-check-$$(date +%s)-not-a-real-secret-key-0123456789abcdef \
	RISKWARD_ALLOWED_HOSTS=riskward.example.com $(BIN)/riskward check --deploy --fail-level WARNING

openapi: install
	$(BIN)/riskward export_openapi_schema --api riskward.api.api --indent 2 --output docs/openapi.json

# The committed OpenAPI document must match the code (API changes are reviewed as diffs).
openapi-check: install
	$(BIN)/riskward export_openapi_schema --api riskward.api.api --indent 2 --output /tmp/riskward-openapi.json
	diff -u docs/openapi.json /tmp/riskward-openapi.json

# Open FAIR engine against pyfair (bench/README.md); creates bench/.venv-pyfair on the first run.
bench-fair: install
	$(BIN)/python bench/fair.py --setup

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
