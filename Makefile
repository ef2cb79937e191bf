# Every target works on a fresh machine with only Python 3.11+: it creates .venv and installs what it needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: demo dev test sandbox bench clean

$(VENV)/.installed-run: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-run
	$(PY) -m pip install -q -e '.[test]'
	touch $@

demo: $(VENV)/.installed-run
	$(PY) -m crm_pipelines.local.demo

dev: $(VENV)/.installed-run
	$(PY) -m crm_pipelines.local.dev

sandbox: $(VENV)/.installed-run
	$(PY) -m crm_pipelines.sandbox

test: $(VENV)/.installed-test
	$(PY) -m pytest

clean:
	rm -rf $(VENV) .crm_pipelines
