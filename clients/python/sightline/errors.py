"""Exceptions raised by the Sightline client.

Every exception derives from :class:`SightlineError`::

    SightlineError
    ├── SightlineApiError          the server answered with a 4xx/5xx status
    ├── SightlineConnectionError   no answer (refused, reset, DNS…) after all retries
    │   └── SightlineTimeoutError  no answer within ``timeout`` seconds after all retries
    └── SightlineIngestionError    passed to ``on_error`` in buffered mode (never raised)
"""

from typing import Any, Dict, List, Mapping, Optional


class SightlineError(Exception):
    """Base class of every error of this package."""


class SightlineApiError(SightlineError):
    """The server answered with an error status.

    Attributes:
        status_code: the HTTP status (e.g. 400, 401, 404, 429, 503).
        body: the decoded JSON body (usually ``{"message": ..., "error": ...}``), or the raw
            text when the body was not JSON.
        message: the server's ``message`` (or the raw text / reason phrase).
        error: the server's ``error`` field (a class name, details or a list of issues), if any.
        headers: the response headers (a case-insensitive mapping).
        method, url: the request that failed.
    """

    def __init__(
        self,
        status_code: int,
        body: Any,
        method: str = "",
        url: str = "",
        headers: Optional[Mapping[str, str]] = None,
        reason: str = "",
    ) -> None:
        self.status_code = status_code
        self.body = body
        self.method = method
        self.url = url
        self.headers = headers if headers is not None else {}
        self.error = body.get("error") if isinstance(body, dict) else None
        message = None
        if isinstance(body, dict) and body.get("message") is not None:
            message = str(body["message"])
        elif isinstance(body, str) and body.strip():
            message = body.strip()[:1000]
        self.message = message or reason or "HTTP %d" % status_code
        text = "%d %s" % (status_code, self.message)
        if self.error is not None and not isinstance(self.error, str):
            text += " (%s)" % (_short(self.error),)
        elif isinstance(self.error, str) and self.error and self.error not in self.message:
            text += " [%s]" % (self.error,)
        if method or url:
            text += " — %s %s" % (method, url)
        super().__init__(text)


class SightlineConnectionError(SightlineError):
    """The request got no HTTP answer (connection refused or reset, DNS failure…) after all retries.

    ``__cause__`` holds the last underlying exception.
    """


class SightlineTimeoutError(SightlineConnectionError):
    """The server did not answer within the configured ``timeout`` after all retries."""


class SightlineIngestionError(SightlineError):
    """A buffered-mode failure, handed to the client's ``on_error`` callback (or logged).

    It is never raised into the code that called :meth:`Sightline.enqueue`.

    Attributes:
        events: the ingestion events that were not stored (``{id, type, timestamp, body}``).
        status_code: the per-event status from the 207 answer, the HTTP status of a rejected
            batch, or ``None`` when the server could not be reached.
        message: what went wrong.
        error: the server's ``error`` detail, if any.
        cause: the underlying exception for a failed request, else ``None``.
    """

    def __init__(
        self,
        message: str,
        events: List[Dict[str, Any]],
        status_code: Optional[int] = None,
        error: Any = None,
        cause: Optional[BaseException] = None,
    ) -> None:
        self.message = message
        self.events = events
        self.status_code = status_code
        self.error = error
        self.cause = cause
        text = message
        if status_code is not None:
            text = "%s: %s" % (status_code, message)
        if error is not None and error != message:
            text += " (%s)" % (_short(error),)
        super().__init__(text)


def _short(value: Any, limit: int = 300) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
