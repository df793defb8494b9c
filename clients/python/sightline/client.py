"""The Sightline client: ``Sightline(environment=HOST, username=PUBLIC_KEY, password=SECRET_KEY)``.

The seed document's flow, end to end (only the imports and the client's name differ)::

    from datetime import datetime
    from sightline.client import Sightline
    from sightline import (CreateTraceRequest, CreateEventRequest, CreateSpanRequest,
                           CreateLog, LlmUsage, CreateScoreRequest)

    client = Sightline(environment="http://localhost:3000",
                       password="sk-lf-...", username="pk-lf-...")

    trace = client.trace.create(request=CreateTraceRequest(
        name="chat-completion", metadata={"env": "production", "user": "user__935d"}))

    event = client.event.create(request=CreateEventRequest(
        traceId=trace.id, name="chat-docs-retrieval",
        startTime=datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%SZ'),
        metadata={"key": "value"}, input={"key": "value"}, output={"key": "value"}))

    span = client.span.create(request=CreateSpanRequest(
        traceId=trace.id, name="chat-completion", startTime=datetime.utcnow(),
        endTime=datetime.utcnow(), parentObservationId=event.id, input={"key": "value"}))

    generation = client.generations.log(request=CreateLog(
        traceId=trace.id, name="test", model="gpt-3.5-turbo",
        modelParameters={"temperature": 0.9, "maxTokens": 1000, "topP": None},
        prompt=[{"role": "user", "content": "Hello, how are you?"}],
        completion="I am fine, thank you",
        usage=LlmUsage(prompt_tokens=512, completion_tokens=49)))

    score = client.score.create(request=CreateScoreRequest(
        traceId=trace.id, name="user-explicit-feedback", value=1, observationId=generation.id))

    full = client.traces.get(trace.id)          # the trace with its observations and scores
    full.observations[0].usage.input            # 512 for the generation

Every call returns an :class:`~sightline.types.ApiObject` with the stored entity's fields
(``trace.id``, ``generation.model``, ``generation.usage``…). Failures raise
:class:`~sightline.errors.SightlineApiError` (``.status_code``, ``.message``, ``.body``),
:class:`~sightline.errors.SightlineTimeoutError` or :class:`~sightline.errors.SightlineConnectionError`.

For request handlers that must not wait on the network, use the buffered mode::

    trace_id = client.enqueue("trace-create", {"name": "handler"})
    client.enqueue(CreateSpanRequest(traceId=trace_id, name="work", startTime=datetime.utcnow()))
    client.flush()      # optional: also happens every flush_interval seconds and at exit
"""

import os
import threading
import time
import urllib.parse
import uuid
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Type, Union

from ._http import Transport
from ._serialize import camel, format_timestamp, micros_iso, to_jsonable
from .buffer import EventBuffer
from .datasets import DatasetClient, Datasets
from .prompts import PromptClient, Prompts, prompt_link
from .errors import SightlineApiError, SightlineIngestionError
from .types import (
    ApiObject,
    BaseRequest,
    CreateEventRequest,
    CreateLog,
    CreateScoreRequest,
    CreateSpanRequest,
    CreateTraceRequest,
    UpdateGenerationRequest,
    UpdateSpanRequest,
    wrap,
)

__all__ = ["Sightline", "DEFAULT_HOST"]

DEFAULT_HOST = "http://localhost:3000"

_HOST_VARS = ("SIGHTLINE_HOST", "LANGFUSE_HOST", "LANGFUSE_BASEURL")
_PUBLIC_KEY_VARS = ("SIGHTLINE_PUBLIC_KEY", "LANGFUSE_PUBLIC_KEY")
_SECRET_KEY_VARS = ("SIGHTLINE_SECRET_KEY", "LANGFUSE_SECRET_KEY")

_OBSERVATION_CREATE_TYPES = frozenset(
    [
        "event-create",
        "span-create",
        "generation-create",
        "agent-create",
        "tool-create",
        "chain-create",
        "retriever-create",
        "evaluator-create",
        "embedding-create",
        "guardrail-create",
        "observation-create",
    ]
)
#: Event types accepted by :meth:`Sightline.enqueue`.
EVENT_TYPES = frozenset(
    ["trace-create", "score-create", "span-update", "generation-update", "observation-update", "sdk-log"]
) | _OBSERVATION_CREATE_TYPES

