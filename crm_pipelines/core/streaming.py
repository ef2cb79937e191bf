"""Overlap the parts of a sync that wait (on the source, on PostgreSQL) with the part that computes.

A sync alternates between Python work (decode, type, validate, encode: one core, under the GIL) and
waiting. `SerialWorker` runs a batch's database work in a thread of its own: psycopg waits on its socket
with the GIL released, so PostgreSQL merges batch k while Python types batch k+1, for free.

`Prefetch` fetches pages ahead in a thread. It pays off only where requests wait (latency, a rate
limit): decoding a page (orjson, httpx) holds the GIL, so against a source that answers at once the two
threads take turns every switch interval and both run slower (200k contacts from the zero-latency
sandbox: 6.8k records/s with it, 9.0k without; see benchmarks/README.md). Sources turn it on per client.
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
    """

    def __init__(self, source: Iterable[T], depth: int, name: str = "prefetch"):
        if depth < 1:
            raise ValueError("prefetch depth must be at least 1")
        self._queue: queue.Queue[tuple[int, Any]] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._done = False
        self._thread = threading.Thread(target=self._run, args=(source,), name=name, daemon=True)
        self._thread.start()

    def _run(self, source: Iterable[T]) -> None:
        iterator = iter(source)
        try:
            for item in iterator:
                if not self._put((_ITEM, item)):
                    return
            self._put((_END, None))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, who re-raises it
            self._put((_ERROR, exc))
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()

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
        if self._done:
            raise StopIteration
        kind, value = self._queue.get()
        if kind == _ITEM:
            return value
        self._done = True
        self._thread.join()
        if kind == _ERROR:
            raise value
        raise StopIteration

    def close(self, timeout: float = 30.0) -> None:
        self._done = True
        self._stop.set()
        while True:  # unblock a producer waiting on a full queue
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._thread.join(timeout)


class SerialWorker:
    """Runs submitted jobs in a background thread, in order, at most one at a time.

    `submit` first waits for the previous job and returns its result (re-raising its exception in the
    caller's thread), so the caller learns every outcome in submission order and memory holds one job.
    """

    def __init__(self, name: str = "loader"):
        self._name = name
        self._pending: Future[Any] | None = None

    def submit(self, job: Callable[[], R]) -> Any:
        """Start `job`; return the previous job's result (None for the first)."""
        previous = self.wait()
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
        return previous

    def wait(self) -> Any:
        """The in-flight job's result (None if none); its exception is raised here."""
        future, self._pending = self._pending, None
        return None if future is None else future.result()

    def drain(self) -> None:
        """Wait for the in-flight job without raising: the caller is already failing."""
        future, self._pending = self._pending, None
        if future is not None:
            future.exception()
