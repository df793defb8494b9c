"""HTTP transport on ``urllib``: Basic auth, JSON, timeouts, retries with exponential backoff."""

import base64
import datetime as _dt
import email.utils
import http.client
import json
import logging
import random
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Tuple, Union

from ._serialize import camel, dumps, format_timestamp
from .errors import SightlineApiError, SightlineConnectionError, SightlineTimeoutError
from .version import __version__

logger = logging.getLogger("sightline")

#: Statuses worth another try: request timeout, rate limiting and server-side failures (every
#: 5xx except 501 Not Implemented and 505 HTTP Version Not Supported, which will not change).
RETRY_STATUSES = frozenset([408, 429] + [s for s in range(500, 600) if s not in (501, 505)])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects would drop the request body (and could leak credentials); report them instead."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


class Transport:
    """Sends JSON requests to one Sightline server.

    Network errors (refused/reset connections, timeouts) and the statuses in
    :data:`RETRY_STATUSES` are retried up to ``max_retries`` times, waiting
    ``backoff_base * 2**attempt`` seconds (with ±25 % jitter, at most ``backoff_max``) or what the
    server's ``Retry-After`` header asks for (at most ``retry_after_max``).
    """

    def __init__(
        self,
        base_url: str,
        public_key: str,
        secret_key: str,
        timeout: float = 10.0,
        max_retries: int = 3,
        backoff_base: float = 0.5,
        backoff_max: float = 10.0,
        retry_after_max: float = 60.0,
        headers: Optional[Mapping[str, str]] = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max(0, int(max_retries))
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.retry_after_max = retry_after_max
        self._sleep = sleep
        token = base64.b64encode(("%s:%s" % (public_key, secret_key)).encode("utf-8")).decode("ascii")
        self._headers = {
            "Authorization": "Basic " + token,
            "Accept": "application/json",
            "User-Agent": "sightline-python/%s" % __version__,
            "x-langfuse-sdk-name": "sightline-python",
            "x-langfuse-sdk-version": __version__,
            "x-langfuse-public-key": public_key,
        }
        if headers:
            self._headers.update(headers)
        self._opener = urllib.request.build_opener(_NoRedirect())

    def url(self, path: str, params: Optional[Mapping[str, Any]] = None) -> str:
        url = self.base_url + path
        query = encode_query(params or {})
        return url + ("?" + query if query else "")

    def request(
        self,
        method: str,
        path: str,
        json_body: Any = None,
        params: Optional[Mapping[str, Any]] = None,
        raw_body: Optional[Union[str, bytes]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Tuple[int, Any]:
        """Sends one request (retrying as configured) and returns ``(status, decoded JSON body)``.

        Raises :class:`SightlineApiError` for 4xx/5xx answers (after retries for retryable
        ones), :class:`SightlineTimeoutError` / :class:`SightlineConnectionError` when no answer
        came.
        """
        url = self.url(path, params)
        data: Optional[bytes] = None
        if raw_body is not None:
            data = raw_body.encode("utf-8") if isinstance(raw_body, str) else raw_body
        elif json_body is not None:
            data = dumps(json_body).encode("utf-8")
        headers = dict(self._headers)
        if data is not None:
            headers["Content-Type"] = "application/json"
        retries = self.max_retries if max_retries is None else max(0, int(max_retries))
        wait_timeout = self.timeout if timeout is None else timeout
        attempt = 0
        while True:
            try:
                return self._send_once(method, url, data, headers, wait_timeout)
            except SightlineApiError as err:
                if err.status_code not in RETRY_STATUSES or attempt >= retries:
                    raise
                delay = self._retry_after(err.headers)
                if delay is None:
                    delay = self._backoff(attempt)
                reason = "HTTP %d" % err.status_code
            except SightlineConnectionError as err:
                if attempt >= retries:
                    raise
                delay = self._backoff(attempt)
                reason = str(err)
            logger.debug("%s %s failed (%s); retry %d/%d in %.2fs", method, url, reason, attempt + 1, retries, delay)
            self._sleep(delay)
            attempt += 1

    def _send_once(
        self, method: str, url: str, data: Optional[bytes], headers: Dict[str, str], timeout: float
    ) -> Tuple[int, Any]:
        req = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with self._opener.open(req, timeout=timeout) as resp:
                status = resp.status
                text = resp.read().decode("utf-8", "replace")
                resp_headers = resp.headers
                reason = resp.reason
        except urllib.error.HTTPError as err:
            status = err.code
            try:
                text = err.read().decode("utf-8", "replace")
            except Exception:  # the body may be unreadable after a reset
                text = ""
            finally:
                err.close()
            resp_headers = err.headers
            reason = str(err.reason or "")
        except urllib.error.URLError as err:
            if _is_timeout(err.reason):
                raise SightlineTimeoutError(
                    "%s %s: no answer within %ss" % (method, url, timeout)
                ) from err
            raise SightlineConnectionError("%s %s: %s" % (method, url, err.reason)) from err
        except (socket.timeout, TimeoutError) as err:
            raise SightlineTimeoutError("%s %s: no answer within %ss" % (method, url, timeout)) from err
        except (http.client.HTTPException, ConnectionError, OSError) as err:
            if isinstance(err, ssl.SSLCertVerificationError):
                raise SightlineConnectionError("%s %s: %s" % (method, url, err)) from err
            raise SightlineConnectionError("%s %s: %s: %s" % (method, url, type(err).__name__, err)) from err
        body = _decode(text)
        if status >= 400 or (300 <= status < 400):
            raise SightlineApiError(status, body, method=method, url=url, headers=resp_headers, reason=reason)
        return status, body

    def _backoff(self, attempt: int) -> float:
        delay = min(self.backoff_max, self.backoff_base * (2 ** attempt))
        return max(0.0, delay * random.uniform(0.75, 1.25))

    def _retry_after(self, headers: Any) -> Optional[float]:
        value = headers.get("Retry-After") if headers is not None else None
        if not value:
            return None
        value = value.strip()
        try:
            seconds = float(value)
        except ValueError:
            parsed = email.utils.parsedate_to_datetime(value) if value else None
            if parsed is None:
                return None
            seconds = parsed.timestamp() - time.time()
        return min(self.retry_after_max, max(0.0, seconds))


def _is_timeout(reason: Any) -> bool:
    return isinstance(reason, (socket.timeout, TimeoutError)) or "timed out" in str(reason)


def _decode(text: str) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def encode_query(params: Mapping[str, Any]) -> str:
    """Query string: snake_case names become camelCase, lists repeat the name, ``None`` is left
    out, datetimes become ISO-8601 text, dicts/lists under ``filter`` become JSON, and booleans
    ``true``/``false``."""
    pairs = []
    for key, value in params.items():
        if value is None:
            continue
        name = camel(key)
        if name == "filter" and not isinstance(value, str):
            pairs.append((name, dumps(value)))
            continue
        values: Sequence[Any] = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        for item in values:
            if item is None:
                continue
            if isinstance(item, bool):
                item = "true" if item else "false"
            elif isinstance(item, (_dt.datetime, _dt.date)):
                item = format_timestamp(item)
            pairs.append((name, str(item)))
    return urllib.parse.urlencode(pairs)
