"""Sightline — a dependency-free Python client for the Sightline (Langfuse-compatible) server.

Quick start (the seed document's flow; see README.md and :mod:`sightline.client`)::

    from sightline.client import Sightline
    from sightline import CreateTraceRequest, CreateLog, LlmUsage, CreateScoreRequest

    client = Sightline(environment="http://localhost:3000", username="pk-lf-...", password="sk-lf-...")
    trace = client.trace.create(request=CreateTraceRequest(name="chat-completion"))
    generation = client.generations.log(request=CreateLog(
        traceId=trace.id, name="test", model="gpt-3.5-turbo",
        prompt=[{"role": "user", "content": "Hello"}], completion="Hi",
        usage=LlmUsage(prompt_tokens=512, completion_tokens=49)))
    client.score.create(request=CreateScoreRequest(
        traceId=trace.id, name="user-explicit-feedback", value=1, observationId=generation.id))
    print(client.traces.get(trace.id).observations[0].usage)

Only the standard library is used; Python 3.9 or newer.
"""

from .client import Sightline
from .errors import (
    SightlineApiError,
    SightlineConnectionError,
    SightlineError,
    SightlineIngestionError,
    SightlineTimeoutError,
)
from .datasets import DatasetClient, DatasetItemClient
from .prompts import ChatPromptClient, TextPromptClient
from .types import (
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
from .version import __version__

__all__ = [
    "Sightline",
    "SightlineError",
    "SightlineApiError",
    "SightlineConnectionError",
    "SightlineTimeoutError",
    "SightlineIngestionError",
    "ApiObject",
    "TextPromptClient",
    "ChatPromptClient",
    "DatasetClient",
    "DatasetItemClient",
    "CreateTraceRequest",
    "CreateEventRequest",
    "CreateSpanRequest",
    "UpdateSpanRequest",
    "CreateLog",
    "UpdateGenerationRequest",
    "LlmUsage",
    "CreateScoreRequest",
    "__version__",
]
