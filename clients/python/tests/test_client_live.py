"""The synchronous client against the live server: errors, datetimes, updates and reads."""

import datetime as dt
import socket
import unittest

from _support import LiveTestCase, live_settings, unique

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
from sightline.client import Sightline


class ErrorTest(LiveTestCase):
    def test_bad_credentials_raise_401(self) -> None:
        host, pk, _sk = live_settings()
        bad = Sightline(environment=host, username=pk, password="sk-lf-wrong", max_retries=0)
        with self.assertRaises(SightlineApiError) as ctx:
            bad.trace.create(request=CreateTraceRequest(name="never"))
        err = ctx.exception
        self.assertEqual(err.status_code, 401)
        self.assertIn("Invalid credentials", err.message)
        self.assertEqual(err.body["message"], err.message)
        self.assertIn("401", str(err))

    def test_validation_error_raises_400_with_the_servers_message(self) -> None:
        with self.assertRaises(SightlineApiError) as ctx:
            self.client.event.create(request=CreateEventRequest(name="bad", startTime="yesterday"))
        err = ctx.exception
        self.assertEqual(err.status_code, 400)
        self.assertIn("startTime", err.message)
        self.assertIn("startTime", str(err))
        with self.assertRaises(SightlineApiError) as ctx:
            self.client.score.create(request=CreateScoreRequest(traceId=unique("t"), name="s", value={"no": 1}))
        self.assertEqual(ctx.exception.status_code, 400)
        self.assertIn("value", ctx.exception.message)

    def test_missing_entity_raises_404(self) -> None:
        with self.assertRaises(SightlineApiError) as ctx:
            self.client.traces.get(unique("missing"))
        self.assertEqual(ctx.exception.status_code, 404)
        self.assertIn("not found", ctx.exception.message)
        with self.assertRaises(SightlineApiError) as ctx:
            self.client.observations.get(unique("missing"))
        self.assertEqual(ctx.exception.status_code, 404)

    def test_unreachable_server_raises_a_connection_error(self) -> None:
        with socket.socket() as sock:  # a port nobody listens on
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        client = Sightline(environment="http://127.0.0.1:%d" % port, username="pk", password="sk", max_retries=1, backoff_base=0.01)
        with self.assertRaises(SightlineConnectionError):
            client.traces.list()


