"""Shared helpers for the client's tests: import path, the live server's settings, a stub HTTP server.

The live tests talk to the Sightline server named by ``SIGHTLINE_HOST``,
``SIGHTLINE_PUBLIC_KEY`` and ``SIGHTLINE_SECRET_KEY`` (``test/python-client.test.ts`` starts
one and sets them). Run from the repository root::

    python3 -m unittest discover -s clients/python/tests -v
"""

import http.server
import json
import os
import sys
import threading
import time
import unittest
import uuid
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)
if PACKAGE_ROOT not in sys.path:
    sys.path.insert(0, PACKAGE_ROOT)

from sightline.client import Sightline  # noqa: E402


def live_settings() -> Tuple[str, str, str]:
    """``(host, public_key, secret_key)`` of the live server; fails (not skips) when unset."""
    host = os.environ.get("SIGHTLINE_HOST")
    pk = os.environ.get("SIGHTLINE_PUBLIC_KEY")
    sk = os.environ.get("SIGHTLINE_SECRET_KEY")
    if not (host and pk and sk):
        raise AssertionError(
            "these tests need a running Sightline server: set SIGHTLINE_HOST, SIGHTLINE_PUBLIC_KEY "
            "and SIGHTLINE_SECRET_KEY (npm test does this through test/python-client.test.ts)"
        )
    return host, pk, sk


def live_client(**options: Any) -> Sightline:
    host, pk, sk = live_settings()
    return Sightline(environment=host, username=pk, password=sk, **options)


def unique(prefix: str) -> str:
    return "%s-%s" % (prefix, uuid.uuid4().hex[:12])


def wait_until(predicate: Callable[[], Any], timeout: float = 5.0, interval: float = 0.05) -> Any:
    """Polls ``predicate`` until it returns something truthy (returned) or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


Reply = Union[Tuple[int, Dict[str, str], Any], Callable[["StubRequest"], Any], str]


class StubRequest:
    def __init__(self, method: str, path: str, headers: Dict[str, str], body: bytes) -> None:
        self.method = method
        self.path = path
        self.headers = headers
        self.raw = body

    def json(self) -> Any:
        return json.loads(self.raw.decode("utf-8")) if self.raw else None


class StubServer:
    """A local HTTP server answering from a script of replies, recording every request.

    A reply is ``(status, headers, json_body)``, the string ``"drop"`` (close the connection
    without answering), ``("sleep", seconds, reply)`` (answer late), or a callable taking the
    :class:`StubRequest` and returning one of these. When the script runs out, ``default`` is used.
    """

    def __init__(self, replies: Optional[List[Any]] = None, default: Any = (200, {}, {"ok": True})) -> None:
        self.replies = list(replies or [])
        self.default = default
        self.requests: List[StubRequest] = []
        self._lock = threading.Lock()
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = StubRequest(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                with stub._lock:
                    stub.requests.append(request)
                    reply = stub.replies.pop(0) if stub.replies else stub.default
                if callable(reply):
                    reply = reply(request)
                while isinstance(reply, tuple) and reply and reply[0] == "sleep":
                    time.sleep(reply[1])
                    reply = reply[2]
                if reply == "drop":
                    self.close_connection = True
                    try:
                        self.connection.shutdown(2)
                    except OSError:
                        pass
                    return
                status, headers, payload = reply
                data = b"" if payload is None else json.dumps(payload).encode("utf-8")
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PATCH = do_DELETE = _handle

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self) -> "StubServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()

    def client(self, **options: Any) -> Sightline:
        options.setdefault("backoff_base", 0.01)
        return Sightline(host=self.url, public_key="pk-lf-stub", secret_key="sk-lf-stub", **options)


class LiveTestCase(unittest.TestCase):
    """Base class of the tests against the live server: ``self.client`` is ready."""

    client: Sightline

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.client = live_client()
