# Citizen Journeys: `make run` sets everything up and serves the app; `make test` sets up
# and runs the whole suite. Every target is idempotent: steps already done are skipped.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# TEST_POSTGRES=1 make test: the suite also runs on a throw-away PostgreSQL server.
TEST_POSTGRES ?=
ifneq ($(filter 1 yes true,$(TEST_POSTGRES)),)
WITH_POSTGRES := scripts/with-postgres
SETUP_POSTGRES := postgres
endif

.PHONY: run test setup setup-test system browser postgres venv venv-test assets assets-test \
	db lint bench clean translations messages

run: setup db
	@echo "Citizen Journeys on http://$(HOST):$(PORT)/ (stop with Ctrl-C)"
	$(BIN)/journeys serve --host $(HOST) --port $(PORT) --workers 2

test: setup-test $(SETUP_POSTGRES)
	$(BIN)/ruff check .
	$(WITH_POSTGRES) $(BIN)/pytest

# Serving needs the package and htmx; testing adds the test tools, Chromium and the npm
# packages the tests drive (mermaid, jsdom, axe-core).
setup: system venv assets
setup-test: system browser venv-test assets-test

# System packages through apt-get when missing: Graphviz's dot, npm, and Pango, HarfBuzz and a
# font for the PDF design brief (WeasyPrint).
system:
	@missing=""; \
	command -v dot >/dev/null 2>&1 || missing="$$missing graphviz"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' && ldconfig -p | grep -q 'libharfbuzz-subset.so.0' \
	  || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"; \
	[ -n "$$(fc-list 2>/dev/null)" ] || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing$$missing with apt-get"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	  else \
	    echo "Please install$$missing with your system's package manager (this setup knows apt-get only)." >&2; \
	    exit 1; \
	  fi; \
	fi

# Debian's Chromium, for the browser tests (Playwright drives it; no browser download).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing chromium with apt-get (browser tests)"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; \
	  else \
	    echo "Please install Chromium (the browser tests drive it headless)." >&2; exit 1; \
	  fi; \
	fi

# Debian's PostgreSQL server, for TEST_POSTGRES=1 (scripts/with-postgres starts a cluster of
# its own for the run, on a free loopback port, and removes it afterwards).
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing postgresql with apt-get (TEST_POSTGRES=1)"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql; \
	  else \
	    echo "Please install the PostgreSQL server (TEST_POSTGRES=1 runs the tests on it)." >&2; exit 1; \
	  fi; \
	fi

venv: $(VENV)/.installed-run
venv-test: $(VENV)/.installed-test

$(VENV)/.installed-run: pyproject.toml
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	@if [ $(VENV)/.installed-test -nt pyproject.toml ]; then :; else \
	  $(BIN)/python -m pip install -q --upgrade pip && $(BIN)/python -m pip install -q -e .; fi
	@touch $@

$(VENV)/.installed-test: pyproject.toml
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@ $(VENV)/.installed-run

# Front-end assets from the npm registry at the versions pinned in package-lock.json:
# htmx and GOV.UK Frontend (its Sass compiled with our font settings) copied into the
# git-ignored static/vendor/ with Swagger UI for the API's documentation page, and the interface's translations compiled.
SWAGGER_UI := static/vendor/swagger-ui/swagger-ui-bundle.js
VENDOR := static/vendor/htmx.min.js static/vendor/govuk-frontend.css \
	static/vendor/govuk-frontend.min.js $(SWAGGER_UI)
CATALOGUES := $(wildcard journeys/web/translations/*/LC_MESSAGES/messages.po)
assets: node_modules/.installed-run $(VENDOR) translations
assets-test: node_modules/.installed-test $(VENDOR) translations
translations: $(CATALOGUES:.po=.mo)

journeys/web/translations/%/LC_MESSAGES/messages.mo: \
		journeys/web/translations/%/LC_MESSAGES/messages.po | venv
	$(BIN)/pybabel compile -d journeys/web/translations -l $* -i $< -o $@

node_modules/.installed-run: package.json package-lock.json
	@if [ node_modules/.installed-test -nt package-lock.json ] && \
	    [ node_modules/.installed-test -nt package.json ]; then :; else \
	  npm ci --omit=dev --no-audit --no-fund --loglevel=error; fi
	@touch $@

node_modules/.installed-test: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@ node_modules/.installed-run

static/vendor/htmx.min.js: package-lock.json
	@mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $@

# The API documentation page (/api/v1/docs) runs Swagger UI from this site, not a CDN.
$(SWAGGER_UI): package-lock.json
	@mkdir -p static/vendor/swagger-ui
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
	  static/vendor/swagger-ui/

static/vendor/govuk-frontend.min.js: package-lock.json
	@mkdir -p static/vendor
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $@

static/vendor/govuk-frontend.css: static/scss/govuk.scss package-lock.json
	@mkdir -p static/vendor
	node_modules/.bin/sass --no-source-map --style=compressed --load-path=node_modules \
	  --quiet-deps static/scss/govuk.scss $@

# Regenerate the catalogues' templates after changing interface text.
messages: venv-test
	$(BIN)/pybabel extract -F babel.cfg -k _l --no-location --omit-header \
	  -o journeys/web/translations/messages.pot journeys/web templates
	$(BIN)/pybabel update -i journeys/web/translations/messages.pot -d journeys/web/translations

db: venv
	$(BIN)/journeys demo

lint: venv-test
	$(BIN)/ruff check .

bench: setup-test
	$(BIN)/python benchmarks/render.py
	$(BIN)/python benchmarks/propose.py
	$(BIN)/python benchmarks/editor.py
	$(BIN)/python benchmarks/edit.py
	$(BIN)/python benchmarks/api.py

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache .ruff_cache .hypothesis
