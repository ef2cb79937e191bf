"""The kit on its own: discovery, a second emulator plugged in from outside, the Python API, the CLI, walls."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

import crm_pipelines.sandbox as sandbox_pkg
from crm_pipelines.sandbox import HubSpotConfig, Sandbox
from crm_pipelines.sandbox.kit.http.cli import build_parser, configs_from_args
from crm_pipelines.sandbox.kit.spec import discover

HERE = Path(__file__).parent


@pytest.fixture()
def acme(tmp_path: Path) -> Any:
    """The README's skeleton emulator, installed as a package of crm_pipelines.sandbox for one test."""
    (tmp_path / "acme").mkdir()
    shutil.copy(HERE / "acme_emulator.py", tmp_path / "acme" / "__init__.py")
    sandbox_pkg.__path__.append(str(tmp_path))
    discover.cache_clear()
    try:
        yield
    finally:
        sandbox_pkg.__path__.remove(str(tmp_path))
        sys.modules.pop("crm_pipelines.sandbox.acme", None)
        discover.cache_clear()


def test_discovery_finds_emulator_packages_but_not_the_kit() -> None:
    specs = discover()
    assert "hubspot" in specs and "kit" not in specs
    assert specs["hubspot"].config_class is HubSpotConfig


def test_a_new_emulator_is_served_without_touching_the_kit(acme: None) -> None:
    assert set(discover()) >= {"acme", "hubspot"}
    from crm_pipelines.sandbox import AcmeConfig  # type: ignore[attr-defined]

    with Sandbox(acme=AcmeConfig(counts={"customers": 60}), hubspot={"counts": {"contacts": 10}}) as sb:
        index = httpx.get(sb.url + "/").json()
        assert index["emulators"] == ["acme", "hubspot"]
        api = httpx.Client(base_url=sb.acme_url, headers={"x-api-key": "acme-key"})
        ctl = httpx.Client(base_url=sb.url + "/_sandbox/acme")
        assert httpx.get(sb.acme_url + "/v1/customers").status_code == 401
        seen, offset, pages = [], 0, 0
        while offset is not None:
            pages += 1
            body = api.get("/v1/customers", params={"offset": offset}).json()
            seen += [str(r["id"]) for r in body["results"]]
            offset = body["next_offset"]
        assert seen == ctl.get("/truth/customers").json()["ids"]
        # The kit's faults, mutations and stats work for it unchanged.
        assert ctl.post("/faults", json={"rules": [{"route": "list", "status": 503, "times": 1}]}).status_code == 200
        assert api.get("/v1/customers").status_code == 503
        assert api.get("/v1/customers").status_code == 200
        bad = ctl.post("/faults", json={"rules": [{"route": "search", "status": 503}]})
        assert bad.status_code == 400 and "list" in bad.json()["error"]
        target = seen[3]
        ctl.post("/mutations", json={"object_type": "customers", "ids": [target], "action": "archive"})
        assert target not in ctl.get("/truth/customers").json()["ids"]
        assert pages > 1 and ctl.get("/stats").json()["statuses"] == {"401": 1, "200": pages + 1, "503": 1}
        assert sb.hubspot.config.counts["contacts"] == 10


def test_python_api_is_generic_over_crm_names() -> None:
    with Sandbox(hubspot={"counts": {"contacts": 25}, "token": "t"}) as sb:
        assert sb.emulator("hubspot") is sb.hubspot
        assert sb.url_for("hubspot") == sb.hubspot_url == f"http://127.0.0.1:{sb.port}/hubspot"
        assert sb.hubspot.config.counts["contacts"] == 25
        with pytest.raises(AttributeError):
            sb.arrivy_url  # noqa: B018 - not served
        with pytest.raises(KeyError):
            sb.emulator("arrivy")
    with pytest.raises(KeyError, match="available"):
        Sandbox(nosuchcrm={})


def test_cli_generic_flags_and_kept_hubspot_flags(tmp_path: Path) -> None:
    specs = discover()
    parser = build_parser(specs)
    cfg_file = tmp_path / "hs.json"
    cfg_file.write_text(json.dumps({"seed": 1, "token": "from-file", "counts": {"deals": 3}}))
    args = parser.parse_args(["--config", f"hubspot={cfg_file}", "--seed", "9", "--set", "hubspot.list_clamp=true",
                              "--set", "hubspot.counts.contacts=7", "--hubspot-token", "flag", "--latency-ms", "5"])
    cfg = configs_from_args(args, specs)["hubspot"]
    assert (cfg.seed, cfg.token, cfg.list_clamp, cfg.latency_ms) == (9, "flag", True, 5)
    assert cfg.counts["contacts"] == 7 and cfg.counts["deals"] == 3 and cfg.counts["companies"] == 500
    old = configs_from_args(parser.parse_args(["--hubspot-counts", "contacts=11", "--hubspot-config",
                                               str(cfg_file)]), specs)["hubspot"]
    assert (old.counts["contacts"], old.counts["deals"], old.token) == (11, 3, "from-file")
    with pytest.raises(ValueError, match="no emulator"):
        configs_from_args(parser.parse_args(["--set", "nope.seed=1"]), specs)
    with pytest.raises(ValueError, match="unknown HubSpotConfig field"):
        configs_from_args(parser.parse_args(["--set", "hubspot.nope=1"]), specs)


def test_generator_needs_no_http_stack_and_the_sandbox_keeps_its_wall() -> None:
    """Data generation imports without starlette/uvicorn; nothing in the sandbox imports core or sources."""
    script = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in ("starlette", "uvicorn"):
            raise ImportError("blocked: " + name)
sys.meta_path.insert(0, Block())
from crm_pipelines.sandbox import HubSpotConfig
from crm_pipelines.sandbox.hubspot.data import HubSpotData
from crm_pipelines.sandbox.kit.generate import hashing, pooled, pools, tables, timefmt
from crm_pipelines.sandbox.kit import discover
data = HubSpotData(HubSpotConfig(counts={"contacts": 50}))
rows = data.tables["contacts"].render(data.tables["contacts"].window(None, None, "any")[:3], ("email",))
assert len(rows) == 3 and set(discover()) >= {"hubspot"}
sys.meta_path.pop(0)
import crm_pipelines.sandbox.kit.http.cli, crm_pipelines.sandbox.hubspot.routes
bad = sorted(m for m in sys.modules if m.startswith(("crm_pipelines.core", "crm_pipelines.sources")))
assert not bad, bad
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr
