# The seed document ("Python SDK", ../../../../shared/seed/) as written, run against Sightline.
# Changed, as the issue allows: the import lines (finto → sightline, FintoLangfuse → Sightline),
# the client construction, and the three ENV_* values, which come from the environment that
# test/python-client.test.ts sets. The notebook's "%pip install" line is not Python and is left out.
# test_seed.py runs this file and reads every entity it created back from the server.
import os

ENV_HOST = os.environ["SIGHTLINE_HOST"]
ENV_SECRET_KEY = os.environ["SIGHTLINE_SECRET_KEY"]
ENV_PUBLIC_KEY = os.environ["SIGHTLINE_PUBLIC_KEY"]

from sightline.client import Sightline

client = Sightline(
    environment=ENV_HOST,
    password=ENV_SECRET_KEY,
    username=ENV_PUBLIC_KEY
)

from datetime import datetime

datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%SZ')

from sightline.resources.trace.types.create_trace_request import CreateTraceRequest

trace = client.trace.create(
    request = CreateTraceRequest(
        name="chat-completion",
        metadata= {
            "env": "production",
            "user": "user__935d7d1d-8625-4ef4-8651-544613e7bd22",
        }
    )
)

from sightline.resources.event.types.create_event_request import CreateEventRequest

event = client.event.create(
    request=CreateEventRequest(
        traceId=trace.id,
        name="chat-docs-retrieval",
        startTime=datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%SZ'),
        metadata={
            "key": "value"
        },
        input = {
            "key": "value"
        },
        output = {
            "key": "value"
        }
    )
)

from sightline.resources.span.types.create_span_request import CreateSpanRequest

retrievalStartTime = datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%SZ')

# retrieveDocs = retrieveDoc()
# ...

span = client.span.create(
    request=CreateSpanRequest(
        traceId=trace.id,
        name="chat-completion",
        startTime=retrievalStartTime,
        endTime=datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%SZ'),
        metadata={
            "key": "value"
        },
        input = {
            "key": "value"
        },
        output = {
            "key": "value"
        },
        parentObservationId=event.id,
    )
)

from sightline.resources.generations.types.create_log import CreateLog
from sightline.resources.generations.types.llm_usage import LlmUsage

generationStartTime = datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%SZ')

# chat_completion = openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=[{"role": "user", "content": "Hello world"}])
# ...

generation = client.generations.log(
    request=CreateLog(
        traceId=trace.id,
        name="test",
        startTime=generationStartTime,
        endTime=datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%SZ'),
        model="gpt-3.5-turbo",
        modelParameters= {
            "temperature":0.9,
            "maxTokens":1000,
            "topP":None,
        },
        prompt=[{"role": "user", "content":"Hello, how are you?"}],
        completion="I am fine, thank you",
        usage=LlmUsage(
            prompt_tokens=512,
            completion_tokens=49
        ),
        metadata= {
            "userid":'user__935d7d1d-8625-4ef4-8651-544613e7bd22',
        }
    )
)

from sightline.resources.score.types.create_score_request import CreateScoreRequest

score = client.score.create(
    request=CreateScoreRequest(
        traceId=trace.id,                  # trace the score is related to
        name="user-explicit-feedback",
        value=1,
        observationId=generation.id           # optionally: also attach the score to an individual observation
    )
)
