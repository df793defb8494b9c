"""Prompts: get_prompt / create_prompt / update_prompt against the live server, the cache rules against a stub."""

import unittest

from _support import LiveTestCase, StubServer, live_client, live_settings, unique, wait_until

from sightline import ChatPromptClient, CreateLog, CreateTraceRequest, Sightline, SightlineApiError, TextPromptClient


def text_prompt(version, prompt="v{{n}}"):
    return {"name": "greet", "version": version, "type": "text", "prompt": prompt, "config": {}, "labels": ["production"], "tags": []}


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class LivePromptTest(LiveTestCase):
    def test_create_get_by_label_and_version_compile_and_move_labels(self):
        name = unique("folder/greet")
        v1 = self.client.create_prompt(name=name, prompt="Hi {{name}}", labels=["production"], tags=["py"], config={"model": "gpt-4o"})
        self.assertIsInstance(v1, TextPromptClient)
        self.assertEqual((v1.name, v1.version, v1.config, v1.is_fallback), (name, 1, {"model": "gpt-4o"}, False))
        v2 = self.client.create_prompt(name=name, prompt="Hello {{ name }} from {{place}}", labels=["staging"], commit_message="friendlier")
        self.assertEqual(v2.version, 2)

        production = self.client.get_prompt(name)
        self.assertEqual((production.version, production.tags), (1, ["py"]))
        self.assertEqual(production.compile(name="Ada"), "Hi Ada")
        staging = self.client.get_prompt(name, label="staging")
        self.assertEqual(staging.compile(name="Ada", place="Paris"), "Hello Ada from Paris")
        self.assertEqual(staging.compile(name="Ada"), "Hello Ada from {{place}}")  # unknown variables stay
        self.assertEqual(self.client.get_prompt(name, 2).commit_message, "friendlier")

        # Moving a label drops this client's cached versions of the name.
        self.client.update_prompt(name=name, version=2, new_labels=["production"])
        self.assertEqual(self.client.get_prompt(name).version, 2)

        # Another client keeps its cached copy until the TTL passes, then refreshes in the background.
        clock = Clock()
        other = live_client(clock=clock)
        self.assertEqual(other.get_prompt(name).version, 2)
        self.client.update_prompt(name=name, version=1, new_labels=["production"])
        self.assertEqual(other.get_prompt(name).version, 2)
        clock.now += 61
        self.assertEqual(other.get_prompt(name).version, 2)  # stale, served at once
        self.assertTrue(wait_until(lambda: other.get_prompt(name).version == 1))

    def test_chat_prompt_with_placeholders(self):
        name = unique("support")
        created = self.client.create_prompt(
            name=name,
            labels=["production"],
            prompt=[
                {"role": "system", "content": "You help with {{product}}."},
                {"type": "placeholder", "name": "history"},
                {"role": "user", "content": "{{question}}"},
            ],
        )
        self.assertIsInstance(created, ChatPromptClient)
        chat = self.client.get_prompt(name, type="chat")
        self.assertEqual(
            chat.compile(product="Sightline", question="How?", history=[{"role": "assistant", "content": "Hi"}]),
            [
                {"role": "system", "content": "You help with Sightline."},
                {"role": "assistant", "content": "Hi"},
                {"role": "user", "content": "How?"},
            ],
        )
        self.assertEqual(chat.compile(product="X", question="Q")[1], {"type": "placeholder", "name": "history"})

    def test_missing_prompt_raises_404_or_returns_the_fallback(self):
        name = unique("missing")
        with self.assertRaises(SightlineApiError) as ctx:
            self.client.get_prompt(name)
        self.assertEqual(ctx.exception.status_code, 404)
        self.assertIn("Prompt not found: '%s'" % name, ctx.exception.message)
        fallback = self.client.get_prompt(name, fallback="Default {{x}}", label="beta")
        self.assertTrue(fallback.is_fallback)
        self.assertEqual((fallback.version, fallback.labels, fallback.compile(x=1)), (0, ["beta"], "Default 1"))
        chat = self.client.get_prompt(name, fallback=[{"role": "system", "content": "Be {{tone}}"}], type="chat")
        self.assertEqual(chat.compile(tone="brief"), [{"role": "system", "content": "Be brief"}])
        with self.assertRaises(ValueError):
            self.client.get_prompt(name, 1, label="x")

    def test_generation_linked_to_the_prompt_version(self):
        name = unique("linked")
        self.client.create_prompt(name=name, prompt="Q: {{q}}", labels=["production"])
        prompt = self.client.get_prompt(name)
        trace = self.client.trace.create(request=CreateTraceRequest(name="prompted"))
        gen = self.client.generations.log(
            request=CreateLog(traceId=trace.id, name="llm", prompt=prompt.compile(q="why"), promptName=prompt.name, promptVersion=prompt.version)
        )
        read = self.client.observations.get(gen.id)
        self.assertEqual((read.promptName, read.promptVersion, read.input), (name, 1, "Q: why"))
        stored = self.client.request("GET", "/api/public/v2/prompts/%s" % (name,), params={"version": 1})
        self.assertEqual(read.promptId, stored.id)

    def test_generation_given_the_prompt_object_links_to_its_version(self):
        name = unique("linked-object")
        self.client.create_prompt(name=name, prompt="Q: {{q}}", labels=["production"])
        self.client.create_prompt(name=name, prompt="Question: {{q}}", labels=["staging"])
        production = self.client.get_prompt(name)
        staging = self.client.get_prompt(name, label="staging")
        fallback = self.client.get_prompt(unique("missing"), fallback="Q: {{q}}", max_retries=0)
        stored = self.client.request("GET", "/api/public/v2/prompts/%s" % (name,), params={"version": 2})
        trace = self.client.trace.create(request=CreateTraceRequest(name="prompted"))

        # prompt=<prompt object> links; prompt=<text> stays the input, as before.
        logged = self.client.generations.log(traceId=trace.id, name="kw", prompt=production, input=production.compile(q="why"))
        self.client.generations.update(generationId=logged.id, prompt=staging)
        as_request = self.client.generations.log(request=CreateLog(traceId=trace.id, name="request", prompt=staging))
        via_fallback = self.client.generations.log(traceId=trace.id, name="fallback", prompt=fallback)
        as_text = self.client.generations.log(traceId=trace.id, name="text", prompt="plain input")
        buffered = self.client.enqueue("generation-create", {"trace_id": trace.id, "name": "buffered", "prompt": staging})
        self.assertTrue(self.client.flush(10))

        read = {o: self.client.observations.get(o) for o in (logged.id, as_request.id, via_fallback.id, as_text.id, buffered)}
        for o in (logged.id, as_request.id, buffered):
            self.assertEqual((read[o].promptName, read[o].promptVersion, read[o].promptId), (name, 2, stored.id), o)
        self.assertEqual(read[logged.id].input, "Q: why")
        self.assertEqual((read[via_fallback.id].promptName, read[via_fallback.id].promptId), (None, None))
        self.assertEqual((read[as_text.id].input, read[as_text.id].promptName), ("plain input", None))

    def test_auth_check(self):
        self.assertIs(self.client.auth_check(), True)
        with self.assertRaises(SightlineApiError) as caught:
            host, pk, _sk = live_settings()
            Sightline(host=host, public_key=pk, secret_key="sk-lf-wrong", max_retries=0).auth_check()
        self.assertEqual(caught.exception.status_code, 401)


