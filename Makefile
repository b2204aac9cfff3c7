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

$(STAMP): pyproject.toml scripts/find-python.sh
	@set -e; if [ ! -x $(PY) ]; then \
	  PYBIN=$$(scripts/find-python.sh); \
	  echo "creating $(VENV) with $$PYBIN"; \
	  "$$PYBIN" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/upconv-compare $(ARGS)

test: $(STAMP)
	@$(PY) -m pytest $(ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: treating as failure"; exit 1; fi; exit $$rc

bench: $(STAMP)
	$(PY) scripts/benchmark.py $(ARGS)

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
