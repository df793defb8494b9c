"""Datasets: test sets of inputs and expected outputs, and runs of an application over them.

The calls and names are those of the Langfuse Python SDK::

    client.create_dataset(name="qa/capitals", description="capital cities")
    client.create_dataset_item(dataset_name="qa/capitals", input={"country": "France"}, expected_output="Paris")
    dataset = client.get_dataset("qa/capitals")
    for item in dataset.items:
        trace = client.trace.create(name="quiz", input=item.input)
        item.link(trace, "baseline", run_description="lookup table", run_metadata={"model": "v1"})
    run = client.get_dataset_run("qa/capitals", "baseline")     # the run with its run items
"""

import urllib.parse
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, Union

from .types import ApiObject, wrap

__all__ = ["DatasetClient", "DatasetItemClient", "Datasets"]

Request = Callable[..., Tuple[int, Any]]


def _quote(value: Any) -> str:
    return urllib.parse.quote(str(value), safe="")


def _link_target(target: Union[str, Mapping[str, Any]]) -> Tuple[str, Optional[str]]:
    """``(trace_id, observation_id)`` of what an item is linked to: a trace id, a trace, or an observation."""
    if isinstance(target, str):
        return target, None
    if isinstance(target, Mapping):
        if target.get("traceId"):  # an observation (span, generation, event) carries its trace's id
            return str(target["traceId"]), str(target["id"])
        if target.get("id"):
            return str(target["id"]), None
    raise TypeError("link() needs a trace id, a trace or an observation (an object with id / traceId); got %r" % (target,))


class DatasetItemClient(ApiObject):
    """A dataset item (``item.input``, ``item.expected_output``…) that can be linked to a run.

    Example::

        item.link(generation, "baseline", run_metadata={"model": "gpt-4o"})
    """

    def __init__(self, data: Mapping[str, Any], link: Callable[..., ApiObject]) -> None:
        super().__init__(data)
        object.__setattr__(self, "_link", link)

    def link(
        self,
        trace_or_observation: Union[str, Mapping[str, Any]],
        run_name: str,
        run_description: Optional[str] = None,
        run_metadata: Any = None,
    ) -> ApiObject:
        """Records that run ``run_name`` processed this item in that trace or observation.

        The run is created on first use; ``run_description`` and ``run_metadata`` update it.
        Events waiting in the buffered mode are sent first, so the trace is stored before its link.
        """
        trace_id, observation_id = _link_target(trace_or_observation)
        return self._link(self["id"], trace_id, observation_id, run_name, run_description, run_metadata)  # type: ignore[attr-defined]


class DatasetClient:
    """A dataset (``dataset.name``, ``dataset.description``…) with its active ``items``.

    Not a ``dict`` (as the other answers are) because ``items`` would clash with ``dict.items``;
    ``to_dict()`` gives the dataset's fields.
    """

    def __init__(self, data: Mapping[str, Any], items: List[DatasetItemClient]) -> None:
        self._data = ApiObject(data)
        self.items = items

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._data, name)

    def to_dict(self) -> Dict[str, Any]:
        return self._data.to_dict()

    def __repr__(self) -> str:
        return "DatasetClient(name=%r, items=%d)" % (self._data.get("name"), len(self.items))


class Datasets:
    """The dataset calls of :class:`~sightline.client.Sightline`."""

    def __init__(self, request: Request, flush: Callable[[], Any]) -> None:
        self._request = request
        self._flush = flush

    def _call(self, method: str, path: str, body: Any = None, params: Optional[Mapping[str, Any]] = None) -> Any:
        # Reads may be retried; a write is sent once (a retried link could record a run item twice).
        retries = None if method == "GET" else 0
        _status, answer = self._request(method, path, json_body=body, params=params, max_retries=retries)
        return answer

    def create_dataset(self, name: str, description: Optional[str] = None, metadata: Any = None, **schemas: Any) -> ApiObject:
        body: Dict[str, Any] = {"name": name, "description": description, "metadata": metadata}
        for key, field in (("input_schema", "inputSchema"), ("expected_output_schema", "expectedOutputSchema")):
            if key in schemas:
                body[field] = schemas.pop(key)
        if schemas:
            raise TypeError("create_dataset() got unexpected keyword(s) %s" % sorted(schemas))
        return wrap(self._call("POST", "/api/public/datasets", {k: v for k, v in body.items() if v is not None}))

    def create_dataset_item(self, dataset_name: str, **fields: Any) -> ApiObject:
        names = {
            "id": "id", "input": "input", "expected_output": "expectedOutput", "metadata": "metadata",
            "source_trace_id": "sourceTraceId", "source_observation_id": "sourceObservationId", "status": "status",
        }
        unknown = set(fields) - set(names)
        if unknown:
            raise TypeError("create_dataset_item() got unexpected keyword(s) %s; accepted: %s" % (sorted(unknown), ", ".join(sorted(names))))
        body = {"datasetName": dataset_name, **{names[k]: v for k, v in fields.items() if v is not None}}
        return wrap(self._call("POST", "/api/public/dataset-items", body))

    def get_dataset_item(self, id: str) -> ApiObject:  # noqa: A002 - the API's name
        return wrap(self._call("GET", "/api/public/dataset-items/%s" % _quote(id)))

    def get_dataset(self, name: str, fetch_items_page_size: int = 50, version: Optional[str] = None) -> DatasetClient:
        dataset = self._call("GET", "/api/public/v2/datasets/%s" % _quote(name))
        items: List[Dict[str, Any]] = []
        page = 1
        while True:
            params: Dict[str, Any] = {"datasetName": name, "page": page, "limit": fetch_items_page_size}
            if version is not None:
                params["version"] = version
            answer = self._call("GET", "/api/public/dataset-items", params=params)
            items.extend(answer["data"])
            if answer["meta"]["totalPages"] <= page:
                break
            page += 1
        return DatasetClient(dataset, [DatasetItemClient(item, self._link) for item in items])

    def get_dataset_run(self, dataset_name: str, run_name: str) -> ApiObject:
        return wrap(self._call("GET", "/api/public/datasets/%s/runs/%s" % (_quote(dataset_name), _quote(run_name))))

    def get_dataset_runs(self, dataset_name: str, page: Optional[int] = None, limit: Optional[int] = None) -> ApiObject:
        params = {k: v for k, v in (("page", page), ("limit", limit)) if v is not None}
        return wrap(self._call("GET", "/api/public/datasets/%s/runs" % _quote(dataset_name), params=params))

    def _link(self, item_id: str, trace_id: str, observation_id: Optional[str], run_name: str, description: Optional[str], metadata: Any) -> ApiObject:
        self._flush()
        body = {"runName": run_name, "datasetItemId": item_id, "traceId": trace_id, "observationId": observation_id, "runDescription": description, "metadata": metadata}
        return wrap(self._call("POST", "/api/public/dataset-run-items", {k: v for k, v in body.items() if v is not None}))
