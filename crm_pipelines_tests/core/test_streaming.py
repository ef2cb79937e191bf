"""Prefetch and SerialWorker: same items, same order, every exception in the caller's thread."""

from __future__ import annotations

import threading
import time

import pytest

from crm_pipelines.core.streaming import Prefetch, SerialWorker


def test_prefetch_yields_everything_in_order():
    assert list(Prefetch(iter(range(100)), depth=3)) == list(range(100))
    assert list(Prefetch([], depth=1)) == []


def test_prefetch_raises_the_sources_error_after_its_items():
    def source():
        yield 1
        yield 2
        raise ValueError("page 3 broke")

    got = []
    with pytest.raises(ValueError, match="page 3 broke"):
        for item in Prefetch(source(), depth=1):
            got.append(item)
    assert got == [1, 2]


def test_prefetch_runs_the_source_elsewhere_and_closing_stops_it():
    threads, produced = set(), []

    def source():
        for i in range(10_000):
            threads.add(threading.current_thread().name)
            produced.append(i)
            yield i

    ahead = Prefetch(source(), depth=2, name="fetch test")
    assert next(ahead) == 0
    ahead.close()
    time.sleep(0.3)
    assert threads == {"fetch test"}
    assert len(produced) <= 5  # stopped at once, not drained to the end
    with pytest.raises(StopIteration):
        next(ahead)
    with pytest.raises(ValueError):
        Prefetch([], depth=0)


def test_serial_worker_returns_each_result_at_the_next_submit_in_order():
    worker, order = SerialWorker(), []

    def job(i):
        def run():
            time.sleep(0.01)
            order.append(i)
            return i * 10
        return run

    assert worker.submit(job(1)) is None
    assert worker.submit(job(2)) == 10
    assert worker.wait() == 20
    assert worker.wait() is None
    assert order == [1, 2]


def test_serial_worker_hands_back_a_jobs_exception_and_drain_swallows_it():
    worker = SerialWorker()
    worker.submit(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        worker.submit(lambda: None)
    worker.submit(lambda: 1 / 0)
    worker.drain()  # the caller is already failing: no second exception
    assert worker.wait() is None
