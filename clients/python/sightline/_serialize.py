"""Timestamp formatting and lenient JSON encoding (standard library only)."""

import dataclasses
import datetime as _dt
import decimal
import enum
import json
import re
import uuid
from typing import Any

_NAIVE_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$")


def format_timestamp(value: Any) -> Any:
    """Returns ``value`` as the ISO-8601 text the server expects (UTC, with ``Z``).

    * ``datetime`` objects: aware ones are converted to UTC; naive ones are taken to be UTC
      already (what ``datetime.utcnow()`` returns). Milliseconds are kept.
    * ``date`` objects: midnight UTC.
    * strings: sent as written (the seed's ``'%Y-%m-%dT%H:%M:%SZ'`` is valid as is), except that a
      string without an offset such as ``2023-06-22T11:56:38`` is taken to be UTC and gets ``Z``.
    * ``int``/``float``: seconds since the epoch.
    * ``None`` and anything else: returned unchanged (the server validates it).
    """
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        else:
            value = value.replace(tzinfo=None)
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (value.microsecond // 1000)
    if isinstance(value, _dt.date):
        return value.strftime("%Y-%m-%dT00:00:00.000Z")
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return format_timestamp(_dt.datetime.fromtimestamp(value, _dt.timezone.utc))
    if isinstance(value, str) and _NAIVE_ISO.match(value):
        return value.replace(" ", "T", 1) + "Z"
    return value


def now_iso() -> str:
    """The current time as ``YYYY-MM-DDTHH:MM:SS.mmmZ``."""
    return format_timestamp(_dt.datetime.now(_dt.timezone.utc))


_EPOCH = _dt.datetime(1970, 1, 1)


def micros_iso(micros: int) -> str:
    """Microseconds since the epoch as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (the server orders events
    of one millisecond by the sub-millisecond digits)."""
    return (_EPOCH + _dt.timedelta(microseconds=micros)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def to_jsonable(value: Any) -> Any:
    """Converts request objects, datetimes and other common Python values into JSON values."""
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict) and not isinstance(value, type):
        return to_jsonable(to_dict())
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (_dt.datetime, _dt.date)):
        return format_timestamp(value)
    if isinstance(value, _dt.time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(dataclasses.asdict(value))
    return str(value)


def dumps(value: Any) -> str:
    """Compact JSON text of ``value`` after :func:`to_jsonable` (NaN/Infinity become ``null``)."""
    return json.dumps(_finite(to_jsonable(value)), separators=(",", ":"), ensure_ascii=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def camel(name: str) -> str:
    """``trace_id`` → ``traceId``; names without underscores are returned unchanged."""
    if "_" not in name.strip("_"):
        return name
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest if p)


def snake(name: str) -> str:
    """``traceId`` → ``trace_id``."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
