"""Datasets: create, items, get (paged), item.link to traces and observations, runs — against the live server."""

import unittest

from _support import LiveTestCase, unique

from sightline import CreateSpanRequest, CreateTraceRequest, DatasetItemClient, SightlineApiError


class LiveDatasetTest(LiveTestCase):
    def test_create_items_get_link_and_read_the_run(self):
        name = unique("py/capitals")
        created = self.client.create_dataset(name=name, description="capitals", metadata={"owner": "py"})
        self.assertEqual((created.name, created.description, created.metadata), (name, "capitals", {"owner": "py"}))
        for country, capital in (("France", "Paris"), ("Japan", "Tokyo"), ("Peru", "Lima")):
            self.client.create_dataset_item(dataset_name=name, id="%s-%s" % (name, country), input={"country": country}, expected_output=capital)
        archived = self.client.create_dataset_item(dataset_name=name, input={"country": "Atlantis"}, status="ARCHIVED")
        self.assertEqual(self.client.get_dataset_item(archived.id).status, "ARCHIVED")

        dataset = self.client.get_dataset(name, fetch_items_page_size=2)
        self.assertEqual(dataset.id, created.id)
        self.assertEqual(sorted(i.expected_output for i in dataset.items), ["Lima", "Paris", "Tokyo"])
        self.assertIsInstance(dataset.items[0], DatasetItemClient)

        traces = []
        for item in dataset.items:
            trace = self.client.trace.create(request=CreateTraceRequest(name="quiz", input=item.input))
            if item.expected_output == "Paris":
                span = self.client.span.create(request=CreateSpanRequest(traceId=trace.id, name="answer", startTime="2024-05-01T10:00:00Z"))
                link = item.link(span, "baseline", run_description="lookup", run_metadata={"model": "v1"})
                self.assertEqual((link.trace_id, link.observation_id), (trace.id, span.id))
            else:
                link = item.link(trace, "baseline")
                self.assertEqual((link.trace_id, link.observation_id), (trace.id, None))
            self.assertEqual((link.dataset_item_id, link.dataset_run_name), (item.id, "baseline"))
            traces.append(trace.id)

        run = self.client.get_dataset_run(name, "baseline")
        self.assertEqual((run.name, run.description, run.metadata, run.dataset_id), ("baseline", "lookup", {"model": "v1"}, created.id))
        self.assertEqual(sorted(ri.trace_id for ri in run.dataset_run_items), sorted(traces))
        self.assertEqual([r.name for r in self.client.get_dataset_runs(name).data], ["baseline"])

    def test_unknown_dataset_and_bad_targets(self):
        with self.assertRaises(SightlineApiError) as ctx:
            self.client.get_dataset(unique("missing"))
        self.assertEqual(ctx.exception.status_code, 404)
        name = unique("py/links")
        self.client.create_dataset(name=name)
        self.client.create_dataset_item(dataset_name=name, id=name + "-1", input=1)
        item = self.client.get_dataset(name).items[0]
        with self.assertRaises(TypeError):
            item.link(42, "run")
        with self.assertRaises(TypeError):
            self.client.create_dataset_item(dataset_name=name, expectedOutput=1)


if __name__ == "__main__":
    unittest.main()
