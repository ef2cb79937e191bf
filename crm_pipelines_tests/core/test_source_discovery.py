"""Sources are found, not listed: a package under crm_pipelines/sources/ with a SOURCE is a CRM, and a
package without one (or named after another CRM) fails the code location's load loudly."""

from __future__ import annotations

import sys

import pytest

import crm_pipelines.sources as sources_package
from crm_pipelines.sources import discover

DECLARATION = '''
from crm_pipelines.core.source import SandboxWiring, Source
SOURCE = Source(crm="{crm}", entities=[], resources=dict, minute=7, sandbox=SandboxWiring(env=lambda root: {{}}))
'''


@pytest.fixture
def extra_sources(tmp_path, monkeypatch):
    monkeypatch.setattr(sources_package, "__path__", [*sources_package.__path__, str(tmp_path)])
    yield tmp_path
    for name in [m for m in sys.modules if m.startswith("crm_pipelines.sources.zz")]:
        del sys.modules[name]


def _package(root, name: str, text: str) -> None:
    (root / name).mkdir()
    (root / name / "__init__.py").write_text(text)


def test_a_new_package_with_a_declaration_is_discovered(extra_sources):
    _package(extra_sources, "zzcrm", DECLARATION.format(crm="zzcrm"))
    found = {source.crm: source for source in discover()}
    assert "hubspot" in found and found["zzcrm"].minute == 7 and found["zzcrm"].pool_name == "zzcrm_api"


def test_a_package_without_a_declaration_fails_loudly(extra_sources):
    _package(extra_sources, "zzbare", '"""no SOURCE here"""\n')
    with pytest.raises(TypeError, match="crm_pipelines.sources.zzbare must expose SOURCE"):
        discover()


def test_a_declaration_must_be_named_after_its_package(extra_sources):
    _package(extra_sources, "zzother", DECLARATION.format(crm="somethingelse"))
    with pytest.raises(ValueError, match="declares crm 'somethingelse'"):
        discover()


def _source(**overrides):
    from crm_pipelines.core.source import SandboxWiring, Source

    fields = dict(crm="zz", entities=[], resources=dict, minute=5, sandbox=SandboxWiring(env=lambda root: {}))
    return Source(**{**fields, **overrides})


def test_a_declaration_is_checked_when_it_is_made():
    from crm_pipelines.core.removal import RemovalSpec
    from crm_pipelines.sources.hubspot import SOURCE as HUBSPOT

    with pytest.raises(ValueError, match="schedule minute must be 0..29, got 45"):
        _source(minute=45)
    with pytest.raises(ValueError, match="entities must belong to this CRM"):
        _source(entities=list(HUBSPOT.entities))
    with pytest.raises(ValueError, match=r"removal specs for unknown entities \['ghosts'\]"):
        _source(removals=[RemovalSpec(crm="zz", entity="ghosts", resource_key="zz", find_deleted=lambda c, k: [])])
    assert _source(pool="zz_db").pool_name == "zz_db"
