"""CRM_CELERY_BROKER_URL turns the CRM jobs over to dagster-celery, each CRM's steps on its own queue."""

from __future__ import annotations

from dagster import in_process_executor

from crm_pipelines.core.executor import CELERY_BROKER_ENV, CELERY_QUEUE_TAG, crm_executor
from crm_pipelines.definitions import build_definitions


def test_without_a_broker_steps_run_in_the_runs_process(monkeypatch):
    monkeypatch.delenv(CELERY_BROKER_ENV, raising=False)
    assert crm_executor("hubspot") is in_process_executor


def test_with_a_broker_every_crm_job_runs_on_celery_and_each_step_on_its_crms_queue(monkeypatch):
    monkeypatch.setenv(CELERY_BROKER_ENV, "amqp://guest:guest@127.0.0.1:5672/unused")
    defs = build_definitions()
    repository = defs.get_repository_def()
    crm_jobs = [job for job in repository.get_all_jobs() if job.tags.get("crm")]
    assert crm_jobs
    for job in crm_jobs:
        crm = job.tags["crm"]
        assert job.executor_def.name == "celery", job.name
        queues = {node.name: node.definition.tags.get(CELERY_QUEUE_TAG) for node in job.graph.node_dict.values()}
        entity_nodes = [name for name in queues if name.startswith(f"{crm}__")]
        assert entity_nodes and all(queues[name] == crm for name in entity_nodes), (job.name, queues)
    # Backfills and ad-hoc materializations (the asset job) run there too.
    assert defs.executor.name == "celery"
