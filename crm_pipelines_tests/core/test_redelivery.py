"""Only a step whose previous attempt never ended is refused: a retry after a failed attempt runs.

The refusal itself (a Celery worker killed mid-step, the step delivered to another) is proven end to end in
crm_pipelines_tests/sources/hubspot/test_celery_workers.py."""

from dagster import AssetExecutionContext, DagsterEventType, DagsterInstance, RetryPolicy, asset, materialize

from crm_pipelines.core.redelivery import refuse_redelivered_step


def test_a_retry_under_a_retry_policy_is_not_taken_for_a_redelivery():
    attempts = []

    @asset(retry_policy=RetryPolicy(max_retries=1))
    def flaky(context: AssetExecutionContext) -> None:
        refuse_redelivered_step(context)
        attempts.append(context.retry_number)
        if len(attempts) == 1:
            raise RuntimeError("the first attempt fails")

    with DagsterInstance.ephemeral() as instance:
        result = materialize([flaky], instance=instance)
        kinds = [e.event_type for e in result.all_events if e.step_key == "flaky" and e.is_step_event]
    assert result.success and attempts == [0, 1]
    # The attempts the check walked through: the first ended (up for retry) before the second started.
    assert [k for k in kinds if k in (DagsterEventType.STEP_START, DagsterEventType.STEP_UP_FOR_RETRY,
                                      DagsterEventType.STEP_RESTARTED, DagsterEventType.STEP_SUCCESS)] == [
        DagsterEventType.STEP_START, DagsterEventType.STEP_UP_FOR_RETRY, DagsterEventType.STEP_RESTARTED,
        DagsterEventType.STEP_SUCCESS]
