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


def test_serial_worker_runs_one_job_at_a_time_and_hands_back_each_result():
    worker, order = SerialWorker(), []

    def job(i):
        def run():
            time.sleep(0.01)
            order.append(i)
            return i * 10
        return run

    worker.start(job(1))
    with pytest.raises(RuntimeError, match="still in flight"):
        worker.start(job(2))
    assert worker.wait() == 10
    worker.start(job(2))
    assert worker.wait() == 20
    assert worker.wait() is None
    assert order == [1, 2]


def test_serial_worker_hands_back_a_jobs_exception_and_drain_swallows_it():
    worker = SerialWorker()
    worker.start(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        worker.wait()
    worker.start(lambda: 1 / 0)
    worker.drain()  # the caller is already failing: no second exception
    assert worker.wait() is None


def test_interleaved_yields_every_item_of_every_source_each_in_order():
    sources = [lambda k=k: iter(range(k * 1000, k * 1000 + 50 * (k + 1))) for k in range(7)]
    got = list(Prefetch.interleaved(sources, workers=3, depth=4))
    assert sorted(got) == sorted(i for k in range(7) for i in range(k * 1000, k * 1000 + 50 * (k + 1)))
    for k in range(7):
        mine = [i for i in got if k * 1000 <= i < (k + 1) * 1000]
        assert mine == sorted(mine)
    assert list(Prefetch.interleaved([], workers=2, depth=1)) == []


def test_interleaved_runs_at_most_workers_sources_at_once():
    lock, running, most = threading.Lock(), [0], [0]

    def source():
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            for i in range(3):
                threading.Event().wait(0.01)  # a request in flight
                yield i
        finally:
            with lock:
                running[0] -= 1

    assert len(list(Prefetch.interleaved([source] * 8, workers=3, depth=2))) == 24
    assert most[0] == 3


def test_interleaved_raises_the_first_error_and_stops_the_other_workers():
    produced = []

    def endless():
        for i in range(100_000):
            produced.append(i)
            yield i

    def broken():
        yield -1
        raise RuntimeError("chain 2 broke")

    pages = Prefetch.interleaved([endless, broken], workers=2, depth=1)
    with pytest.raises(RuntimeError, match="chain 2 broke"):
        for _ in pages:
            pass
    count = len(produced)
    time.sleep(0.3)
    assert len(produced) <= count + 2  # stopped, not drained to the end
    with pytest.raises(ValueError):
        Prefetch.interleaved([endless], workers=0, depth=1)
