"""Retries, backoff, Retry-After and timeouts, against a scripted local stub server."""

import base64
import time
import unittest

from _support import StubServer

from sightline import CreateTraceRequest, SightlineApiError, SightlineConnectionError, SightlineTimeoutError

OK_TRACE = (200, {}, {"id": "t-1", "name": "ok"})


class RetryTest(unittest.TestCase):
    def test_503_then_200_is_retried_with_the_same_body(self) -> None:
        with StubServer([(503, {}, {"message": "busy", "error": "ServiceUnavailableError"}), OK_TRACE]) as stub:
            trace = stub.client().trace.create(request=CreateTraceRequest(name="retry"))
        self.assertEqual(trace.id, "t-1")
        self.assertEqual(len(stub.requests), 2)
        first, second = stub.requests
        self.assertEqual((first.method, first.path), ("POST", "/api/public/traces"))
        self.assertEqual(first.json(), second.json())  # same generated id: the retry is idempotent
        self.assertEqual(first.json()["name"], "retry")
        self.assertTrue(first.json()["id"])
        auth = base64.b64decode(first.headers["authorization"].split(" ", 1)[1]).decode()
        self.assertEqual(auth, "pk-lf-stub:sk-lf-stub")
        self.assertEqual(first.headers["content-type"], "application/json")

    def test_every_retryable_status(self) -> None:
        for status in (429, 500, 502, 504):
            with StubServer([(status, {}, {"message": "x"}), OK_TRACE]) as stub:
                stub.client().traces.get("t-1")
            self.assertEqual(len(stub.requests), 2, status)

    def test_client_errors_are_not_retried(self) -> None:
        for status in (400, 401, 403, 404, 501):
            with StubServer([(status, {}, {"message": "no", "error": "E"})]) as stub:
                with self.assertRaises(SightlineApiError) as ctx:
                    stub.client().traces.get("t-1")
            self.assertEqual(ctx.exception.status_code, status)
            self.assertEqual(ctx.exception.message, "no")
            self.assertEqual(ctx.exception.body, {"message": "no", "error": "E"})
            self.assertEqual(len(stub.requests), 1, status)

    def test_retries_give_up_with_the_last_error(self) -> None:
        with StubServer(default=(503, {}, {"message": "still busy"})) as stub:
            with self.assertRaises(SightlineApiError) as ctx:
                stub.client(max_retries=2).traces.list()
        self.assertEqual(ctx.exception.status_code, 503)
        self.assertEqual(ctx.exception.message, "still busy")
        self.assertEqual(len(stub.requests), 3)

    def test_exponential_backoff(self) -> None:
        with StubServer(default=(500, {}, None)) as stub:
            client = stub.client(max_retries=4, backoff_base=1.0, backoff_max=5.0)
            waits = []
            client._transport._sleep = waits.append
            with self.assertRaises(SightlineApiError):
                client.traces.list()
        self.assertEqual(len(waits), 4)
        for wait, nominal in zip(waits, (1.0, 2.0, 4.0, 5.0)):
            self.assertGreaterEqual(wait, nominal * 0.75)
            self.assertLessEqual(wait, nominal * 1.25)

    def test_retry_after_is_honoured(self) -> None:
        with StubServer([(429, {"Retry-After": "3"}, {"message": "slow down"}), OK_TRACE]) as stub:
            client = stub.client()
            waits = []
            client._transport._sleep = waits.append
            client.traces.get("t-1")
        self.assertEqual(waits, [3.0])
        with StubServer([(503, {"Retry-After": "0.3"}, None), OK_TRACE]) as stub:
            started = time.monotonic()
            stub.client(backoff_base=0.0).traces.get("t-1")
            self.assertGreaterEqual(time.monotonic() - started, 0.3)

    def test_dropped_connection_is_retried(self) -> None:
        with StubServer(["drop", OK_TRACE]) as stub:
            self.assertEqual(stub.client().traces.get("t-1").id, "t-1")
        self.assertEqual(len(stub.requests), 2)
        with StubServer(default="drop") as stub:
            with self.assertRaises(SightlineConnectionError):
                stub.client(max_retries=1).traces.get("t-1")
        self.assertEqual(len(stub.requests), 2)

    def test_timeout(self) -> None:
        with StubServer([("sleep", 1.0, OK_TRACE), OK_TRACE]) as stub:
            self.assertEqual(stub.client(timeout=0.2).traces.get("t-1").id, "t-1")  # retried after the timeout
        with StubServer(default=("sleep", 1.0, OK_TRACE)) as stub:
            started = time.monotonic()
            with self.assertRaises(SightlineTimeoutError) as ctx:
                stub.client(timeout=0.2, max_retries=1).traces.get("t-1")
            self.assertLess(time.monotonic() - started, 0.9)
        self.assertIn("0.2", str(ctx.exception))
        self.assertIsInstance(ctx.exception, SightlineConnectionError)

    def test_non_json_error_body(self) -> None:
        with StubServer([(502, {}, None)], default=(418, {}, None)) as stub:
            with self.assertRaises(SightlineApiError) as ctx:
                stub.client().traces.get("t-1")
        self.assertEqual(ctx.exception.status_code, 418)
        self.assertIsNone(ctx.exception.body)


if __name__ == "__main__":
    unittest.main()
