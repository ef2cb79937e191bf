"""Replay quarantined records through the current processor and schema: the ones that now pass are loaded
(and their quarantine rows resolved by the load); the others get their reasons refreshed."""


from collections.abc import Iterator, Sequence
from typing import Any

from dagster import Config, OpExecutionContext, job, op
from psycopg import sql

from crm_pipelines.core import ddl
from crm_pipelines.core.entity import EntitySpec
from crm_pipelines.core.redelivery import refuse_redelivered_step
from crm_pipelines.core.validation import split_valid


class ReplayConfig(Config):
    crm: str | None = None     # None: every CRM
    entity: str | None = None  # None: every entity of the CRM(s)
    dry_run: bool = False
    batch_size: int = 5000


def replay_entity(warehouse: Any, spec: EntitySpec, run_id: str, *, dry_run: bool = False,
                  batch_size: int = 5000) -> dict[str, int]:
    counts = {"replayed": 0, "loaded": 0, "still_quarantined": 0}
    with warehouse.session(spec, run_id, dry_run=dry_run) as session:
        for raws in _open_quarantine(warehouse, spec, batch_size):
            valid, quarantined = split_valid(spec, spec.process(raws))
            session.load(valid)
            session.quarantine(quarantined)
            counts["replayed"] += len(raws)
            counts["loaded"] += len(valid)
            counts["still_quarantined"] += len(quarantined)
    return counts


def _open_quarantine(warehouse: Any, spec: EntitySpec, batch_size: int) -> Iterator[list[dict[str, Any]]]:
    """Stream the open quarantine rows' raw records on a connection of their own (bounded memory)."""
    with warehouse.connect() as conn:
        exists = conn.execute("SELECT to_regclass(%s)", (f"{spec.crm}._quarantine",)).fetchone()[0]
        if exists is None:
            return
        with conn.cursor(name="replay") as cur:
            cur.execute(sql.SQL("SELECT raw FROM {} WHERE entity = %s AND resolved_at IS NULL ORDER BY source_id")
                        .format(ddl.quarantine_ident(spec.crm)), (spec.name,))
            while rows := cur.fetchmany(batch_size):
                yield [row[0] for row in rows]


def build_replay_job(specs: Sequence[EntitySpec]):
    by_name = {(s.crm, s.name): s for s in specs}

    @op(required_resource_keys={"warehouse"})
    def replay_quarantined_records(context: OpExecutionContext, config: ReplayConfig) -> None:
        refuse_redelivered_step(context)
        chosen = [s for (crm, name), s in by_name.items()
                  if config.crm in (None, crm) and config.entity in (None, name)]
        if not chosen:
            raise ValueError(f"replay_quarantine: no entity matches crm={config.crm!r} entity={config.entity!r}")
        for spec in chosen:
            counts = replay_entity(context.resources.warehouse, spec, context.run_id, dry_run=config.dry_run,
                                   batch_size=config.batch_size)
            context.log.info(f"{spec.table}: {counts}")

    @job(name="replay_quarantine", description="Replay quarantined records through the current schemas.")
    def replay_quarantine():
        replay_quarantined_records()

    return replay_quarantine
