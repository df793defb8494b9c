"""Buffered mode: enqueue → background thread → /api/public/ingestion batches."""

import datetime as dt
import logging
import os
import socket
import subprocess
import sys
import textwrap
import time
import unittest

from _support import PACKAGE_ROOT, StubServer, live_client, live_settings, unique, wait_until

from sightline import (
    CreateEventRequest,
    CreateLog,
    CreateScoreRequest,
    CreateSpanRequest,
    CreateTraceRequest,
    LlmUsage,
    SightlineApiError,
    SightlineConnectionError,
    UpdateGenerationRequest,
    UpdateSpanRequest,
)


def accept_all(request):  # a 207 answer accepting every event, as the server does
    return (207, {}, {"successes": [{"id": e["id"], "status": 201} for e in request.json()["batch"]], "errors": []})


def batch_sizes(stub: StubServer):
    return [len(r.json()["batch"]) for r in stub.requests]


class BufferedLiveTest(unittest.TestCase):
    def test_seed_flow_buffered_end_to_end(self) -> None:
        errors = []
        client = live_client(on_error=errors.append, flush_interval=30)
        now = dt.datetime.utcnow()
        trace_id = client.enqueue(
            CreateTraceRequest(name=unique("buffered"), metadata={"env": "production"}, userId="u-buf")
        )
        event_id = client.enqueue(
            "event-create", CreateEventRequest(traceId=trace_id, name="chat-docs-retrieval", startTime=now, input={"q": 1})
        )
        span_id = client.enqueue(
            CreateSpanRequest(traceId=trace_id, name="retrieval", startTime=now, parentObservationId=event_id, metadata={"a": 1})
        )
        client.enqueue("span-update", UpdateSpanRequest(spanId=span_id, endTime=now + dt.timedelta(seconds=2), metadata={"b": 2}))
        gen_id = client.enqueue(
            CreateLog(
                traceId=trace_id,
                name="test",
                startTime=now,
                model="gpt-3.5-turbo",
                modelParameters={"temperature": 0.9},
                prompt=[{"role": "user", "content": "Hello, how are you?"}],
                usage=LlmUsage(prompt_tokens=512, completion_tokens=49),
            )
        )
        client.enqueue(UpdateGenerationRequest(generationId=gen_id, completion="I am fine, thank you", endTime=now))
        score_id = client.enqueue(
            "score-create", {"trace_id": trace_id, "observation_id": gen_id, "name": "user-explicit-feedback", "value": 1}
        )
        self.assertEqual(client.stats()["sent"], 0)  # nothing sent yet: flush_interval is 30 s
        self.assertTrue(client.flush(timeout=10))
        self.assertEqual(errors, [])
        self.assertEqual(client.stats(), {"queued": 0, "sent": 7, "failed": 0, "dropped": 0})

        trace = client.traces.get(trace_id)
        self.assertEqual((trace.metadata, trace.userId), ({"env": "production"}, "u-buf"))
        observations = {o.id: o for o in trace.observations}
        self.assertEqual(set(observations), {event_id, span_id, gen_id})
        self.assertEqual(observations[event_id].input, {"q": 1})
        span = observations[span_id]
        self.assertEqual((span.parentObservationId, span.metadata), (event_id, {"a": 1, "b": 2}))
        self.assertAlmostEqual(span.latency, 2.0, places=2)
        gen = observations[gen_id]
        self.assertEqual(gen.input, [{"role": "user", "content": "Hello, how are you?"}])
        self.assertEqual(gen.output, "I am fine, thank you")
        self.assertEqual((gen.usage.input, gen.usage.output), (512, 49))
        self.assertEqual([(s.id, s.value, s.observationId) for s in trace.scores], [(score_id, 1, gen_id)])
        client.shutdown()

    def test_updates_apply_in_the_order_they_were_queued(self) -> None:
        client = live_client(flush_at=2)
        span_id = client.enqueue("span-create", {"name": unique("ordered"), "output": -1})
        for i in range(7):
            client.enqueue("span-update", {"spanId": span_id, "output": i, "metadata": {"step": i}})
        self.assertTrue(client.flush(timeout=10))
        span = client.observations.get(span_id)
        self.assertEqual((span.output, span.metadata), (6, {"step": 6}))

    def test_per_event_errors_go_to_on_error_and_the_rest_is_stored(self) -> None:
        errors = []
        client = live_client(on_error=errors.append)
        trace_id = client.enqueue("trace-create", {"name": unique("partial")})
        client.enqueue("score-create", {"traceId": trace_id, "name": "broken"})  # no value: rejected
        client.enqueue("event-create", {"traceId": trace_id, "startTime": "not a time"})  # rejected
        self.assertTrue(client.flush(timeout=10))
        self.assertEqual(sorted(e.status_code for e in errors), [400, 400])
        types = sorted(e.events[0]["type"] for e in errors)
        self.assertEqual(types, ["event-create", "score-create"])
        self.assertTrue(any("startTime" in str(e) for e in errors), [str(e) for e in errors])
        self.assertEqual(client.stats()["failed"], 2)
        self.assertEqual(client.stats()["sent"], 1)
        self.assertEqual(client.traces.get(trace_id).scores, [])

    def test_without_on_error_failures_are_logged(self) -> None:
        client = live_client()
        client.enqueue("score-create", {"traceId": unique("t"), "name": "broken"})
        with self.assertLogs("sightline", logging.WARNING) as logs:
            self.assertTrue(client.flush(timeout=10))
        self.assertIn("not stored", logs.output[0])

    def test_bad_credentials_reach_on_error_not_the_caller(self) -> None:
        host, pk, _ = live_settings()
        from sightline.client import Sightline

        errors = []
        client = Sightline(environment=host, username=pk, password="sk-lf-wrong", on_error=errors.append)
        client.enqueue("trace-create", {"name": "x"})
        self.assertTrue(client.flush(timeout=10))
        self.assertEqual(len(errors), 1)
        self.assertEqual(errors[0].status_code, 401)
        self.assertIsInstance(errors[0].cause, SightlineApiError)
        self.assertEqual(client.stats()["failed"], 1)

    def test_flush_at_interpreter_exit(self) -> None:
        host, pk, sk = live_settings()
        trace_id = unique("atexit")
        script = textwrap.dedent(
            """
            import sys
            sys.path.insert(0, %r)
            from sightline.client import Sightline
            client = Sightline(environment=%r, username=%r, password=%r, flush_interval=60)
            client.enqueue("trace-create", {"id": %r, "name": "flushed-at-exit"})
            client.enqueue("span-create", {"traceId": %r, "name": "last-words"})
            print("exiting without flush")
            """
            % (PACKAGE_ROOT, host, pk, sk, trace_id, trace_id)
        )
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        client = live_client()
        trace = client.traces.get(trace_id)
        self.assertEqual(trace.name, "flushed-at-exit")
        self.assertEqual([o.name for o in trace.observations], ["last-words"])


