"""Buffered mode: a bounded in-memory queue drained by a background thread into
``POST /api/public/ingestion`` batches.

Use it through :meth:`sightline.client.Sightline.enqueue`, ``flush()`` and ``shutdown()``.
``enqueue`` never waits on the network and never raises because of the server: a full queue
drops the event (counted in ``stats()["dropped"]``, with one warning in the log), and events the
server rejects — per event inside the 207 answer, or as a whole batch after all retries — are
handed to the ``on_error`` callback as :class:`~sightline.errors.SightlineIngestionError`
(or logged on the ``sightline`` logger when there is no callback).
"""

import atexit
import collections
import json
import logging
import threading
import time
import weakref
from typing import Any, Callable, Deque, Dict, List, Optional, Tuple

from .errors import SightlineApiError, SightlineIngestionError

logger = logging.getLogger("sightline")

#: Body size the server accepts on /ingestion is 4.5 MB; stay well below it.
DEFAULT_MAX_BATCH_BYTES = 3_500_000
_ENVELOPE = len('{"batch":[]}')

_live_buffers: "weakref.WeakSet[EventBuffer]" = weakref.WeakSet()
_atexit_registered = False
_atexit_lock = threading.Lock()


def _flush_all_at_exit() -> None:
    for buffer in list(_live_buffers):
        try:
            buffer.shutdown(timeout=buffer.exit_timeout)
        except Exception:  # never break interpreter exit
            logger.exception("Sightline: flushing at exit failed")


def _register_atexit() -> None:
    global _atexit_registered
    with _atexit_lock:
        if not _atexit_registered:
            atexit.register(_flush_all_at_exit)
            _atexit_registered = True


