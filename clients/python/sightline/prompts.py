"""Prompt management: ``client.get_prompt(name)`` with a per-process cache, ``compile``.

The rules are those of the Langfuse Python SDK::

    prompt = client.get_prompt("greet")                     # label "production"
    prompt.compile(name="Ada")                              # "Hi Ada"
    client.get_prompt("greet", version=3)
    client.get_prompt("support", label="staging", type="chat")
    client.get_prompt("greet", fallback="Hi {{name}}")      # used only if the fetch fails and nothing is cached

A fetched prompt is served from the cache for ``cache_ttl_seconds`` (60). After that the cached
one is still returned at once while one background thread fetches the new one; a failed refresh
is logged on the ``sightline`` logger and the cached prompt stays in use.
"""

import json
import logging
import re
import threading
import time
import urllib.parse
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

__all__ = ["TextPromptClient", "ChatPromptClient", "PromptCache", "DEFAULT_PROMPT_CACHE_TTL_SECONDS"]

logger = logging.getLogger("sightline")

DEFAULT_PROMPT_CACHE_TTL_SECONDS = 60
_VARIABLE = re.compile(r"\{\{\s*([\w.-]+)\s*\}\}")


def _render(template: str, variables: Dict[str, Any]) -> str:
    # As the Langfuse Python SDK: only given variables are replaced; others stay in the text.
    def replace(match: "re.Match[str]") -> str:
        name = match.group(1)
        return str(variables[name]) if name in variables else match.group(0)

    return _VARIABLE.sub(replace, template)


def prompt_link(value: Any) -> Optional[Dict[str, Any]]:
    """The ``promptName``/``promptVersion`` a generation made from prompt object ``value`` carries,
    ``{}`` for a fallback (it names no stored version), or None when ``value`` is no prompt object
    (then it is the generation's input, as ``CreateLog.prompt`` always was)."""
    if not isinstance(value, _BasePrompt):
        return None
    return {} if value.is_fallback else {"promptName": value.name, "promptVersion": value.version}


class _BasePrompt:
    def __init__(self, data: Dict[str, Any], is_fallback: bool) -> None:
        self.name: str = data["name"]
        self.version: int = data.get("version", 0)
        self.config: Any = data.get("config") or {}
        self.labels: List[str] = list(data.get("labels") or [])
        self.tags: List[str] = list(data.get("tags") or [])
        self.commit_message: Optional[str] = data.get("commitMessage")
        self.is_fallback = is_fallback

    def __repr__(self) -> str:
        return "<%s %r version=%r labels=%r%s>" % (
            type(self).__name__, self.name, self.version, self.labels, " fallback" if self.is_fallback else ""
        )


class TextPromptClient(_BasePrompt):
    """A text prompt: ``prompt.prompt`` is the text, ``prompt.compile(name="Ada")`` fills it in.

    Example::

        client.get_prompt("greet").compile(name="Ada", place="Paris")
    """

    type = "text"

    def __init__(self, data: Dict[str, Any], is_fallback: bool = False) -> None:
        super().__init__(data, is_fallback)
        self.prompt: str = data["prompt"] if isinstance(data["prompt"], str) else json.dumps(data["prompt"])

    def compile(self, **variables: Any) -> str:
        """The text with each ``{{name}}`` given in ``variables`` replaced by ``str(value)``."""
        return _render(self.prompt, variables)


class ChatPromptClient(_BasePrompt):
    """A chat prompt: a list of ``{"role", "content"}`` messages and ``{"type": "placeholder", "name"}`` slots.

    ``compile(**kwargs)`` replaces each placeholder whose name is a keyword with that list of
    messages (an empty list removes it; placeholders without a value stay in the result), then
    fills ``{{variables}}`` in every message's content.

    Example::

        client.get_prompt("support", type="chat").compile(product="Sightline", history=[{"role": "user", "content": "hi"}])
    """

    type = "chat"

    def __init__(self, data: Dict[str, Any], is_fallback: bool = False) -> None:
        super().__init__(data, is_fallback)
        self.prompt: List[Dict[str, Any]] = [
            dict(item) if "type" in item else {"type": "chatmessage", **item} for item in data["prompt"]
        ]

    def compile(self, **kwargs: Any) -> List[Dict[str, Any]]:
        out: List[Dict[str, Any]] = []
        for item in self.prompt:
            if item.get("type") == "placeholder":
                value = kwargs.get(item["name"])
                if isinstance(value, list) and all(isinstance(m, dict) and "role" in m and "content" in m for m in value):
                    out.extend({**m, "content": _render(str(m["content"]), kwargs)} for m in value)
                elif value is not None:
                    raise ValueError("placeholder %r needs a list of {'role', 'content'} messages" % item["name"])
                else:
                    out.append({"type": "placeholder", "name": item["name"]})
            else:
                out.append({"role": item["role"], "content": _render(str(item["content"]), kwargs)})
        return out


PromptClient = Union[TextPromptClient, ChatPromptClient]


def prompt_client(data: Dict[str, Any], is_fallback: bool = False) -> PromptClient:
    if data.get("type") == "chat" and isinstance(data.get("prompt"), list):
        return ChatPromptClient(data, is_fallback)
    return TextPromptClient(data, is_fallback)


