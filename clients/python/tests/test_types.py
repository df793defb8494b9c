"""Offline tests: request classes, timestamp handling, ApiObject, configuration, module paths."""

import datetime as dt
import importlib
import json
import os
import unittest
from unittest import mock

import _support  # noqa: F401  (puts the package on sys.path)

import sightline
from sightline import (
    ApiObject,
    CreateEventRequest,
    CreateLog,
    CreateScoreRequest,
    CreateSpanRequest,
    CreateTraceRequest,
    LlmUsage,
    UpdateGenerationRequest,
    UpdateSpanRequest,
)
from sightline._http import encode_query
from sightline._serialize import format_timestamp
from sightline.client import Sightline


class RequestClassTest(unittest.TestCase):
    def test_seed_keywords_serialise_to_camel_case(self) -> None:
        log = CreateLog(
            traceId="t1",
            name="test",
            startTime="2023-06-22T11:56:38Z",
            model="gpt-3.5-turbo",
            modelParameters={"temperature": 0.9, "maxTokens": 1000, "topP": None},
            prompt=[{"role": "user", "content": "Hello"}],
            completion="fine",
            usage=LlmUsage(prompt_tokens=512, completion_tokens=49),
            metadata={"userid": "u"},
            parentObservationId="p1",
        )
        self.assertEqual(
            log.to_dict(),
            {
                "traceId": "t1",
                "name": "test",
                "startTime": "2023-06-22T11:56:38Z",
                "model": "gpt-3.5-turbo",
                "modelParameters": {"temperature": 0.9, "maxTokens": 1000, "topP": None},
                "prompt": [{"role": "user", "content": "Hello"}],
                "completion": "fine",
                "usage": {"promptTokens": 512, "completionTokens": 49},
                "metadata": {"userid": "u"},
                "parentObservationId": "p1",
            },
        )

    def test_llm_usage_accepts_both_spellings(self) -> None:
        self.assertEqual(LlmUsage(prompt_tokens=1, completion_tokens=2).to_dict(), {"promptTokens": 1, "completionTokens": 2})
        self.assertEqual(LlmUsage(promptTokens=1, totalTokens=3).to_dict(), {"promptTokens": 1, "totalTokens": 3})
        self.assertEqual(LlmUsage(prompt_tokens=5).prompt_tokens, 5)
        self.assertEqual(LlmUsage(prompt_tokens=5).promptTokens, 5)

    def test_snake_case_is_accepted_and_none_left_out(self) -> None:
        req = CreateSpanRequest(trace_id="t", parent_observation_id="p", end_time=None, name="n")
        self.assertEqual(req.to_dict(), {"traceId": "t", "parentObservationId": "p", "name": "n"})
        self.assertEqual(req.traceId, "t")
        self.assertIsNone(req.endTime)

    def test_unknown_keyword_is_a_type_error_naming_the_accepted_ones(self) -> None:
        with self.assertRaises(TypeError) as ctx:
            CreateTraceRequest(nmae="typo")
        self.assertIn("nmae", str(ctx.exception))
        self.assertIn("metadata", str(ctx.exception))

    def test_required_fields(self) -> None:
        with self.assertRaisesRegex(TypeError, "spanId"):
            UpdateSpanRequest(endTime="2023-06-22T11:56:38Z")
        with self.assertRaisesRegex(TypeError, "generationId"):
            UpdateGenerationRequest(completion="x")
        with self.assertRaisesRegex(TypeError, "name, value"):
            CreateScoreRequest(traceId="t")
        self.assertEqual(CreateScoreRequest(name="s", value=0).to_dict(), {"name": "s", "value": 0})

    def test_datetimes_and_strings(self) -> None:
        naive = dt.datetime(2023, 6, 22, 11, 56, 38, 123456)
        aware = dt.datetime(2023, 6, 22, 13, 56, 38, tzinfo=dt.timezone(dt.timedelta(hours=2)))
        self.assertEqual(format_timestamp(naive), "2023-06-22T11:56:38.123Z")
        self.assertEqual(format_timestamp(aware), "2023-06-22T11:56:38.000Z")
        self.assertEqual(format_timestamp("2023-06-22T11:56:38Z"), "2023-06-22T11:56:38Z")
        self.assertEqual(format_timestamp("2023-06-22T11:56:38+02:00"), "2023-06-22T11:56:38+02:00")
        self.assertEqual(format_timestamp("2023-06-22T11:56:38"), "2023-06-22T11:56:38Z")
        self.assertEqual(format_timestamp("2023-06-22 11:56:38.5"), "2023-06-22T11:56:38.5Z")
        self.assertEqual(format_timestamp(dt.date(2023, 6, 22)), "2023-06-22T00:00:00.000Z")
        req = CreateEventRequest(startTime=naive, metadata={"at": aware})
        self.assertEqual(req.to_dict(), {"startTime": "2023-06-22T11:56:38.123Z", "metadata": {"at": "2023-06-22T11:56:38.000Z"}})

    def test_request_equality_and_repr(self) -> None:
        self.assertEqual(CreateTraceRequest(name="a"), CreateTraceRequest(name="a"))
        self.assertNotEqual(CreateTraceRequest(name="a"), CreateTraceRequest(name="b"))
        self.assertEqual(repr(CreateTraceRequest(name="a")), "CreateTraceRequest(name='a')")

    def test_query_encoding(self) -> None:
        query = encode_query(
            {"user_id": "u", "tags": ["a", "b"], "from_timestamp": dt.datetime(2024, 1, 1), "page": 2, "name": None, "filter": [{"a": 1}]}
        )
        self.assertEqual(
            query,
            "userId=u&tags=a&tags=b&fromTimestamp=2024-01-01T00%3A00%3A00.000Z&page=2&filter=%5B%7B%22a%22%3A1%7D%5D",
        )


