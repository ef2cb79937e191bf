"""Overlap the parts of a sync that wait (on the source, on PostgreSQL) with the part that computes.

A sync alternates between Python work (decode, type, validate, encode: one core, under the GIL) and
waiting. `SerialWorker` runs a batch's database work in a thread of its own: psycopg waits on its socket
with the GIL released, so PostgreSQL merges batch k while Python types batch k+1, for free.

`Prefetch` fetches pages ahead in a thread. It pays off only where requests wait (latency, a rate
limit): decoding a page (orjson, httpx) holds the GIL, so against a source that answers at once the two
threads take turns every switch interval and both run slower (benchmarks/README.md has the figures).
Sources turn it on per client.
`Prefetch.interleaved` keeps several independent request chains in flight (e.g. disjoint search windows)
where one chain alone cannot use a rate budget: each chain waits its own latency, the budget is shared.
"""

from __future__ import annotations

import threading
import queue
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
_ITEM, _END, _ERROR = range(3)


class Prefetch(Generic[T]):
    """Iterate `source` in a background thread, at most `depth` items ahead of the consumer.

    The source runs entirely in that thread; the consumer gets the same items in the same order, and the
    source's exception where it happened. `close()` (a failed load, say) stops the thread at its next item.
    `Prefetch.interleaved` runs several sources at once instead.
    """

    def __init__(self, source: Iterable[T], depth: int, name: str = "prefetch"):
        self._start([lambda: source], 1, depth, name)

    @classmethod
    def interleaved(cls, sources: Iterable[Callable[[], Iterable[T]]], workers: int, depth: int,
                    name: str = "prefetch") -> Prefetch[T]:
        """Items of every source, `workers` sources at a time, each in its own thread.

        Each worker takes the next source when its current one ends (so uneven sources still keep every
        worker busy); `sources` may be a generator that works out the next source when asked (one worker
        at a time). Items of one source keep their order, sources interleave in arrival order. The first
        exception, of a source or of `sources` itself, stops every worker and is raised to the consumer.
        """
        if workers < 1:
            raise ValueError("interleaving needs at least one worker")
        self = cls.__new__(cls)
        self._start(sources, workers, depth, name)
        return self

    def _start(self, sources: Iterable[Callable[[], Iterable[T]]], workers: int, depth: int, name: str) -> None:
        if depth < 1:
            raise ValueError("prefetch depth must be at least 1")
        self._queue: queue.Queue[tuple[int, Any]] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._done = False
        self._todo = iter(sources)
        self._todo_lock = threading.Lock()
        self._running = workers
        self._threads = [threading.Thread(target=self._run, name=name if workers == 1 else f"{name} {k + 1}",
                                          daemon=True) for k in range(workers)]
        for thread in self._threads:
            thread.start()

    def _next_source(self) -> Callable[[], Iterable[T]] | None:
        with self._todo_lock:
            return None if self._stop.is_set() else next(self._todo, None)

    def _run(self) -> None:
        try:
            while (source := self._next_source()) is not None:
                iterator = iter(source())
                try:
                    for item in iterator:
                        if not self._put((_ITEM, item)):
                            return
                finally:
                    close = getattr(iterator, "close", None)
                    if close is not None:
                        close()
            self._put((_END, None))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, who re-raises it
            self._put((_ERROR, exc))

    def _put(self, entry: tuple[int, Any]) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        while not self._done:
            kind, value = self._queue.get()
            if kind == _ITEM:
                return value
            if kind == _ERROR:
                self.close()
                raise value
            self._running -= 1
            if self._running == 0:
                self._done = True
                for thread in self._threads:
                    thread.join()
        raise StopIteration

    def close(self, timeout: float = 30.0) -> None:
        self._done = True
        self._stop.set()
        while True:  # unblock producers waiting on a full queue
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout)


class SerialWorker:
    """Runs one job at a time in a background thread: `start` a job, `wait` for its result (its exception
    is raised in the caller's thread), then start the next. Memory holds one job's data at most."""

    def __init__(self, name: str = "loader"):
        self._name = name
        self._pending: Future[Any] | None = None

    def start(self, job: Callable[[], R]) -> None:
        """Run `job` in the background; the previous one must have been waited for."""
        if self._pending is not None:
            raise RuntimeError(f"{self._name}: a job is still in flight; wait() for it first")
        future: Future[R] = Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(job())
            except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread by wait()
                future.set_exception(exc)

        threading.Thread(target=run, name=self._name, daemon=True).start()
        self._pending = future

    def wait(self) -> Any:
        """The in-flight job's result (None if none); its exception is raised here."""
        future, self._pending = self._pending, None
        return None if future is None else future.result()

    def drain(self) -> None:
        """Wait for the in-flight job without raising: the caller is already failing."""
        future, self._pending = self._pending, None
        if future is not None:
            future.exception()