class WriteTest(LiveTestCase):
    def test_datetime_objects_are_accepted(self) -> None:
        start = dt.datetime(2024, 5, 1, 12, 0, 0, 250000)  # naive: UTC
        end = dt.datetime(2024, 5, 1, 14, 0, 1, 500000, tzinfo=dt.timezone(dt.timedelta(hours=2)))
        trace = self.client.trace.create(request=CreateTraceRequest(name=unique("dt"), timestamp=start))
        self.assertEqual(trace.timestamp, "2024-05-01T12:00:00.250Z")
        span = self.client.span.create(request=CreateSpanRequest(traceId=trace.id, name="s", startTime=start, endTime=end))
        read = self.client.observations.get(span.id)
        self.assertEqual(read.startTime, "2024-05-01T12:00:00.250Z")
        self.assertEqual(read.endTime, "2024-05-01T12:00:01.500Z")
        self.assertAlmostEqual(read.latency, 1.25)
        event = self.client.event.create(
            request=CreateEventRequest(traceId=trace.id, startTime=dt.datetime.now(dt.timezone.utc), name="now")
        )
        self.assertEqual(self.client.observations.get(event.id).name, "now")

    def test_span_update(self) -> None:
        trace = self.client.trace.create(request=CreateTraceRequest(name=unique("upd")))
        span = self.client.span.create(
            request=CreateSpanRequest(traceId=trace.id, name="work", startTime="2024-05-01T12:00:00Z", metadata={"a": 1})
        )
        self.assertIsNone(span.endTime)
        updated = self.client.span.update(
            request=UpdateSpanRequest(spanId=span.id, endTime="2024-05-01T12:00:02Z", metadata={"b": 2}, output={"done": True})
        )
        self.assertEqual(updated.id, span.id)
        read = self.client.observations.get(span.id)
        self.assertEqual(read.endTime, "2024-05-01T12:00:02.000Z")
        self.assertEqual(read.metadata, {"a": 1, "b": 2})
        self.assertEqual(read.output, {"done": True})
        self.assertEqual(read.name, "work")

    def test_generation_update(self) -> None:
        trace = self.client.trace.create(request=CreateTraceRequest(name=unique("gen")))
        gen = self.client.generations.log(
            request=CreateLog(traceId=trace.id, name="llm", model="gpt-4o", prompt="hi", startTime=dt.datetime.utcnow())
        )
        self.client.generations.update(
            request=UpdateGenerationRequest(
                generationId=gen.id, completion="hello", endTime=dt.datetime.utcnow(), usage=LlmUsage(prompt_tokens=3, completion_tokens=7)
            )
        )
        read = self.client.observations.get(gen.id)
        self.assertEqual((read.input, read.output, read.model), ("hi", "hello", "gpt-4o"))
        self.assertEqual((read.usage.input, read.usage.output, read.usage.total), (3, 7, 10))
        self.assertIsNotNone(read.endTime)

    def test_keyword_fields_snake_case_and_dicts(self) -> None:
        trace = self.client.trace.create(name=unique("kw"), user_id="u-1", session_id=unique("sess"), tags=["a", "b"])
        self.assertEqual(trace.userId, "u-1")
        self.assertEqual(sorted(trace.tags), ["a", "b"])
        event = self.client.event.create(request={"traceId": trace.id, "name": "from-dict"})
        self.assertEqual(event.trace_id, trace.id)
        with self.assertRaises(TypeError):
            self.client.event.create(request=CreateEventRequest(name="x"), name="y")

    def test_observation_without_trace_gets_a_new_trace(self) -> None:
        span = self.client.span.create(request=CreateSpanRequest(name=unique("lonely")))
        self.assertTrue(span.traceId)
        self.assertEqual(self.client.traces.get(span.traceId).observations[0].id, span.id)

    def test_explicit_ids_upsert(self) -> None:
        trace_id = unique("fixed")
        self.client.trace.create(request=CreateTraceRequest(id=trace_id, name="first"))
        self.client.trace.create(request=CreateTraceRequest(id=trace_id, name="second"))
        self.assertEqual(self.client.traces.get(trace_id).name, "second")


class ReadTest(LiveTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.user = unique("user")
        cls.session = unique("session")
        cls.traces = [
            cls.client.trace.create(
                request=CreateTraceRequest(name="read-%d" % i, userId=cls.user, sessionId=cls.session, tags=["x", "t%d" % i])
            )
            for i in range(3)
        ]

    def test_list_traces_with_filters_and_pages(self) -> None:
        listed = self.client.traces.list(user_id=self.user, limit=2, page=1)
        self.assertEqual(listed.meta.totalItems, 3)
        self.assertEqual(listed.meta.totalPages, 2)
        self.assertEqual(len(listed.data), 2)
        self.assertEqual(self.client.traces.list(userId=self.user, tags=["x", "t1"]).data[0].name, "read-1")
        self.assertEqual(self.client.traces.list(userId=self.user, name="read-2").data[0].id, self.traces[2].id)
        self.assertEqual({t.id for t in self.client.traces.iter(user_id=self.user, limit=1)}, {t.id for t in self.traces})

    def test_sessions(self) -> None:
        session = self.client.sessions.get(self.session)
        self.assertEqual(session.id, self.session)
        self.assertEqual({t.id for t in session.traces}, {t.id for t in self.traces})
        ids = {s.id for s in self.client.sessions.iter(limit=100)}
        self.assertIn(self.session, ids)

    def test_scores_list_filters(self) -> None:
        trace = self.traces[0]
        a = self.client.score.create(request=CreateScoreRequest(traceId=trace.id, name="quality", value=0.5, comment="ok"))
        b = self.client.score.create(request=CreateScoreRequest(traceId=trace.id, name="label", value="good"))
        by_trace = self.client.scores.list(trace_id=trace.id)
        self.assertEqual({s.id for s in by_trace.data}, {a.id, b.id})
        quality = self.client.scores.list(trace_id=trace.id, name="quality").data
        self.assertEqual([(s.id, s.value, s.comment) for s in quality], [(a.id, 0.5, "ok")])
        label = self.client.scores.get(b.id)
        self.assertEqual((label.dataType, label.stringValue), ("CATEGORICAL", "good"))

    def test_health(self) -> None:
        self.assertEqual(self.client.health().status, "OK")


if __name__ == "__main__":
    unittest.main()
