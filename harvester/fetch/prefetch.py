"""Reading ahead: the next pages fetched and parsed in a thread while this one is worked on."""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
_END = object()
_POLL = 0.1  # seconds between looks at the stop flag of a blocked prefetch thread


def prefetched(items: Iterator[T], depth: int = 2) -> Generator[T, None, None]:
    """``items``, read ahead by a thread (at most ``depth`` waiting); an exception of the
    thread is raised here, after the items read before it. Closing the generator stops
    the thread at its next item."""
    waiting: queue.Queue[tuple[Any, BaseException | None]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry: tuple[Any, BaseException | None]) -> bool:
        while not stop.is_set():
            try:
                waiting.put(entry, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for item in items:
                if not put((item, None)):
                    return
        except BaseException as exc:  # handed to the reader, which raises it
            put((_END, exc))
            return
        put((_END, None))

    thread = threading.Thread(target=read, name="csfinder-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item, error = waiting.get()
            if item is _END:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stop.set()
        thread.join(timeout=1.0)  # a thread inside an HTTP request ends with its timeout
