"""A step delivered again after its worker was lost fails at once instead of running a second time.

On Celery workers a step's task is acknowledged when the step ends (deploy/celery/worker.yaml), so a worker
killed mid-step (kill -9, a lost VM) never acknowledges it and RabbitMQ hands the step to another worker.
Without acknowledgement on completion the step would be lost and the run would wait for it forever. With
it, the step would run a second time inside the same run, silently. Instead, the second delivery sees in
the run's event log that an earlier attempt of the step started and never ended, and fails the step,
saying so: the run ends FAILURE and the operator re-executes it from failure (docs/OPERATIONS.md §12).

This lives in the step's own code rather than in the Celery task: dagster-celery turns a task that raises
into an engine error after which it submits no further step, so a run with steps still to go never
ends; a failed step is ordinary Dagster (downstream steps skipped, the run FAILURE, "Re-execute from failure" in the UI).
"""

from __future__ import annotations

import datetime as dt

from dagster import AssetExecutionContext, DagsterEventType, Failure, OpExecutionContext

_STARTS = {DagsterEventType.STEP_START, DagsterEventType.STEP_RESTARTED}
_ENDS = {DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE, DagsterEventType.STEP_UP_FOR_RETRY}


def refuse_redelivered_step(context: AssetExecutionContext | OpExecutionContext) -> None:
    """Raise Failure if the attempt before this one (same run, same step) started and never ended.

    Called first by every op that writes to the warehouse, before it reads or writes anything. A retry
    under a RetryPolicy follows an ended attempt (STEP_UP_FOR_RETRY), so it is not refused."""
    step_key = context.get_step_execution_context().step.key
    records = context.instance.get_records_for_run(context.run_id, of_type=_STARTS | _ENDS).records
    attempts = [r for r in records if r.event_log_entry.step_key == step_key]
    # The last is this attempt's own start (logged before the op runs); the one before it tells how the
    # previous attempt ended.
    if len(attempts) < 2 or attempts[-2].event_log_entry.dagster_event_type not in _STARTS:
        return
    lost = attempts[-2].event_log_entry
    raise Failure(
        description=(
            f"Step {step_key} was interrupted: the worker running it was lost mid-step (killed, its machine "
            f"down, or it held the step past RabbitMQ's consumer_timeout) and the broker delivered the step "
            f"again; it is not run a second time within this run. "
            f"No partial rows of the interrupted attempt were kept: each materialization loads in one "
            f"PostgreSQL transaction. Re-execute this run from failure to sync the step again."),
        metadata={"interrupted step": step_key, "interrupted attempt's process id": lost.dagster_event.pid or 0,
                  "interrupted attempt started (UTC)": dt.datetime.fromtimestamp(lost.timestamp, dt.timezone.utc)
                  .isoformat(timespec="seconds")},
        allow_retries=False)
