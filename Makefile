# Two commands do all set-up (see README.md):
#   make run    install, migrate, load demo data, start the app and its task worker
#   make test   install (Chromium and poppler-utils too, where missing), lint, check migrations, run every test
# Both are safe to run again: each step redoes only what has changed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint check-migrations pytest deploy-check bench bench-sampling clean

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_data
	HOST=$(HOST) PORT=$(PORT) scripts/run-dev.sh

test: install /usr/bin/chromium /usr/bin/pdftotext lint check-migrations pytest

install: $(VENV)/.installed node_modules/.installed var/static-build/css/application.css

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes \
		-r requirements/base.txt -r requirements/dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

var/static-build/css/application.css: frontend/application.scss node_modules/.installed
	npm run --silent build:css

# Debian's Chromium for the browser tests; never a browser downloaded by a test tool.
/usr/bin/chromium:
	scripts/install-chromium.sh

# Debian's poppler-utils (pdftotext, pdfinfo): the tests read the audit PDF back with them.
/usr/bin/pdftotext:
	scripts/install-debian-packages.sh /usr/bin/pdftotext poppler-utils

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check-migrations: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

pytest: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# What production will say about its own settings (docs/deploy.md).
deploy-check: install
	DJANGO_SECRET_KEY=check-only-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	DJANGO_ALLOWED_HOSTS=qa.example.org \
	$(PY) manage.py check --deploy --fail-level WARNING --settings=config.settings.production

# The import benchmark (docs/performance.md): SQLite and PostgreSQL, a few minutes.
# Options through BENCH_ARGS, e.g. make bench BENCH_ARGS="--database sqlite --repeat 1".
bench: $(VENV)/.installed
	$(PY) -m bench.import_benchmark $(BENCH_ARGS)

# The dip sample and drift benchmark (docs/performance.md): 100,000 EHAs, both databases, ~1 minute.
bench-sampling: $(VENV)/.installed
	$(PY) -m bench.sampling_benchmark $(BENCH_ARGS)

# The quarterly report and dashboard benchmark (docs/performance.md): 100,000 EHAs, 20,000
# audits, both databases, a few minutes.
.PHONY: bench-reports
bench-reports: $(VENV)/.installed
	$(PY) -m bench.reports $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var/static-build staticfiles
