# Two commands do all the set-up on a fresh machine:
#   make run   - create .venv with a Python >= 3.12, install the project, run the default comparison
#   make test  - same environment, the whole test suite
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ARGS ?=

.PHONY: run test venv compare clean bench help

help:
	@echo "make run    - set up .venv and run the default four-strategy comparison"
	@echo "make test   - set up .venv and run the whole test suite"
	@echo "make bench  - print the performance benchmark table"
	@echo "make bench-collect - write and collect 10,000 short runs in batch mode (docs/cluster.md)"
	@echo "make slurm  - install Debian's slurm-wlm and munge (the Slurm test starts a one-node cluster)"

$(STAMP): pyproject.toml scripts/find-python.sh
	@set -e; if [ ! -x $(PY) ]; then \
	  PYBIN=$$(scripts/find-python.sh); \
	  echo "creating $(VENV) with $$PYBIN"; \
	  "$$PYBIN" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,calibration]"
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/upconv-compare $(ARGS)

# UPCONV_REQUIRE_CLUSTERS=1: a missing Slurm install fails the cluster tests instead of skipping them
test: $(STAMP) slurm
	@UPCONV_REQUIRE_CLUSTERS=1 $(PY) -m pytest $(ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: treating as failure"; exit 1; fi; exit $$rc

bench: $(STAMP)
	$(PY) scripts/benchmark.py $(ARGS)

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache

# --- browser visualiser (docs/visualiser.md) ---------------------------------------------
# make viz      - serve the SolaraViz page on http://$(VIZ_HOST):$(VIZ_PORT); VIZ_HOST is 127.0.0.1 (loopback
#                 only) unless given explicitly, e.g. make viz VIZ_HOST=0.0.0.0
# make load-viz - drive 20 headless browser sessions against one server for 60 s (scripts/load_viz.py)
# make assets   - fetch Solara's page assets from npm into $(SOLARA_ASSETS), so the page works offline
# make browser  - install Debian's chromium (for tests/test_app_browser.py) when it is missing
VIZ_HOST ?= 127.0.0.1
VIZ_PORT ?= 8765
SOLARA_ASSETS ?= $(VENV)/solara-assets
SOLARA_ASSETS_STAMP := $(SOLARA_ASSETS)/.complete

.PHONY: viz assets browser load-viz

$(SOLARA_ASSETS_STAMP): scripts/solara_assets.sh
	@command -v npm >/dev/null 2>&1 || { SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get install -y npm || { $$SUDO apt-get update && $$SUDO apt-get install -y npm; }; }
	scripts/solara_assets.sh $(SOLARA_ASSETS)
	@touch $@

assets: $(SOLARA_ASSETS_STAMP)

browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; export DEBIAN_FRONTEND=noninteractive; \
	  echo "installing Debian chromium for the browser test"; \
	  $$SUDO apt-get install -y chromium || { $$SUDO apt-get update && $$SUDO apt-get install -y chromium; }; \
	fi

viz: $(STAMP) $(SOLARA_ASSETS_STAMP)
	SOLARA_ASSETS_PROXY_CACHE_DIR="$(abspath $(SOLARA_ASSETS))" SOLARA_TELEMETRY_MIXPANEL_ENABLE=False \
	  $(VENV)/bin/solara run simulation/viz/app.py --host $(VIZ_HOST) --port $(VIZ_PORT) --no-open --production

test: $(SOLARA_ASSETS_STAMP) browser

load-viz: $(STAMP) $(SOLARA_ASSETS_STAMP) browser
	$(PY) scripts/load_viz.py $(ARGS)

# --- clusters (docs/cluster.md) ------------------------------------------------------------
# make slurm        - install Debian's slurm-wlm and munge when missing (tests/run/test_slurm.py starts a
#                     one-node cluster on 127.0.0.1 from them, in a temporary folder, and stops it)
# make bench-collect - write and collect 10,000 short teaching runs in batch mode (scripts/bench_collect.py)
.PHONY: slurm bench-collect

slurm:
	@if [ ! -x /usr/sbin/slurmctld ] || [ ! -x /usr/sbin/slurmd ] || [ ! -x /usr/sbin/munged ] || \
	    ! command -v sbatch >/dev/null 2>&1; then \
	  SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; export DEBIAN_FRONTEND=noninteractive; \
	  echo "installing Debian slurm-wlm and munge for the Slurm test"; \
	  $$SUDO apt-get install -y slurm-wlm munge || { $$SUDO apt-get update && $$SUDO apt-get install -y slurm-wlm munge; }; \
	fi

bench-collect: $(STAMP)
	$(PY) scripts/bench_collect.py $(ARGS)

# --- experiments and sweeps (docs/experiments.md) ------------------------------------------
# make experiment NAME=strategy_comparison  - python -m experiments.NAME: its sweep on all local cores (joblib), then
#                                             its analysis; ARGS go to it (python -m experiments.NAME --help)
# make experiments                          - every preset of conf/experiment, one after the other
# make bench-sweep ARGS="--runs 100"        - time a joblib sweep of london_challenge runs (target: 1,000 in 10 min)
EXPERIMENTS := $(basename $(notdir $(wildcard conf/experiment/*.yaml)))  # one per preset (the one list)
NAME ?= strategy_comparison

.PHONY: experiment experiments bench-sweep

experiment: $(STAMP)
	$(PY) -m experiments.$(NAME) $(ARGS)

experiments: $(STAMP)
	@for name in $(EXPERIMENTS); do $(MAKE) --no-print-directory experiment NAME=$$name || exit 1; done

bench-sweep: $(STAMP)
	$(PY) scripts/bench_sweep.py $(ARGS)