class EventBuffer:
    """Bounded queue of ingestion events plus the daemon thread that sends them.

    Args:
        post: sends one request body to /api/public/ingestion, returning ``(status, json)``
            (retries are its business); raises a ``SightlineError`` on failure.
        on_error: called with a :class:`SightlineIngestionError` for every event (or batch)
            that was not stored. Exceptions it raises are logged and swallowed.
        flush_at: send as soon as this many events are waiting (and at most this many per batch).
        flush_interval: send waiting events at the latest this many seconds after the oldest arrived.
        max_queue_size: events waiting beyond this are dropped.
        max_batch_bytes: a batch's JSON stays below this size; a single larger event is rejected.
        exit_timeout: how long the flush at interpreter exit may take.
    """

    def __init__(
        self,
        post: Callable[[str], Tuple[int, Any]],
        on_error: Optional[Callable[[SightlineIngestionError], None]] = None,
        flush_at: int = 100,
        flush_interval: float = 1.0,
        max_queue_size: int = 10_000,
        max_batch_bytes: int = DEFAULT_MAX_BATCH_BYTES,
        exit_timeout: float = 10.0,
    ) -> None:
        self._post = post
        self.on_error = on_error
        self.flush_at = max(1, int(flush_at))
        self.flush_interval = max(0.0, float(flush_interval))
        self.max_queue_size = max(1, int(max_queue_size))
        self.max_batch_bytes = int(max_batch_bytes)
        self.exit_timeout = exit_timeout
        self._cond = threading.Condition()
        self._pending: Deque[Tuple[Dict[str, Any], str]] = collections.deque()
        self._oldest: Optional[float] = None
        self._flush_requested = False
        self._stop = False
        self._thread: Optional[threading.Thread] = None
        self._enqueued = 0
        self._processed = 0
        self._dropped = 0
        self._failed = 0
        self._sent = 0
        self._warned_full = False

    # -- caller side -------------------------------------------------------------------------

    def put(self, event: Dict[str, Any]) -> bool:
        """Queues one ingestion event ``{id, type, timestamp, body}``; False if it was dropped."""
        text = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
        size = len(text.encode("utf-8"))
        if size + _ENVELOPE > self.max_batch_bytes:
            with self._cond:
                self._failed += 1
            self._report(
                SightlineIngestionError(
                    "event is %d bytes, more than a batch may carry (%d)" % (size, self.max_batch_bytes),
                    [event],
                    status_code=413,
                )
            )
            return False
        with self._cond:
            if len(self._pending) >= self.max_queue_size:
                self._dropped += 1
                warn = not self._warned_full
                self._warned_full = True
            else:
                warn = False
                self._pending.append((event, text))
                self._enqueued += 1
                if self._oldest is None:
                    self._oldest = time.monotonic()
                self._ensure_thread()
                if len(self._pending) == 1 or len(self._pending) >= self.flush_at:
                    self._cond.notify_all()
                return True
        if warn:
            logger.warning(
                "Sightline: the event queue is full (%d events); dropping events until it drains "
                "(this warning is shown once; see client.stats()['dropped'])",
                self.max_queue_size,
            )
        return False

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Sends everything queued so far and waits until it has been sent (or failed).

        Returns True when all of it was processed, False if ``timeout`` seconds passed first.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            target = self._enqueued
            if self._processed >= target:
                return True
            self._flush_requested = True
            self._ensure_thread()
            self._cond.notify_all()
            while self._processed < target:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._cond.wait(remaining)
            return True

    def shutdown(self, timeout: Optional[float] = None) -> bool:
        """Flushes (within ``timeout``) and stops the background thread.

        Events queued after a shutdown are still delivered, each right away rather than batched.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        drained = self.flush(timeout)
        with self._cond:
            self._stop = True
            thread = self._thread
            self._cond.notify_all()
        if thread is not None and thread is not threading.current_thread():
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            thread.join(remaining)
        return drained

    def stats(self) -> Dict[str, int]:
        """Counters: ``queued`` (waiting now), ``sent`` (accepted by the server), ``failed``
        (rejected or undeliverable, reported to ``on_error``), ``dropped`` (queue full)."""
        with self._cond:
            return {
                "queued": len(self._pending),
                "sent": self._sent,
                "failed": self._failed,
                "dropped": self._dropped,
            }

    # -- worker side -------------------------------------------------------------------------

    def _ensure_thread(self) -> None:
        # Called with self._cond held.
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="sightline-buffer", daemon=True)
            _live_buffers.add(self)
            _register_atexit()
            self._thread.start()

    def _next_batch(self) -> Optional[List[Tuple[Dict[str, Any], str]]]:
        with self._cond:
            while True:
                waiting = len(self._pending)
                if waiting == 0:
                    self._flush_requested = False
                    if self._stop:
                        if self._thread is threading.current_thread():
                            self._thread = None
                        return None
                    self._cond.wait()
                    continue
                if self._stop or self._flush_requested or waiting >= self.flush_at:
                    break
                assert self._oldest is not None
                wait = self._oldest + self.flush_interval - time.monotonic()
                if wait <= 0:
                    break
                self._cond.wait(wait)
            batch: List[Tuple[Dict[str, Any], str]] = []
            size = _ENVELOPE
            while self._pending and len(batch) < self.flush_at:
                text_size = len(self._pending[0][1].encode("utf-8")) + 1
                if batch and size + text_size > self.max_batch_bytes:
                    break
                batch.append(self._pending.popleft())
                size += text_size
            if not self._pending:
                self._oldest = None
            return batch

    def _run(self) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            try:
                self._send(batch)
            except Exception:  # a bug here must not kill the worker
                logger.exception("Sightline: sending a batch failed unexpectedly")
            finally:
                with self._cond:
                    self._processed += len(batch)
                    self._cond.notify_all()

    def _send(self, batch: List[Tuple[Dict[str, Any], str]]) -> None:
        events = [event for event, _ in batch]
        body = '{"batch":[' + ",".join(text for _, text in batch) + "]}"
        try:
            _status, answer = self._post(body)
        except SightlineApiError as err:
            self._fail(events, SightlineIngestionError(err.message, events, err.status_code, err.error, cause=err))
            return
        except Exception as err:  # connection errors, timeouts
            self._fail(events, SightlineIngestionError(str(err), events, None, None, cause=err))
            return
        errors = answer.get("errors") if isinstance(answer, dict) else None
        by_id = {str(event.get("id")): event for event in events}
        failed_ids = set()
        for item in errors or []:
            if not isinstance(item, dict):
                continue
            event = by_id.get(str(item.get("id")))
            if event is not None:
                failed_ids.add(str(item.get("id")))
            message = item.get("message") or item.get("error") or "rejected"
            self._report(
                SightlineIngestionError(
                    str(message), [event] if event is not None else [], item.get("status"), item.get("error")
                )
            )
        with self._cond:
            self._failed += len(failed_ids)
            self._sent += len(events) - len(failed_ids)

    def _fail(self, events: List[Dict[str, Any]], error: SightlineIngestionError) -> None:
        with self._cond:
            self._failed += len(events)
        self._report(error)

    def _report(self, error: SightlineIngestionError) -> None:
        callback = self.on_error
        if callback is None:
            logger.warning("Sightline: %d event(s) not stored: %s", max(1, len(error.events)), error)
            return
        try:
            callback(error)
        except Exception:
            logger.exception("Sightline: the on_error callback raised")