class PromptCacheTest(unittest.TestCase):
    def test_stale_prompt_served_while_one_refresh_runs_and_kept_when_refresh_fails(self):
        replies = [(200, {}, text_prompt(1)), ("sleep", 0.3, (200, {}, text_prompt(2)))]
        with StubServer(replies, default=(500, {}, {"message": "down"})) as stub:
            clock = Clock()
            client = stub.client(clock=clock)
            self.assertEqual(client.get_prompt("greet").version, 1)
            clock.now += 60  # exactly the TTL: still fresh
            self.assertEqual(client.get_prompt("greet").version, 1)
            self.assertEqual(len(stub.requests), 1)
            clock.now += 1
            self.assertEqual([client.get_prompt("greet").version for _ in range(3)], [1, 1, 1])
            self.assertTrue(wait_until(lambda: client.get_prompt("greet").version == 2))
            self.assertEqual(len(stub.requests), 2)  # one refresh for the three stale reads
            clock.now += 61
            with self.assertLogs("sightline", level="WARNING") as logs:
                self.assertEqual(client.get_prompt("greet", max_retries=0).version, 2)
                self.assertTrue(wait_until(lambda: logs.output))
            self.assertIn("stays in use", logs.output[0])
            self.assertEqual(client.get_prompt("greet", fallback="unused").is_fallback, False)

    def test_fallback_only_when_nothing_is_cached(self):
        with StubServer(default=(503, {}, {"message": "down"})) as stub:
            client = stub.client()
            with self.assertRaises(SightlineApiError):
                client.get_prompt("greet", max_retries=0)
            self.assertTrue(client.get_prompt("greet", max_retries=1, fallback="Hi").is_fallback)
            self.assertEqual(len(stub.requests), 3)  # one try, then one try and one retry

    def test_cache_keys_and_ttl_zero(self):
        with StubServer(default=lambda req: (200, {}, text_prompt(2 if "version=2" in req.path else 3))) as stub:
            client = stub.client()
            self.assertEqual(client.get_prompt("greet").version, 3)
            self.assertEqual(client.get_prompt("greet", label="production").version, 3)
            self.assertEqual(client.get_prompt("greet", 2).version, 2)
            client.get_prompt("greet", 2)
            client.get_prompt("greet", cache_ttl_seconds=0)
            self.assertEqual([r.path for r in stub.requests], ["/api/public/v2/prompts/greet", "/api/public/v2/prompts/greet?version=2", "/api/public/v2/prompts/greet"])


if __name__ == "__main__":
    unittest.main()
