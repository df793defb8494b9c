"""Request classes with the seed document's names, and :class:`ApiObject` for responses.

Request classes take keyword arguments exactly as the seed writes them — camelCase such as
``traceId``, ``startTime``, ``parentObservationId``, ``modelParameters`` — and also accept the
snake_case spelling (``trace_id``), as the original SDK did. ``LlmUsage(prompt_tokens=512,
completion_tokens=49)`` is serialised as ``{"promptTokens": 512, "completionTokens": 49}``.

Arguments left out, or passed as ``None``, are not sent. Timestamps may be strings (the seed's
``'%Y-%m-%dT%H:%M:%SZ'``) or ``datetime`` objects (naive ones are taken to be UTC). An unknown
keyword raises ``TypeError`` listing the accepted ones.
"""

from typing import Any, ClassVar, Dict, Iterator, List, Tuple

from ._serialize import camel, format_timestamp, snake, to_jsonable
from .prompts import prompt_link

__all__ = [
    "ApiObject",
    "BaseRequest",
    "CreateTraceRequest",
    "CreateEventRequest",
    "CreateSpanRequest",
    "UpdateSpanRequest",
    "CreateLog",
    "UpdateGenerationRequest",
    "LlmUsage",
    "CreateScoreRequest",
]


class ApiObject(dict):
    """A JSON object from the server: a ``dict`` whose keys are also attributes.

    ``trace.id``, ``trace["id"]`` and ``trace.get("id")`` all work; camelCase fields can also be
    read in snake_case (``observation.trace_id`` is ``observation["traceId"]``). Nested objects
    are ``ApiObject`` too, so ``trace.observations[0].usage.input`` works. Being a ``dict``, it
    compares equal to plain dicts and can be passed to ``json.dumps``. Keys that clash with
    ``dict`` methods (``items``, ``keys``, ``values``, ``get``, ``update``…) need ``obj["key"]``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, value in list(dict.items(self)):
            dict.__setitem__(self, key, wrap(value))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name in self:
            return self[name]
        alias = camel(name)
        if alias in self:
            return self[alias]
        raise AttributeError("%s has no field %r (fields: %s)" % (type(self).__name__, name, ", ".join(self.keys())))

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def __dir__(self) -> List[str]:
        return sorted(set(list(super().__dir__()) + [k for k in self.keys() if isinstance(k, str)]))

    def to_dict(self) -> Dict[str, Any]:
        """A plain ``dict`` copy (nested ``ApiObject`` values become plain dicts too)."""
        return _unwrap(self)

    def __repr__(self) -> str:
        return "%s(%s)" % (type(self).__name__, dict.__repr__(self))


def wrap(value: Any) -> Any:
    """Turns decoded JSON into ``ApiObject``s (dicts inside lists included)."""
    if isinstance(value, ApiObject):
        return value
    if isinstance(value, dict):
        return ApiObject(value)
    if isinstance(value, list):
        return [wrap(v) for v in value]
    return value


def _unwrap(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _unwrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unwrap(v) for v in value]
    return value


class BaseRequest:
    """Common behaviour of the request classes: keyword validation and camelCase serialisation."""

    #: camelCase wire names of the accepted fields.
    _fields: ClassVar[Tuple[str, ...]] = ()
    #: fields that must be given.
    _required: ClassVar[Tuple[str, ...]] = ()
    #: fields holding timestamps (strings or datetimes).
    _time_fields: ClassVar[Tuple[str, ...]] = ()

    def __init__(self, **kwargs: Any) -> None:
        values: Dict[str, Any] = {}
        lookup = {f: f for f in self._fields}
        lookup.update({snake(f): f for f in self._fields})
        for key, value in kwargs.items():
            field = lookup.get(key)
            if field is None:
                raise TypeError(
                    "%s() got an unexpected keyword argument %r; accepted: %s"
                    % (type(self).__name__, key, ", ".join(self._fields))
                )
            if field in values and values[field] is not None and value is not None:
                raise TypeError("%s() got %r twice (as %s and %s)" % (type(self).__name__, field, field, key))
            if value is not None or field not in values:
                values[field] = value
        missing = [f for f in self._required if values.get(f) is None]
        if missing:
            raise TypeError(
                "%s() missing required keyword argument%s: %s"
                % (type(self).__name__, "s" if len(missing) > 1 else "", ", ".join(missing))
            )
        object.__setattr__(self, "_values", values)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        values = object.__getattribute__(self, "_values")
        for key in (name, camel(name)):
            if key in self._fields:
                return values.get(key)
        raise AttributeError("%s has no field %r" % (type(self).__name__, name))

    def __setattr__(self, name: str, value: Any) -> None:
        field = name if name in self._fields else camel(name)
        if field not in self._fields:
            raise AttributeError("%s has no field %r" % (type(self).__name__, name))
        self._values[field] = value

    def to_dict(self) -> Dict[str, Any]:
        """The JSON body: camelCase keys, ``None`` values left out, timestamps as ISO-8601 text."""
        out: Dict[str, Any] = {}
        link: Dict[str, Any] = {}
        for key, value in self._values.items():
            if value is None:
                continue
            if key == "prompt" and prompt_link(value) is not None:
                link = prompt_link(value) or {}
                continue
            if key in self._time_fields:
                value = format_timestamp(value)
            out[key] = to_jsonable(value)
        for key, value in link.items():
            out.setdefault(key, value)  # an explicit promptName/promptVersion wins
        return out

    def __iter__(self) -> Iterator[Tuple[str, Any]]:
        return iter(self.to_dict().items())

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.to_dict() == self.to_dict()  # type: ignore[attr-defined]

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        args = ", ".join("%s=%r" % (k, v) for k, v in self._values.items() if v is not None)
        return "%s(%s)" % (type(self).__name__, args)


_OBSERVATION = (
    "id",
    "traceId",
    "name",
    "startTime",
    "metadata",
    "input",
    "output",
    "level",
    "statusMessage",
    "parentObservationId",
    "version",
    "environment",
)
_GENERATION_EXTRA = (
    "endTime",
    "completionStartTime",
    "model",
    "modelParameters",
    "prompt",
    "completion",
    "usage",
    "usageDetails",
    "costDetails",
    "promptName",
    "promptVersion",
)


class CreateTraceRequest(BaseRequest):
    """Body of ``client.trace.create`` (POST /api/public/traces).

    Fields: ``id`` (generated when absent), ``name``, ``metadata``, ``userId``, ``sessionId``,
    ``input``, ``output``, ``release``, ``version``, ``tags``, ``public``, ``timestamp``,
    ``environment``, ``externalId``.

    Example (from the seed)::

        CreateTraceRequest(name="chat-completion", metadata={"env": "production", "user": "user__935d"})
    """

    _fields = (
        "id",
        "name",
        "timestamp",
        "metadata",
        "userId",
        "sessionId",
        "input",
        "output",
        "release",
        "version",
        "tags",
        "public",
        "environment",
        "externalId",
    )
    _time_fields = ("timestamp",)


class CreateEventRequest(BaseRequest):
    """Body of ``client.event.create`` (POST /api/public/events): a discrete event in a trace.

    Fields: ``traceId`` (a new trace is created when absent), ``name``, ``startTime``,
    ``metadata``, ``input``, ``output``, ``parentObservationId``, ``level``
    (DEBUG|DEFAULT|WARNING|ERROR), ``statusMessage``, ``version``, ``environment``, ``id``.
    """

    _fields = _OBSERVATION
    _time_fields = ("startTime",)


class CreateSpanRequest(BaseRequest):
    """Body of ``client.span.create`` (POST /api/public/spans): a duration of work in a trace.

    Fields: those of :class:`CreateEventRequest` plus ``endTime``.
    """

    _fields = _OBSERVATION + ("endTime",)
    _time_fields = ("startTime", "endTime")


class UpdateSpanRequest(BaseRequest):
    """Body of ``client.span.update`` (PATCH /api/public/spans).

    ``spanId`` (required) names the span; ``endTime``, ``metadata`` (merged with the stored
    metadata), ``output`` and the other span fields are applied to it.
    """

    _fields = ("spanId",) + tuple(f for f in _OBSERVATION if f != "id") + ("endTime",)
    _required = ("spanId",)
    _time_fields = ("startTime", "endTime")


class LlmUsage(BaseRequest):
    """Token usage of a generation: ``LlmUsage(prompt_tokens=512, completion_tokens=49)``.

    Serialised as ``{"promptTokens": 512, "completionTokens": 49}`` (``totalTokens`` optional).
    The camelCase spelling (``promptTokens=…``) is accepted too.
    """

    _fields = ("promptTokens", "completionTokens", "totalTokens")


class CreateLog(BaseRequest):
    """Body of ``client.generations.log`` (POST /api/public/generations): one LLM call.

    Fields: ``traceId``, ``name``, ``startTime``, ``endTime``, ``completionStartTime``, ``model``,
    ``modelParameters``, ``prompt`` (stored as the observation's input; a prompt object from
    ``get_prompt`` instead links the generation to that version: ``promptName``/``promptVersion``,
    nothing for a fallback), ``completion`` (its
    output), ``usage`` (an :class:`LlmUsage` or a dict), ``metadata``, ``parentObservationId``,
    ``level``, ``statusMessage``, ``version``, ``environment``, ``usageDetails``,
    ``costDetails``, ``promptName``/``promptVersion``, ``input``/``output``, ``id``.
    """

    _fields = _OBSERVATION + _GENERATION_EXTRA
    _time_fields = ("startTime", "endTime", "completionStartTime")


class UpdateGenerationRequest(BaseRequest):
    """Body of ``client.generations.update`` (PATCH /api/public/generations).

    ``generationId`` (required) names the generation; the other fields are those of
    :class:`CreateLog` (e.g. ``endTime``, ``completion``, ``usage``).
    """

    _fields = ("generationId",) + tuple(f for f in _OBSERVATION + _GENERATION_EXTRA if f != "id")
    _required = ("generationId",)
    _time_fields = ("startTime", "endTime", "completionStartTime")


class CreateScoreRequest(BaseRequest):
    """Body of ``client.score.create`` (POST /api/public/scores): an evaluation of a trace.

    ``name`` and ``value`` are required; ``traceId`` names the trace and ``observationId``
    optionally one of its observations. Also: ``comment``, ``dataType``
    (NUMERIC|CATEGORICAL|BOOLEAN|TEXT), ``metadata``, ``sessionId``, ``datasetRunId``,
    ``configId``, ``environment``, ``id``.
    """

    _fields = (
        "id",
        "traceId",
        "name",
        "value",
        "observationId",
        "comment",
        "dataType",
        "metadata",
        "sessionId",
        "datasetRunId",
        "configId",
        "environment",
    )
    _required = ("name", "value")
