"""The seed document's examples (seed_example.py), run as written, then read back entity by entity."""

import datetime as dt
import os
import runpy
import unittest
import warnings

from _support import HERE, live_client

SEED_USER = "user__935d7d1d-8625-4ef4-8651-544613e7bd22"


def parse_iso(text: str) -> dt.datetime:
    return dt.datetime.strptime(text[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc)


class SeedDocumentTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.started = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # datetime.utcnow() on Python 3.12+
            cls.seed = runpy.run_path(os.path.join(HERE, "seed_example.py"), run_name="seed_example")
        cls.finished = dt.datetime.now(dt.timezone.utc)
        cls.client = live_client()
        cls.trace, cls.event, cls.span = cls.seed["trace"], cls.seed["event"], cls.seed["span"]
        cls.generation, cls.score = cls.seed["generation"], cls.seed["score"]
        cls.full = cls.client.traces.get(cls.trace.id)

    def assertRecent(self, iso: str) -> None:
        when = parse_iso(iso)
        self.assertGreaterEqual(when, self.started - dt.timedelta(seconds=1))
        self.assertLessEqual(when, self.finished + dt.timedelta(seconds=1))

    def test_every_call_returned_the_created_entity(self) -> None:
        for name in ("trace", "event", "span", "generation", "score"):
            entity = self.seed[name]
            self.assertIsInstance(entity.id, str, name)
            self.assertTrue(entity.id, name)
        self.assertEqual(self.trace.name, "chat-completion")
        self.assertEqual(self.event.name, "chat-docs-retrieval")
        self.assertEqual(self.span.parentObservationId, self.event.id)
        self.assertEqual(self.generation.model, "gpt-3.5-turbo")
        self.assertEqual(self.score.name, "user-explicit-feedback")

    def test_trace_read_back(self) -> None:
        trace = self.client.traces.get(self.trace.id)
        self.assertEqual(trace.id, self.trace.id)
        self.assertEqual(trace.name, "chat-completion")
        self.assertEqual(trace.metadata, {"env": "production", "user": SEED_USER})
        self.assertRecent(trace.timestamp)

    def test_event_read_back(self) -> None:
        event = self.client.observations.get(self.event.id)
        self.assertEqual(event.type, "EVENT")
        self.assertEqual(event.traceId, self.trace.id)
        self.assertEqual(event.name, "chat-docs-retrieval")
        self.assertIsNone(event.parentObservationId)
        self.assertEqual(event.metadata, {"key": "value"})
        self.assertEqual(event.input, {"key": "value"})
        self.assertEqual(event.output, {"key": "value"})
        self.assertRecent(event.startTime)

    def test_span_read_back_nested_under_the_event(self) -> None:
        span = self.client.observations.get(self.span.id)
        self.assertEqual(span.type, "SPAN")
        self.assertEqual(span.traceId, self.trace.id)
        self.assertEqual(span.name, "chat-completion")
        self.assertEqual(span.parentObservationId, self.event.id)
        self.assertEqual(span.metadata, {"key": "value"})
        self.assertEqual(span.input, {"key": "value"})
        self.assertEqual(span.output, {"key": "value"})
        self.assertRecent(span.startTime)
        self.assertRecent(span.endTime)
        self.assertGreaterEqual(parse_iso(span.endTime), parse_iso(span.startTime))

    def test_generation_read_back(self) -> None:
        gen = self.client.observations.get(self.generation.id)
        self.assertEqual(gen.type, "GENERATION")
        self.assertEqual(gen.traceId, self.trace.id)
        self.assertEqual(gen.name, "test")
        self.assertEqual(gen.model, "gpt-3.5-turbo")
        self.assertEqual(gen.modelParameters["temperature"], 0.9)
        self.assertEqual(gen.modelParameters["maxTokens"], 1000)
        self.assertIsNone(gen.modelParameters.get("topP"))
        self.assertEqual(gen.input, [{"role": "user", "content": "Hello, how are you?"}])
        self.assertEqual(gen.output, "I am fine, thank you")
        self.assertEqual(gen.metadata, {"userid": SEED_USER})
        self.assertEqual((gen.usage.input, gen.usage.output, gen.usage.total), (512, 49, 561))
        self.assertEqual((gen.promptTokens, gen.completionTokens, gen.totalTokens), (512, 49, 561))
        self.assertEqual(gen.usageDetails, {"input": 512, "output": 49, "total": 561})
        self.assertRecent(gen.startTime)
        self.assertRecent(gen.endTime)

    def test_score_read_back(self) -> None:
        score = self.client.scores.get(self.score.id)
        self.assertEqual(score.name, "user-explicit-feedback")
        self.assertEqual(score.value, 1)
        self.assertEqual(score.dataType, "NUMERIC")
        self.assertEqual(score.traceId, self.trace.id)
        self.assertEqual(score.observationId, self.generation.id)
        listed = self.client.scores.list(traceId=self.trace.id)
        self.assertEqual([s.id for s in listed.data], [self.score.id])

    def test_trace_embeds_its_observations_and_score(self) -> None:
        observations = {o.id: o for o in self.full.observations}
        self.assertEqual(set(observations), {self.event.id, self.span.id, self.generation.id})
        self.assertTrue(all(o.traceId == self.trace.id for o in observations.values()))
        self.assertEqual(observations[self.span.id].parentObservationId, self.event.id)
        self.assertEqual(observations[self.generation.id].usage.input, 512)
        self.assertEqual([s.id for s in self.full.scores], [self.score.id])
        self.assertEqual(self.full.scores[0].observationId, self.generation.id)

    def test_trace_observations_listed(self) -> None:
        listed = self.client.observations.list(traceId=self.trace.id)
        self.assertEqual(listed.meta.totalItems, 3)
        self.assertEqual({o.type for o in listed.data}, {"EVENT", "SPAN", "GENERATION"})
        generations = self.client.observations.list(traceId=self.trace.id, type="GENERATION")
        self.assertEqual([o.id for o in generations.data], [self.generation.id])


if __name__ == "__main__":
    unittest.main()
