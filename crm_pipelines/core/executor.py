"""Where a run's steps execute: in the run's own process, or on Celery workers when a broker is configured.

CRM_CELERY_BROKER_URL (`amqp://user:password@host:5672/vhost`) turns every CRM job, and the asset jobs of
backfills and UI materializations, over to dagster-celery (the `celery` extra); each step goes to the queue
named after its CRM (`hubspot`, `arrivy`, ...), so an operator pins a CRM's work to the workers that listen
on that queue (docs/OPERATIONS.md). Results come back over the broker (`rpc://`) unless
CRM_CELERY_RESULT_BACKEND names another store. The URLs are read where the run starts (EnvVar-style), so
the password never appears in run config or the UI.
"""

from __future__ import annotations

import os

from dagster import ExecutorDefinition, in_process_executor

CELERY_BROKER_ENV = "CRM_CELERY_BROKER_URL"
CELERY_BACKEND_ENV = "CRM_CELERY_RESULT_BACKEND"
# dagster-celery routes a step to the queue named by this op tag (dagster_celery.tags.DAGSTER_CELERY_QUEUE_TAG;
# spelled out so the definitions load without the extra).
CELERY_QUEUE_TAG = "dagster-celery/queue"
DEFAULT_QUEUE = "dagster"  # dagster-celery's own default


def crm_op_tags(crm: str) -> dict[str, str]:
    """Tags of every op of a CRM's assets: its Celery queue (ignored by the in-process executor)."""
    return {CELERY_QUEUE_TAG: crm}


def celery_configured() -> bool:
    return bool(os.environ.get(CELERY_BROKER_ENV, "").strip())


def crm_executor(crm: str = DEFAULT_QUEUE) -> ExecutorDefinition:
    """Celery when CRM_CELERY_BROKER_URL is set, else each run's own process (a CRM's steps share one pool
    slot anyway: a process per step would only add start-up time and memory).

    `crm`'s queue is also where the job's untagged steps go (the freshness checks Dagster builds), so a
    CRM's job never waits on workers of another queue; jobs of no one CRM use the `dagster` queue."""
    if not celery_configured():
        return in_process_executor
    try:
        from dagster_celery import celery_executor
    except ImportError:
        raise RuntimeError(f"{CELERY_BROKER_ENV} is set but dagster-celery is not installed: install the "
                           "`celery` extra (pip install 'crm_pipelines[celery]')") from None
    backend = {"env": CELERY_BACKEND_ENV} if os.environ.get(CELERY_BACKEND_ENV, "").strip() else "rpc://"
    return celery_executor.configured({"broker": {"env": CELERY_BROKER_ENV}, "backend": backend,
                                       "config_source": {"task_default_queue": crm}}, name="celery")
