"""What a CRM source declares, once: its entities, resources, pool, schedule slot, alert thresholds,
freshness, removal specs and how the local stack points it at its sandbox emulator.

Each `crm_pipelines/sources/<crm>/__init__.py` exposes one `SOURCE = Source(...)`; the code location, the
local stack, `make demo` and the tests discover them, so adding a CRM touches only its own folders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dagster import AssetsDefinition, DailyPartitionsDefinition

from crm_pipelines.core.assets import build_entity_asset
from crm_pipelines.core.checks import Thresholds
from crm_pipelines.core.entity import EntitySpec
from crm_pipelines.core.removal import RemovalSpec, build_removal_asset


@dataclass(frozen=True)
class SandboxWiring:
    """How the local stack (`make demo`, `make dev`) runs this source against its sandbox emulator.

    `env(root_url)` gives the environment variables that point the source's resources at the sandbox
    (served under `<root_url>/<crm>`) with the sandbox's credentials. `resource_config` is the run config of
    each resource for the demo's runs (e.g. client-side pacing off: the sandbox enforces no budget there);
    values may name environment variables as `{"env": "NAME"}`.
    """

    env: Callable[[str], dict[str, str]]
    resource_config: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    crm: str
    entities: Sequence[EntitySpec]
    # Built when the code location loads: secrets as dagster.EnvVar, so an unset credential fails the run,
    # not the load.
    resources: Callable[[], Mapping[str, Any]]
    minute: int  # the hourly schedule's minute (the legacy system's staggered slot)
    sandbox: SandboxWiring
    pool: str = ""  # "" = "<crm>_api"
    thresholds: Thresholds = field(default_factory=Thresholds)
    freshness: dt.timedelta = dt.timedelta(hours=2)        # hourly-scheduled (partitioned) entities
    weekly_freshness: dt.timedelta = dt.timedelta(days=8)  # weekly full-refresh entities
    removals: Sequence[RemovalSpec] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.minute < 30:
            # The weekly run starts at 03:30 + minute: both must stay within the hour.
            raise ValueError(f"{self.crm}: schedule minute must be 0..29, got {self.minute}")
        names = [spec.name for spec in self.entities]
        strangers = sorted({spec.crm for spec in self.entities} - {self.crm})
        if strangers or len(set(names)) != len(names):
            raise ValueError(f"{self.crm}: entities must belong to this CRM and have unique names "
                             f"(other CRMs: {strangers}, names: {names})")
        unknown = sorted({r.entity for r in self.removals} - set(names))
        if unknown:
            raise ValueError(f"{self.crm}: removal specs for unknown entities {unknown}")

    @property
    def pool_name(self) -> str:
        return self.pool or f"{self.crm}_api"

    def entity(self, name: str) -> EntitySpec:
        return next(spec for spec in self.entities if spec.name == name)

    def entity_assets(self, partitions: DailyPartitionsDefinition | None) -> dict[str, AssetsDefinition]:
        return {spec.name: build_entity_asset(spec, partitions, self.thresholds, self.pool_name)
                for spec in self.entities}

    def removal_assets(self) -> list[AssetsDefinition]:
        return [build_removal_asset(removal, self.entity(removal.entity), self.pool_name)
                for removal in self.removals]
