// A fake LLM provider on loopback for tests and benchmarks: OpenAI-compatible chat completions
// (any path ending in /chat/completions, Azure's deployment form included) and Anthropic's
// messages API (any path ending in /messages), plain and streamed. Plain JavaScript so
// `node bench/jobs.mjs` can use it without a build. Types in fake-llm.d.mts.
import { createServer } from 'node:http';

const lastUser = (messages) => [...(messages ?? [])].reverse().find((m) => m.role === 'user')?.content ?? '';

/**
 * Starts the fake. `options.latencyMs` delays every answer; `options.reply(body)` gives the answer
 * text (default: `echo: <last user message>`); `script` (push functions onto it) overrides the
 * next calls one by one: a function returning `{ status, headers?, body? }` answers that instead.
 */
export async function startFakeLlm(options = {}) {
  const requests = [];
  const script = [];
  const reply = options.reply ?? ((body) => `echo: ${lastUser(body.messages)}`);
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body = {};
      try {
        body = JSON.parse(raw || '{}');
      } catch {
        // recorded as an empty body
      }
      const request = { method: req.method, url: req.url ?? '', headers: req.headers, body };
      requests.push(request);
      const scripted = script.shift()?.(request);
      const answer = () => {
        if (scripted) {
          res.writeHead(scripted.status, { 'content-type': 'application/json', ...scripted.headers });
          return res.end(JSON.stringify(scripted.body ?? { error: { message: `scripted ${scripted.status}` } }));
        }
        const path = (req.url ?? '').split('?')[0];
        const text = reply(body);
        if (path.endsWith('/chat/completions')) return openai(res, body, text);
        if (path.endsWith('/messages')) return anthropic(res, body, text);
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route ${path}` } }));
      };
      if (options.latencyMs) setTimeout(answer, options.latencyMs);
      else answer();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    requests,
    script,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

const words = (text) => text.split(/(?<= )/);
const tokens = (text) => Math.max(1, Math.ceil(text.length / 4));

function openai(res, body, text) {
  const input = tokens(JSON.stringify(body.messages ?? []));
  const output = tokens(text);
  const model = `${body.model ?? 'fake'}-fake`;
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({
      id: 'chatcmpl-fake', object: 'chat.completion', model,
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
      usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
    }));
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const w of words(text)) res.write(`data: ${JSON.stringify({ model, choices: [{ index: 0, delta: { content: w } }] })}\n\n`);
  res.write(`data: ${JSON.stringify({ model, choices: [], usage: { prompt_tokens: input, completion_tokens: output } })}\n\n`);
  res.end('data: [DONE]\n\n');
}

function anthropic(res, body, text) {
  const input = tokens(JSON.stringify(body.messages ?? []) + (body.system ?? ''));
  const output = tokens(text);
  const model = `${body.model ?? 'fake'}-fake`;
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({
      id: 'msg_fake', type: 'message', role: 'assistant', model, content: [{ type: 'text', text }],
      stop_reason: 'end_turn', usage: { input_tokens: input, output_tokens: output },
    }));
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const send = (event, data) => res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
  send('message_start', { message: { id: 'msg_fake', model, content: [], usage: { input_tokens: input, output_tokens: 1 } } });
  send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
  for (const w of words(text)) send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: w } });
  send('content_block_stop', { index: 0 });
  send('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: output } });
  send('message_stop', {});
  res.end();
}