class ApiObjectTest(unittest.TestCase):
    def test_attribute_and_item_access(self) -> None:
        obj = ApiObject({"id": "x", "traceId": "t", "usage": {"input": 1}, "observations": [{"id": "o"}]})
        self.assertEqual(obj.id, "x")
        self.assertEqual(obj["id"], "x")
        self.assertEqual(obj.trace_id, "t")
        self.assertEqual(obj.usage.input, 1)
        self.assertEqual(obj.observations[0].id, "o")
        self.assertEqual(obj, {"id": "x", "traceId": "t", "usage": {"input": 1}, "observations": [{"id": "o"}]})
        self.assertEqual(json.loads(json.dumps(obj))["usage"], {"input": 1})
        self.assertIs(type(obj.to_dict()["usage"]), dict)
        with self.assertRaises(AttributeError):
            obj.missing  # noqa: B018


class ConfigurationTest(unittest.TestCase):
    def test_seed_and_explicit_names(self) -> None:
        a = Sightline(environment="http://h:1/", username="pk-lf-a", password="sk-lf-a")
        b = Sightline(host="http://h:1", public_key="pk-lf-a", secret_key="sk-lf-a")
        self.assertEqual((a.host, a.public_key), ("http://h:1", "pk-lf-a"))
        self.assertEqual((b.host, b.public_key), ("http://h:1", "pk-lf-a"))

    def test_environment_variables(self) -> None:
        env = {"SIGHTLINE_HOST": "http://s:2", "SIGHTLINE_PUBLIC_KEY": "pk-lf-s", "SIGHTLINE_SECRET_KEY": "sk-lf-s"}
        with mock.patch.dict(os.environ, env, clear=True):
            client = Sightline()
            self.assertEqual((client.host, client.public_key), ("http://s:2", "pk-lf-s"))
        env = {"LANGFUSE_BASEURL": "http://l:3", "LANGFUSE_PUBLIC_KEY": "pk-lf-l", "LANGFUSE_SECRET_KEY": "sk-lf-l"}
        with mock.patch.dict(os.environ, env, clear=True):
            client = Sightline()
            self.assertEqual((client.host, client.public_key), ("http://l:3", "pk-lf-l"))
        with mock.patch.dict(os.environ, dict(env, LANGFUSE_HOST="http://lh:4"), clear=True):
            self.assertEqual(Sightline().host, "http://lh:4")
        with mock.patch.dict(os.environ, {"LANGFUSE_PUBLIC_KEY": "pk", "LANGFUSE_SECRET_KEY": "sk"}, clear=True):
            self.assertEqual(Sightline().host, "http://localhost:3000")

    def test_missing_keys_and_bad_host_are_clear_errors(self) -> None:
        with mock.patch.dict(os.environ, {}, clear=True):
            with self.assertRaisesRegex(ValueError, "SIGHTLINE_PUBLIC_KEY"):
                Sightline(environment="http://h")
        with self.assertRaisesRegex(ValueError, "http"):
            Sightline(environment="localhost:3000", username="pk", password="sk")
        with self.assertRaisesRegex(ValueError, "disagree"):
            Sightline(environment="http://a", host="http://b", username="pk", password="sk")


class ModulePathTest(unittest.TestCase):
    def test_seed_module_paths_are_aliases(self) -> None:
        paths = {
            "sightline.resources.trace.types.create_trace_request": "CreateTraceRequest",
            "sightline.resources.event.types.create_event_request": "CreateEventRequest",
            "sightline.resources.span.types.create_span_request": "CreateSpanRequest",
            "sightline.resources.span.types.update_span_request": "UpdateSpanRequest",
            "sightline.resources.generations.types.create_log": "CreateLog",
            "sightline.resources.generations.types.llm_usage": "LlmUsage",
            "sightline.resources.generations.types.update_generation_request": "UpdateGenerationRequest",
            "sightline.resources.score.types.create_score_request": "CreateScoreRequest",
        }
        for module, name in paths.items():
            self.assertIs(getattr(importlib.import_module(module), name), getattr(sightline, name), module)
        self.assertIs(importlib.import_module("sightline.core.api_error").ApiError, sightline.SightlineApiError)
        self.assertIs(importlib.import_module("sightline.client").Sightline, sightline.Sightline)


if __name__ == "__main__":
    unittest.main()