class BufferedStubTest(unittest.TestCase):
    def test_batches_follow_flush_at_and_the_envelope(self) -> None:
        with StubServer(default=accept_all) as stub:
            client = stub.client(flush_at=3, flush_interval=60)
            ids = [client.enqueue("trace-create", {"name": "t%d" % i}) for i in range(7)]
            self.assertTrue(wait_until(lambda: len(stub.requests) >= 2))  # two full batches go at once
            self.assertTrue(client.flush(timeout=5))
        self.assertEqual(batch_sizes(stub), [3, 3, 1])
        request = stub.requests[0]
        self.assertEqual((request.method, request.path), ("POST", "/api/public/ingestion"))
        events = [e for r in stub.requests for e in r.json()["batch"]]
        self.assertEqual([e["body"]["id"] for e in events], ids)
        self.assertEqual([e["body"]["name"] for e in events], ["t%d" % i for i in range(7)])
        for event in events:
            self.assertEqual(set(event), {"id", "type", "timestamp", "body"})
            self.assertEqual(event["type"], "trace-create")
            self.assertRegex(event["timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
        self.assertEqual(len({e["id"] for e in events}), 7)
        stamps = [e["timestamp"] for e in events]
        self.assertEqual(stamps, sorted(set(stamps)))  # strictly increasing: applied in queue order
        self.assertEqual(client.stats()["sent"], 7)

    def test_flush_interval_sends_without_flush(self) -> None:
        with StubServer(default=accept_all) as stub:
            client = stub.client(flush_interval=0.2)
            client.enqueue("trace-create", {"name": "soon"})
            self.assertTrue(wait_until(lambda: stub.requests, timeout=3))
            client.shutdown(timeout=5)
        self.assertEqual(batch_sizes(stub), [1])

    def test_request_bodies_are_mapped_to_ingestion_shapes(self) -> None:
        with StubServer(default=accept_all) as stub:
            client = stub.client()
            gen_id = client.enqueue(
                "generation-create",
                {"trace_id": "t", "prompt": "p", "completion": "c", "usage": {"prompt_tokens": 1}, "start_time": dt.datetime(2024, 1, 1)},
            )
            client.enqueue("generation-update", {"generationId": gen_id, "completion": "c2"})
            client.enqueue("span-update", {"spanId": "s-1", "endTime": "2024-01-01T00:00:01"})
            lonely = client.enqueue("span-create", {"name": "no trace"})
            client.enqueue("sdk-log", {"log": {"hello": 1}})
            client.flush(timeout=5)
        bodies = [(e["type"], e["body"]) for r in stub.requests for e in r.json()["batch"]]
        self.assertEqual(
            bodies[0],
            ("generation-create", {"id": gen_id, "traceId": "t", "input": "p", "output": "c", "usage": {"promptTokens": 1}, "startTime": "2024-01-01T00:00:00.000Z"}),
        )
        self.assertEqual(bodies[1], ("generation-update", {"id": gen_id, "output": "c2"}))
        self.assertEqual(bodies[2], ("span-update", {"id": "s-1", "endTime": "2024-01-01T00:00:01Z"}))
        self.assertEqual(bodies[3][0], "trace-create")  # an observation without traceId gets a new trace
        self.assertEqual(bodies[4], ("span-create", {"name": "no trace", "id": lonely, "traceId": bodies[3][1]["id"]}))
        self.assertEqual(bodies[5], ("sdk-log", {"log": {"hello": 1}}))
        with self.assertRaises(ValueError):
            client.enqueue("trace-crate", {})

    def test_full_queue_drops_counts_and_warns_once(self) -> None:
        with StubServer(default=accept_all) as stub:
            client = stub.client(max_queue_size=3, flush_interval=60)
            with self.assertLogs("sightline", logging.WARNING) as logs:
                for i in range(6):
                    client.enqueue("trace-create", {"name": "t%d" % i})
            self.assertEqual(len(logs.output), 1)
            self.assertIn("queue is full", logs.output[0])
            self.assertEqual(client.stats(), {"queued": 3, "sent": 0, "failed": 0, "dropped": 3})
            self.assertTrue(client.flush(timeout=5))
        self.assertEqual(batch_sizes(stub), [3])
        self.assertEqual(client.stats()["dropped"], 3)

    def test_enqueue_does_not_wait_on_the_network(self) -> None:
        with StubServer(default=("sleep", 0.5, (207, {}, {"successes": [], "errors": []}))) as stub:
            client = stub.client(flush_at=10)
            started = time.monotonic()
            for i in range(20):
                client.enqueue("trace-create", {"name": "t%d" % i})
            self.assertLess(time.monotonic() - started, 0.25)
            self.assertFalse(client.flush(timeout=0.2))  # flush gives up after its timeout
            self.assertTrue(client.flush(timeout=30))

    def test_undeliverable_batches_go_to_on_error_after_retries(self) -> None:
        errors = []
        with StubServer(default=(503, {}, {"message": "down"})) as stub:
            client = stub.client(on_error=errors.append, max_retries=2)
            client.enqueue("trace-create", {"name": "a"})
            client.enqueue("trace-create", {"name": "b"})
            self.assertTrue(client.flush(timeout=10))
        self.assertEqual(len(stub.requests), 3)
        self.assertEqual(len(errors), 1)
        self.assertEqual((errors[0].status_code, errors[0].message, len(errors[0].events)), (503, "down", 2))
        self.assertEqual(client.stats()["failed"], 2)

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        from sightline.client import Sightline

        errors.clear()
        client = Sightline(host="http://127.0.0.1:%d" % port, public_key="pk", secret_key="sk", on_error=errors.append, max_retries=1, backoff_base=0.01)
        client.enqueue("trace-create", {"name": "nowhere"})
        self.assertTrue(client.flush(timeout=10))
        self.assertIsNone(errors[0].status_code)
        self.assertIsInstance(errors[0].cause, SightlineConnectionError)

    def test_a_raising_on_error_does_not_stop_the_worker(self) -> None:
        def explode(_error):
            raise RuntimeError("callback bug")

        replies = [(207, {}, {"successes": [], "errors": [{"id": "unknown", "status": 400, "message": "bad"}]})]
        with StubServer(replies, default=accept_all) as stub:
            client = stub.client(on_error=explode)
            client.enqueue("trace-create", {"name": "a"})
            with self.assertLogs("sightline", logging.ERROR):
                self.assertTrue(client.flush(timeout=5))
            client.enqueue("trace-create", {"name": "b"})
            self.assertTrue(client.flush(timeout=5))
        self.assertEqual(len(stub.requests), 2)

    def test_oversized_event_is_reported_not_sent(self) -> None:
        errors = []
        with StubServer(default=accept_all) as stub:
            client = stub.client(on_error=errors.append)
            client._get_buffer().max_batch_bytes = 1000
            client.enqueue("trace-create", {"name": "x" * 2000})
            client.enqueue("trace-create", {"name": "small"})
            client.flush(timeout=5)
        self.assertEqual(batch_sizes(stub), [1])
        self.assertEqual(errors[0].status_code, 413)

    def test_shutdown_stops_the_thread_and_later_events_still_go(self) -> None:
        with StubServer(default=accept_all) as stub:
            with stub.client(flush_interval=60) as client:
                client.enqueue("trace-create", {"name": "a"})
            self.assertEqual(batch_sizes(stub), [1])  # the with-block shut it down, flushing
            self.assertIsNone(client._buffer._thread)
            client.enqueue("trace-create", {"name": "b"})
            self.assertTrue(client.flush(timeout=5))
        self.assertEqual(batch_sizes(stub), [1, 1])


if __name__ == "__main__":
    unittest.main()