class PromptCache:
    """Prompts by ``name-label:L`` / ``name-version:N``; expired entries are kept and served while refreshing."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._entries: Dict[str, Tuple[PromptClient, float]] = {}
        self._refreshing: Dict[str, threading.Thread] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(name: str, version: Optional[int], label: Optional[str]) -> str:
        if version is not None:
            return "%s-version:%s" % (name, version)
        return "%s-label:%s" % (name, label or "production")

    def get(self, key: str) -> Optional[Tuple[PromptClient, bool]]:
        with self._lock:
            entry = self._entries.get(key)
        return None if entry is None else (entry[0], self.clock() > entry[1])

    def set(self, key: str, value: PromptClient, ttl_seconds: Optional[float]) -> None:
        ttl = DEFAULT_PROMPT_CACHE_TTL_SECONDS if ttl_seconds is None else ttl_seconds
        with self._lock:
            self._entries[key] = (value, self.clock() + ttl)

    def invalidate(self, name: str) -> None:
        with self._lock:
            for key in [k for k, (value, _) in self._entries.items() if value.name == name]:
                del self._entries[key]

    def refresh_once(self, key: str, refresh: Callable[[], Any]) -> Optional[threading.Thread]:
        """Starts ``refresh`` in a daemon thread unless one runs for ``key``; returns the running thread."""
        with self._lock:
            running = self._refreshing.get(key)
            if running is not None:
                return running
            thread = threading.Thread(target=self._run_refresh, args=(key, refresh), name="sightline-prompt-refresh", daemon=True)
            self._refreshing[key] = thread
        thread.start()
        return thread

    def _run_refresh(self, key: str, refresh: Callable[[], Any]) -> None:
        try:
            refresh()
        except Exception as err:  # noqa: BLE001 - a background refresh must never raise
            logger.warning("refreshing prompt %s failed; the cached version stays in use: %s", key, err)
        finally:
            with self._lock:
                self._refreshing.pop(key, None)


class Prompts:
    """The prompt calls of :class:`~sightline.client.Sightline` (``get_prompt``, ``create_prompt``, ``update_prompt``)."""

    def __init__(self, request: Callable[..., Tuple[int, Any]], clock: Callable[[], float]) -> None:
        self._request = request
        self.cache = PromptCache(clock)

    def get(
        self,
        name: str,
        version: Optional[int] = None,
        label: Optional[str] = None,
        cache_ttl_seconds: Optional[float] = None,
        fallback: Union[None, str, List[Dict[str, Any]]] = None,
        max_retries: Optional[int] = None,
        fetch_timeout_seconds: Optional[float] = None,
        type: str = "text",  # noqa: A002 - the Langfuse SDK's name
    ) -> PromptClient:
        if version is not None and label is not None:
            raise ValueError("pass either version or label, not both")
        key = PromptCache.key(name, version, label)
        cached = self.cache.get(key)

        def fetch() -> PromptClient:
            params = {"version": version, "label": label}
            retries = 2 if max_retries is None else min(4, max(0, int(max_retries)))
            _status, body = self._request(
                "GET", "/api/public/v2/prompts/%s" % _quote(name), params={k: v for k, v in params.items() if v is not None},
                max_retries=retries, timeout=fetch_timeout_seconds,
            )
            prompt = prompt_client(dict(body))
            self.cache.set(key, prompt, cache_ttl_seconds)
            return prompt

        if cached is None or cache_ttl_seconds == 0:
            try:
                return fetch()
            except Exception:
                if fallback is None:
                    raise
                data = {"name": name, "version": version or 0, "labels": [label] if label else [], "config": {}, "tags": []}
                if isinstance(fallback, list):
                    return ChatPromptClient({**data, "type": "chat", "prompt": fallback}, is_fallback=True)
                return TextPromptClient({**data, "type": "text", "prompt": fallback}, is_fallback=True)
        value, expired = cached
        if expired:
            self.cache.refresh_once(key, fetch)
        return value

    def create(self, name: str, prompt: Union[str, List[Dict[str, Any]]], **fields: Any) -> PromptClient:
        body: Dict[str, Any] = {"name": name, "prompt": prompt, "type": fields.pop("type", None) or ("chat" if isinstance(prompt, list) else "text")}
        if "commit_message" in fields:
            fields["commitMessage"] = fields.pop("commit_message")
        unknown = set(fields) - {"labels", "tags", "config", "commitMessage"}
        if unknown:
            raise TypeError("create_prompt() got unexpected keyword(s) %s; accepted: labels, tags, config, commit_message, type" % sorted(unknown))
        body.update({k: v for k, v in fields.items() if v is not None})
        _status, answer = self._request("POST", "/api/public/v2/prompts", json_body=body)
        # A new version may take a label from an older one: cached prompts of this name are stale.
        self.cache.invalidate(name)
        return prompt_client(dict(answer))

    def update(self, name: str, version: int, new_labels: List[str]) -> PromptClient:
        path = "/api/public/v2/prompts/%s/versions/%d" % (_quote(name), int(version))
        _status, answer = self._request("PATCH", path, json_body={"newLabels": list(new_labels)})
        self.cache.invalidate(name)
        return prompt_client(dict(answer))


def _quote(value: Any) -> str:
    return urllib.parse.quote(str(value), safe="")