_REQUEST_EVENT_TYPES: Dict[Type[BaseRequest], str] = {
    CreateTraceRequest: "trace-create",
    CreateEventRequest: "event-create",
    CreateSpanRequest: "span-create",
    UpdateSpanRequest: "span-update",
    CreateLog: "generation-create",
    UpdateGenerationRequest: "generation-update",
    CreateScoreRequest: "score-create",
}
_TIME_FIELDS = ("timestamp", "startTime", "endTime", "completionStartTime")


def _first_env(names: Any) -> Optional[str]:
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return None


class Sightline:
    """Client of a Sightline (or Langfuse-compatible) server.

    Args:
        environment: the server's base URL, e.g. ``"http://localhost:3000"`` (the seed's name;
            ``host=`` is the same). Default: ``$SIGHTLINE_HOST``, ``$LANGFUSE_HOST``,
            ``$LANGFUSE_BASEURL``, else ``http://localhost:3000``.
        username: the public key ``pk-lf-…`` (or ``public_key=``; default
            ``$SIGHTLINE_PUBLIC_KEY`` / ``$LANGFUSE_PUBLIC_KEY``).
        password: the secret key ``sk-lf-…`` (or ``secret_key=``; default
            ``$SIGHTLINE_SECRET_KEY`` / ``$LANGFUSE_SECRET_KEY``).
        timeout: seconds to wait for each HTTP answer.
        max_retries: further tries after a network error, a timeout, 408, 429 or a 5xx.
        backoff_base, backoff_max: retry ``n`` waits ``backoff_base * 2**n`` seconds (±25 %),
            at most ``backoff_max``; a ``Retry-After`` header takes precedence.
        headers: extra HTTP headers for every request.
        flush_at, flush_interval, max_queue_size, on_error, exit_timeout: the buffered mode
            (see :meth:`enqueue`).
        clock: the seconds clock of the prompt cache's expiry (tests inject one).

    Attributes (resources, each method returns an :class:`~sightline.types.ApiObject`):
        trace.create, event.create, span.create, span.update, generations.log,
        generations.update, score.create — the seed's write calls;
        traces, observations, scores, sessions — ``.get(id)`` and ``.list(**filters)`` reads.
    """

    def __init__(
        self,
        environment: Optional[str] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        *,
        host: Optional[str] = None,
        public_key: Optional[str] = None,
        secret_key: Optional[str] = None,
        timeout: float = 10.0,
        max_retries: int = 3,
        backoff_base: float = 0.5,
        backoff_max: float = 10.0,
        headers: Optional[Mapping[str, str]] = None,
        flush_at: int = 100,
        flush_interval: float = 1.0,
        max_queue_size: int = 10_000,
        on_error: Optional[Callable[[SightlineIngestionError], None]] = None,
        exit_timeout: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        base_url = _pick("host", host, "environment", environment) or _first_env(_HOST_VARS) or DEFAULT_HOST
        public = _pick("public_key", public_key, "username", username) or _first_env(_PUBLIC_KEY_VARS)
        secret = _pick("secret_key", secret_key, "password", password) or _first_env(_SECRET_KEY_VARS)
        if not public or not secret:
            raise ValueError(
                "Sightline needs an API key pair: pass username=/public_key= (pk-lf-…) and "
                "password=/secret_key= (sk-lf-…), or set SIGHTLINE_PUBLIC_KEY and SIGHTLINE_SECRET_KEY "
                "(LANGFUSE_PUBLIC_KEY/LANGFUSE_SECRET_KEY also work)"
            )
        parsed = urllib.parse.urlsplit(base_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError("host must be an http(s) URL such as http://localhost:3000, got %r" % (base_url,))
        self.host = base_url.rstrip("/")
        self.public_key = public
        self._transport = Transport(
            self.host,
            public,
            secret,
            timeout=timeout,
            max_retries=max_retries,
            backoff_base=backoff_base,
            backoff_max=backoff_max,
            headers=headers,
        )
        self._buffer_options = dict(
            flush_at=flush_at,
            flush_interval=flush_interval,
            max_queue_size=max_queue_size,
            exit_timeout=exit_timeout,
        )
        self._on_error = on_error
        self._buffer: Optional[EventBuffer] = None
        self._clock_lock = threading.Lock()
        self._last_event_us = 0

        self.trace = TraceResource(self)
        self.event = EventResource(self)
        self.span = SpanResource(self)
        self.generations = GenerationsResource(self)
        self.score = ScoreResource(self)
        self.traces = TracesResource(self)
        self.observations = ObservationsResource(self)
        self.scores = ScoresResource(self)
        self.sessions = SessionsResource(self)
        self._prompts = Prompts(self._transport.request, clock)
        self._datasets = Datasets(self._transport.request, self.flush)

    def __repr__(self) -> str:
        return "Sightline(host=%r, public_key=%r)" % (self.host, self.public_key)

    # -- plumbing --------------------------------------------------------------------------------

    def request(self, method: str, path: str, body: Any = None, params: Optional[Mapping[str, Any]] = None) -> Any:
        """Sends any request under the server (``path`` like ``/api/public/health``) and returns
        the decoded JSON answer (objects as :class:`ApiObject`)."""
        _status, answer = self._transport.request(method, path, json_body=body, params=params)
        return wrap(answer)

    def health(self) -> ApiObject:
        """``GET /api/public/health`` → ``{status, version}``."""
        return self.request("GET", "/api/public/health")

    def auth_check(self) -> bool:
        """Checks the host and key pair with ``GET /api/public/projects`` (as the Langfuse SDK's
        ``auth_check``). Returns True; raises :class:`SightlineApiError` (401 for a wrong key
        pair) or :class:`SightlineConnectionError` when the server cannot be reached."""
        answer = self.request("GET", "/api/public/projects")
        data = answer.get("data") if isinstance(answer, dict) else None
        if not isinstance(data, list) or len(data) == 0:
            raise SightlineApiError(
                200, answer, "GET", self.host + "/api/public/projects",
                reason="the key pair belongs to no project (GET /api/public/projects returned none)",
            )
        return True

    # -- prompts ---------------------------------------------------------------------------------

    def get_prompt(
        self,
        name: str,
        version: Optional[int] = None,
        *,
        label: Optional[str] = None,
        type: str = "text",  # noqa: A002 - the Langfuse SDK's name
        cache_ttl_seconds: Optional[float] = None,
        fallback: Union[None, str, List[Dict[str, Any]]] = None,
        max_retries: Optional[int] = None,
        fetch_timeout_seconds: Optional[float] = None,
    ) -> PromptClient:
        """A prompt version by ``label`` (default ``production``) or ``version``, as the Langfuse SDK's.

        Served from a per-process cache for ``cache_ttl_seconds`` (60; 0 fetches every time);
        once expired, the cached prompt is returned at once while one background thread refreshes
        it. ``fallback`` (a text, or a list of chat messages) is returned, with ``is_fallback``
        true, only when the fetch fails and nothing is cached; without it the error is raised
        (:class:`SightlineApiError` — 404 ``Prompt not found: …`` — or a connection error).

        Example::

            prompt = client.get_prompt("greet", fallback="Hi {{name}}")
            # prompt=<prompt object> links the generation to the version (not for a fallback).
            client.generations.log(traceId=trace_id, prompt=prompt, input=prompt.compile(name="Ada"))
        """
        return self._prompts.get(
            name, version, label=label, cache_ttl_seconds=cache_ttl_seconds, fallback=fallback,
            max_retries=max_retries, fetch_timeout_seconds=fetch_timeout_seconds, type=type,
        )

    def create_prompt(
        self,
        *,
        name: str,
        prompt: Union[str, List[Dict[str, Any]]],
        labels: Optional[List[str]] = None,
        tags: Optional[List[str]] = None,
        type: Optional[str] = None,  # noqa: A002
        config: Any = None,
        commit_message: Optional[str] = None,
    ) -> PromptClient:
        """Creates the next version of prompt ``name`` (``POST /api/public/v2/prompts``).

        ``prompt`` is a text, or a list of chat messages and ``{"type": "placeholder", "name": …}``
        entries (then ``type`` defaults to ``"chat"``). Drops the cached versions of ``name``.

        Example::

            client.create_prompt(name="greet", prompt="Hi {{name}}", labels=["production"], config={"model": "gpt-4o"})
        """
        return self._prompts.create(
            name, prompt, labels=labels, tags=tags, type=type, config=config, commit_message=commit_message
        )

    def update_prompt(self, *, name: str, version: int, new_labels: List[str]) -> PromptClient:
        """Sets the labels of one version, moving them from other versions; drops the cached versions of ``name``.

        Example: ``client.update_prompt(name="greet", version=2, new_labels=["production"])``
        """
        return self._prompts.update(name, version, new_labels)

    # -- datasets --------------------------------------------------------------------------------

    def create_dataset(self, *, name: str, description: Optional[str] = None, metadata: Any = None, **schemas: Any) -> ApiObject:
        """Creates a dataset, or updates the one of that name (``input_schema`` and
        ``expected_output_schema`` may be given too).

        Example: ``client.create_dataset(name="qa/capitals", description="capital cities")``
        """
        return self._datasets.create_dataset(name, description, metadata, **schemas)

    def create_dataset_item(self, *, dataset_name: str, **fields: Any) -> ApiObject:
        """Creates a dataset item, or updates the one with that ``id``. Fields: ``id``, ``input``,
        ``expected_output``, ``metadata``, ``source_trace_id``, ``source_observation_id``,
        ``status`` (``"ACTIVE"`` or ``"ARCHIVED"``).

        Example: ``client.create_dataset_item(dataset_name="qa/capitals", input={"country": "France"}, expected_output="Paris")``
        """
        return self._datasets.create_dataset_item(dataset_name, **fields)

    def get_dataset_item(self, id: str) -> ApiObject:  # noqa: A002 - the API's name
        """One dataset item by id, archived ones included. Example: ``client.get_dataset_item("item-1")``"""
        return self._datasets.get_dataset_item(id)

    def get_dataset(self, name: str, *, fetch_items_page_size: int = 50, version: Optional[str] = None) -> DatasetClient:
        """A dataset with all its active items (``version``: an ISO timestamp, the items as they
        were then), fetched page by page; each item's ``link(trace_or_observation, run_name, …)``
        records it as run by that trace or observation.

        Example::

            for item in client.get_dataset("qa/capitals").items:
                trace = client.trace.create(name="quiz", input=item.input)
                item.link(trace, "baseline", run_metadata={"model": "v1"})
        """
        return self._datasets.get_dataset(name, fetch_items_page_size, version)

    def get_dataset_run(self, dataset_name: str, run_name: str) -> ApiObject:
        """A run with its run items. Example: ``client.get_dataset_run("qa/capitals", "baseline").dataset_run_items``"""
        return self._datasets.get_dataset_run(dataset_name, run_name)

    def get_dataset_runs(self, dataset_name: str, *, page: Optional[int] = None, limit: Optional[int] = None) -> ApiObject:
        """One page of a dataset's runs, newest first. Example: ``client.get_dataset_runs("qa/capitals").data``"""
        return self._datasets.get_dataset_runs(dataset_name, page, limit)

    # -- buffered mode ---------------------------------------------------------------------------

    @property
    def on_error(self) -> Optional[Callable[[SightlineIngestionError], None]]:
        """Buffered mode: called with a :class:`SightlineIngestionError` for events not stored."""
        return self._on_error

    @on_error.setter
    def on_error(self, callback: Optional[Callable[[SightlineIngestionError], None]]) -> None:
        self._on_error = callback
        if self._buffer is not None:
            self._buffer.on_error = callback

    def _get_buffer(self) -> EventBuffer:
        if self._buffer is None:
            transport = self._transport

            def post(body: str) -> Any:
                return transport.request("POST", "/api/public/ingestion", raw_body=body)

            self._buffer = EventBuffer(post, on_error=self._on_error, **self._buffer_options)  # type: ignore[arg-type]
        return self._buffer

    def enqueue(self, event_type: Any, body: Any = None, *, timestamp: Any = None) -> Optional[str]:
        """Queues one ingestion event and returns at once, without touching the network.

        A background daemon thread sends queued events to ``POST /api/public/ingestion`` in
        batches of up to ``flush_at`` events, at the latest ``flush_interval`` seconds after they
        were queued, on :meth:`flush`, and at interpreter exit.

        Args:
            event_type: an ingestion event type (``"trace-create"``, ``"span-create"``,
                ``"span-update"``, ``"generation-create"``, ``"generation-update"``,
                ``"event-create"``, ``"score-create"``, ``"sdk-log"``, ``"agent-create"``…) — or a
                request object (``CreateTraceRequest(...)``, ``CreateLog(...)``…), whose type is
                then implied.
            body: the event body: a request object or a dict (camelCase or snake_case keys;
                timestamps as strings or datetimes). ``spanId``/``generationId`` name the
                entity of an update; a generation's ``prompt``/``completion`` become its
                input/output.
            timestamp: the event's time (default now); of two events for one entity the later wins.

        Returns:
            The entity id (``body["id"]``, generated when absent) to use as ``traceId`` or
            ``parentObservationId`` of later events. An observation created without ``traceId``
            gets a new trace, as in the synchronous calls. When the queue is full
            (``max_queue_size``) the event is dropped: counted in ``stats()["dropped"]`` and
            warned about once.

        Errors the server reports for single events (inside its 207 answer), and batches that
        could not be delivered after all retries, go to ``on_error`` (or are logged on the
        ``sightline`` logger); they are never raised here. An unknown ``event_type`` raises
        ``ValueError`` since it is a mistake in the calling code.
        """
        if isinstance(event_type, BaseRequest) and body is None:
            body, event_type = event_type, _REQUEST_EVENT_TYPES.get(type(event_type))
            if event_type is None:
                raise ValueError("enqueue(%s): pass the event type too" % (type(body).__name__,))
        if event_type not in EVENT_TYPES:
            raise ValueError(
                "unknown ingestion event type %r; one of: %s" % (event_type, ", ".join(sorted(EVENT_TYPES)))
            )
        data = _ingestion_body(event_type, body)
        entity_id = data.get("id")
        if event_type != "sdk-log" and not entity_id:
            entity_id = data["id"] = str(uuid.uuid4())
        when = format_timestamp(timestamp) if timestamp is not None else self._event_time()
        buffer = self._get_buffer()
        if event_type in _OBSERVATION_CREATE_TYPES and not data.get("traceId"):
            data["traceId"] = str(uuid.uuid4())
            buffer.put(_event("trace-create", {"id": data["traceId"]}, when))
        buffer.put(_event(event_type, data, when))
        return entity_id

    def _event_time(self) -> str:
        """Now, in microseconds and strictly increasing per client: the server applies events of
        one entity in envelope-timestamp order, so this keeps them in the order they were queued."""
        with self._clock_lock:
            micros = max(time.time_ns() // 1000, self._last_event_us + 1)
            self._last_event_us = micros
        return micros_iso(micros)

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Sends every event queued so far and waits for the answers (at most ``timeout``
        seconds). Returns False if the time ran out first. A no-op without buffered events."""
        return True if self._buffer is None else self._buffer.flush(timeout)

    def shutdown(self, timeout: Optional[float] = None) -> bool:
        """Flushes the buffered events and stops the background thread (also done at exit)."""
        return True if self._buffer is None else self._buffer.shutdown(timeout)

    def stats(self) -> Dict[str, int]:
        """Buffered-mode counters: ``queued``, ``sent``, ``failed``, ``dropped``."""
        if self._buffer is None:
            return {"queued": 0, "sent": 0, "failed": 0, "dropped": 0}
        return self._buffer.stats()

    def __enter__(self) -> "Sightline":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.shutdown()


def _pick(name_a: str, a: Optional[str], name_b: str, b: Optional[str]) -> Optional[str]:
    if a and b and a != b:
        raise ValueError("%s= and %s= mean the same thing and disagree (%r vs %r)" % (name_a, name_b, a, b))
    return a or b


def _event(event_type: str, body: Dict[str, Any], timestamp: str) -> Dict[str, Any]:
    return {"id": str(uuid.uuid4()), "type": event_type, "timestamp": timestamp, "body": body}


def _ingestion_body(event_type: str, body: Any) -> Dict[str, Any]:
    """A request object or dict in the shape /api/public/ingestion expects for ``event_type``."""
    if body is None:
        data: Dict[str, Any] = {}
    elif isinstance(body, BaseRequest):
        data = body.to_dict()
    elif isinstance(body, Mapping):
        data = {}
        link: Dict[str, Any] = {}
        for key, value in body.items():
            if value is None:
                continue
            name = camel(str(key))
            if name == "prompt" and prompt_link(value) is not None:
                link = prompt_link(value) or {}
                continue
            data[name] = format_timestamp(value) if name in _TIME_FIELDS else value
        data = to_jsonable(data)
        for name, value in link.items():
            data.setdefault(name, value)
    else:
        raise TypeError("enqueue() body must be a request object or a dict, got %s" % (type(body).__name__,))
    if event_type == "span-update" and "spanId" in data:
        data.setdefault("id", data.pop("spanId"))
    if event_type.startswith("generation-") or event_type.startswith("observation-"):
        if "generationId" in data:
            data.setdefault("id", data.pop("generationId"))
        if "prompt" in data:
            data.setdefault("input", data.pop("prompt"))
        if "completion" in data:
            data.setdefault("output", data.pop("completion"))
        if isinstance(data.get("usage"), dict):
            data["usage"] = {camel(k): v for k, v in data["usage"].items()}
    data.pop("spanId", None)
    data.pop("generationId", None)
    return data


def _request_body(cls: Type[BaseRequest], request: Any, fields: Dict[str, Any]) -> Dict[str, Any]:
    if request is not None and fields:
        raise TypeError("pass either request=%s(...) or keyword fields, not both" % (cls.__name__,))
    if request is None:
        request = cls(**fields)
    elif isinstance(request, Mapping):
        request = cls(**request)
    if not isinstance(request, BaseRequest):
        raise TypeError("request must be a %s (or a dict), got %s" % (cls.__name__, type(request).__name__))
    return request.to_dict()


def _quote(value: Any) -> str:
    if value is None or value == "":
        raise ValueError("an id is required")
    return urllib.parse.quote(str(value), safe="")


class _Resource:
    def __init__(self, client: Sightline) -> None:
        self._client = client

    def _send(self, method: str, path: str, body: Any = None, params: Optional[Mapping[str, Any]] = None) -> Any:
        return self._client.request(method, path, body=body, params=params)


class TraceResource(_Resource):
    """``client.trace``: the seed's trace calls."""

    def create(self, request: Any = None, **fields: Any) -> ApiObject:
        """Creates (or, with an existing ``id``, updates) a trace: ``POST /api/public/traces``.

        ``client.trace.create(request=CreateTraceRequest(name="chat-completion", metadata={...}))``
        — keyword fields (``client.trace.create(name=...)``) work too. An ``id`` is generated
        when absent, so that retries cannot create duplicates. Returns the stored trace.
        """
        body = _request_body(CreateTraceRequest, request, fields)
        body.setdefault("id", str(uuid.uuid4()))
        return self._send("POST", "/api/public/traces", body)


class EventResource(_Resource):
    """``client.event``: discrete events."""

    def create(self, request: Any = None, **fields: Any) -> ApiObject:
        """``POST /api/public/events`` with a :class:`CreateEventRequest`; returns the stored observation."""
        body = _request_body(CreateEventRequest, request, fields)
        body.setdefault("id", str(uuid.uuid4()))
        return self._send("POST", "/api/public/events", body)


class SpanResource(_Resource):
    """``client.span``: durations of work."""

    def create(self, request: Any = None, **fields: Any) -> ApiObject:
        """``POST /api/public/spans`` with a :class:`CreateSpanRequest`; returns the stored span."""
        body = _request_body(CreateSpanRequest, request, fields)
        body.setdefault("id", str(uuid.uuid4()))
        return self._send("POST", "/api/public/spans", body)

    def update(self, request: Any = None, **fields: Any) -> ApiObject:
        """``PATCH /api/public/spans`` with an :class:`UpdateSpanRequest` (``spanId`` names the
        span; ``endTime``, ``metadata`` (merged), ``output``… are applied). Returns the span."""
        return self._send("PATCH", "/api/public/spans", _request_body(UpdateSpanRequest, request, fields))


class GenerationsResource(_Resource):
    """``client.generations``: LLM calls."""

    def log(self, request: Any = None, **fields: Any) -> ApiObject:
        """``POST /api/public/generations`` with a :class:`CreateLog` (model, modelParameters,
        prompt, completion, ``usage=LlmUsage(prompt_tokens=…, completion_tokens=…)``…).
        Returns the stored generation (``.usage.input``, ``.promptTokens``… hold the usage)."""
        body = _request_body(CreateLog, request, fields)
        body.setdefault("id", str(uuid.uuid4()))
        return self._send("POST", "/api/public/generations", body)

    def update(self, request: Any = None, **fields: Any) -> ApiObject:
        """``PATCH /api/public/generations`` with an :class:`UpdateGenerationRequest`
        (``generationId`` names the generation). Returns the generation."""
        return self._send("PATCH", "/api/public/generations", _request_body(UpdateGenerationRequest, request, fields))


class ScoreResource(_Resource):
    """``client.score``: evaluations of traces and observations."""

    def create(self, request: Any = None, **fields: Any) -> ApiObject:
        """``POST /api/public/scores`` with a :class:`CreateScoreRequest`; returns the stored score."""
        body = _request_body(CreateScoreRequest, request, fields)
        body.setdefault("id", str(uuid.uuid4()))
        return self._send("POST", "/api/public/scores", body)


class _ReadResource(_Resource):
    _path = ""
    _list_path = ""

    def get(self, id: Any, **params: Any) -> ApiObject:  # noqa: A002 - mirrors the API
        """Reads one entity by id; raises :class:`SightlineApiError` with status 404 if it does not exist."""
        return self._send("GET", "%s/%s" % (self._path, _quote(id)), params=params)

    def list(self, **params: Any) -> ApiObject:
        """One page: ``{data: [...], meta: {page, limit, totalItems, totalPages}}``.

        Filters are the API's query parameters, in camelCase or snake_case (``user_id`` →
        ``userId``); lists repeat the parameter (``tags=["a", "b"]``); datetimes become ISO-8601.
        """
        return self._send("GET", self._list_path or self._path, params=params)

    def iter(self, **params: Any) -> Iterator[ApiObject]:
        """Yields every entity matching ``params``, page after page (``limit`` sets the page size)."""
        page = int(params.pop("page", 1) or 1)
        while True:
            answer = self.list(page=page, **params)
            data = answer.get("data") or []
            for item in data:
                yield item
            meta = answer.get("meta") or {}
            total_pages = meta.get("totalPages")
            if not data or (total_pages is not None and page >= int(total_pages)):
                return
            page += 1


class TracesResource(_ReadResource):
    """``client.traces``: ``get(trace_id)`` (with observations and scores) and ``list(...)``
    (filters: page, limit, userId, name, sessionId, fromTimestamp, toTimestamp, orderBy, tags,
    version, release, environment, fields, filter)."""

    _path = "/api/public/traces"

    def delete(self, id: Any) -> ApiObject:  # noqa: A002
        """``DELETE /api/public/traces/{id}``."""
        return self._send("DELETE", "%s/%s" % (self._path, _quote(id)))


class ObservationsResource(_ReadResource):
    """``client.observations``: ``get(observation_id)`` and ``list(...)`` (filters: page, limit,
    name, userId, type, traceId, level, parentObservationId, environment, fromStartTime,
    toStartTime, version, filter)."""

    _path = "/api/public/observations"


class ScoresResource(_ReadResource):
    """``client.scores``: ``get(score_id)`` and ``list(...)`` (``GET /api/public/v2/scores``;
    filters: page, limit, userId, name, traceId, observationId, sessionId, source, dataType,
    fromTimestamp, toTimestamp, environment, …)."""

    _path = "/api/public/scores"
    _list_path = "/api/public/v2/scores"


class SessionsResource(_ReadResource):
    """``client.sessions``: ``get(session_id)`` (with its traces) and ``list(...)`` (filters: page,
    limit, fromTimestamp, toTimestamp, environment)."""

    _path = "/api/public/sessions"
