# Two commands for a newcomer: `make run` (the app on a demo database) and `make test`.
# Both install what is missing: Debian packages, a virtual environment, pinned Python packages.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB ?= .demo/coopdesk-demo.sqlite3
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock 2>/dev/null | sha1sum | cut -c1-12)

.PHONY: setup run demo test test-pg bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@bash installers/system-deps.sh
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "CoopDesk needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

$(DEMO_DB): | $(STAMP)
	@mkdir -p $(dir $(DEMO_DB))
	$(BIN)/coopdesk --db $(DEMO_DB) demo --force

demo: $(STAMP)
	@mkdir -p $(dir $(DEMO_DB))
	$(BIN)/coopdesk --db $(DEMO_DB) demo --force

run: $(STAMP) $(DEMO_DB)
	$(BIN)/coopdesk --db $(DEMO_DB)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2 -q

# Only the PostgreSQL tests, on a throwaway server (.ci/postgres.sh) stopped afterwards.
# `make test` runs them too when COOPDESK_TEST_PG is set (CI: .ci/run).
test-pg: $(STAMP)
	@pg_env="$$(bash .ci/postgres.sh start)" && eval "$$pg_env" && status=0 && \
	COOPDESK_REQUIRE_PG=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2 -q -m postgres || status=$$?; \
	bash .ci/postgres.sh stop; exit $${status:-1}

bench: $(STAMP)
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .demo .pytest_cache .hypothesis build *.egg-info
